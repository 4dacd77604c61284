package dev.bluepost.measurement;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.LocationView;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;

import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What the encounter mapping asks the directory while it checks an Encounter's references. The
 * FHIR API asks the directory once per reference ({@link #of}); the bulk import and the EHR topic
 * ask it once per chunk of lines ({@link Batch}), then answer from memory — same questions, same rules.
 */
public interface EncounterReferences {

    boolean patientExists(UUID id);

    boolean practitionerExists(UUID id);

    boolean practiceExists(UUID id);

    Optional<LocationView> location(UUID id);

    ZoneId zoneOf(UUID practiceId);

    /** Asks the directory every time. */
    static EncounterReferences of(DirectoryService directory) {
        return new EncounterReferences() {
            @Override
            public boolean patientExists(UUID id) {
                return directory.patient(id).isPresent();
            }

            @Override
            public boolean practitionerExists(UUID id) {
                return directory.practitioner(id).isPresent();
            }

            @Override
            public boolean practiceExists(UUID id) {
                return directory.practice(id).isPresent();
            }

            @Override
            public Optional<LocationView> location(UUID id) {
                return directory.location(id);
            }

            @Override
            public ZoneId zoneOf(UUID practiceId) {
                return directory.zoneOf(practiceId);
            }
        };
    }

    /**
     * Answers from what it has already learned: patients and practitioners are fetched a chunk at a
     * time ({@link #prefetch}), locations, practices and zones once per batch (an import job or a
     * listener's lifetime is short enough for a directory entry not to change underneath).
     */
    final class Batch implements EncounterReferences {

        private final DirectoryService directory;
        private final Set<UUID> patients = new HashSet<>();
        private final Set<UUID> practitioners = new HashSet<>();
        private final Map<UUID, Optional<LocationView>> locations = new HashMap<>();
        private final Map<UUID, Boolean> practices = new HashMap<>();
        private final Map<UUID, ZoneId> zones = new HashMap<>();

        public Batch(DirectoryService directory) {
            this.directory = directory;
        }

        /** Learns in two queries which of these patients and practitioners exist. */
        public void prefetch(Collection<UUID> patientIds, Collection<UUID> practitionerIds) {
            Set<UUID> newPatients = new HashSet<>(patientIds);
            newPatients.removeAll(patients);
            directory.patients(newPatients).stream().map(PatientView::id).forEach(patients::add);
            Set<UUID> newPractitioners = new HashSet<>(practitionerIds);
            newPractitioners.removeAll(practitioners);
            directory.practitioners(newPractitioners).stream().map(PractitionerView::id).forEach(practitioners::add);
        }

        @Override
        public boolean patientExists(UUID id) {
            if (patients.contains(id)) {
                return true;
            }
            boolean exists = directory.patient(id).isPresent();
            if (exists) {
                patients.add(id);
            }
            return exists;
        }

        @Override
        public boolean practitionerExists(UUID id) {
            if (practitioners.contains(id)) {
                return true;
            }
            boolean exists = directory.practitioner(id).isPresent();
            if (exists) {
                practitioners.add(id);
            }
            return exists;
        }

        @Override
        public boolean practiceExists(UUID id) {
            return practices.computeIfAbsent(id, i -> directory.practice(i).isPresent());
        }

        @Override
        public Optional<LocationView> location(UUID id) {
            return locations.computeIfAbsent(id, directory::location);
        }

        @Override
        public ZoneId zoneOf(UUID practiceId) {
            return zones.computeIfAbsent(practiceId, directory::zoneOf);
        }
    }
}
