package dev.bluepost.directory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import java.util.UUID;

/** Read-only views of directory entries that other features receive from {@link DirectoryService}. */
public final class DirectoryViews {

    private DirectoryViews() {}

    /** @param replyWindowDays the practice's own reply window, or null for the platform default */
    public record PracticeView(UUID id, String name, ZoneId zone, Integer replyWindowDays) {}

    public record PatientView(
            UUID id,
            UUID practiceId,
            String displayName,
            LocalDate birthDate,
            boolean testPatient,
            UUID replacedById,
            boolean active) {}

    public record PractitionerView(
            UUID id, String displayName, String npi, Set<UUID> practiceIds, boolean active) {

        public boolean isEligibleProfessional() {
            return npi != null;
        }
    }

    public record PoolView(
            UUID id, UUID practiceId, String name, Set<UUID> memberIds, boolean active) {}

    public record LocationView(
            UUID id,
            UUID practiceId,
            String name,
            boolean cehrtEquipped,
            String county,
            String state) {}

    /** A proxy authorization (RelatedPerson): who may act for which patient, and when. */
    public record ProxyView(
            UUID id,
            UUID patientId,
            String displayName,
            String relationship,
            Instant periodStart,
            Instant periodEnd,
            boolean active) {

        public boolean isActiveAt(Instant instant) {
            return active
                    && (periodStart == null || !instant.isBefore(periodStart))
                    && (periodEnd == null || instant.isBefore(periodEnd));
        }
    }
}
