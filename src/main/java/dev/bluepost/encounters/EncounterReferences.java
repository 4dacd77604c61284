package dev.bluepost.encounters;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.LocationView;
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
     * Learns what a run of chunks (an import job, one record of the EHR topic) asks the directory:
     * patients and practitioners a chunk at a time, locations, practices and zones once per run (an
     * import job is short enough for a directory entry not to change underneath; the database's
     * foreign keys still refuse a row whose patient, practice or location is gone). Not thread-safe:
     * one chunk at a time; the {@link Snapshot}s it hands out are.
     */
    final class Batch {

        private final DirectoryService directory;
        private final Set<UUID> patients = new HashSet<>();
        private final Set<UUID> practitioners = new HashSet<>();
        private final Map<UUID, Optional<LocationView>> locations = new HashMap<>();
        private final Map<UUID, Boolean> practices = new HashMap<>();
        private final Map<UUID, ZoneId> zones = new HashMap<>();

        public Batch(DirectoryService directory) {
            this.directory = directory;
        }

        /**
         * Asks the directory (within the caller's transaction) about every id a chunk refers to —
         * two queries for the patients and practitioners not seen yet — and answers the mapping's
         * questions about them from memory, on any thread.
         *
         * @param practiceIds the chunk's {@code serviceProvider}s; the practices of its locations are added
         */
        public Snapshot snapshot(
                Collection<UUID> patientIds,
                Collection<UUID> practitionerIds,
                Collection<UUID> locationIds,
                Collection<UUID> practiceIds) {
            Set<UUID> newPatients = new HashSet<>(patientIds);
            newPatients.removeAll(patients);
            patients.addAll(directory.existingPatients(newPatients));
            Set<UUID> newPractitioners = new HashSet<>(practitionerIds);
            newPractitioners.removeAll(practitioners);
            practitioners.addAll(directory.existingPractitioners(newPractitioners));
            Map<UUID, Optional<LocationView>> chunkLocations = new HashMap<>();
            Set<UUID> chunkPractices = new HashSet<>(practiceIds);
            for (UUID id : locationIds) {
                Optional<LocationView> location =
                        locations.computeIfAbsent(id, directory::location);
                chunkLocations.put(id, location);
                location.ifPresent(l -> chunkPractices.add(l.practiceId()));
            }
            Map<UUID, Boolean> chunkPracticeExists = new HashMap<>();
            Map<UUID, ZoneId> chunkZones = new HashMap<>();
            for (UUID id : chunkPractices) {
                chunkPracticeExists.put(
                        id, practices.computeIfAbsent(id, i -> directory.practice(i).isPresent()));
                chunkZones.put(id, zones.computeIfAbsent(id, directory::zoneOf));
            }
            Set<UUID> chunkPatients = new HashSet<>(patientIds);
            chunkPatients.retainAll(patients);
            Set<UUID> chunkPractitioners = new HashSet<>(practitionerIds);
            chunkPractitioners.retainAll(practitioners);
            return new Snapshot(
                    Set.copyOf(patientIds),
                    chunkPatients,
                    Set.copyOf(practitionerIds),
                    chunkPractitioners,
                    chunkLocations,
                    chunkPracticeExists,
                    chunkZones);
        }
    }

    /**
     * The directory's answers about one chunk's ids, immutable: the mapping runs on several
     * threads without an EntityManager. A question about an id the chunk did not name is a bug in
     * collecting the ids, not a "not known": it throws.
     */
    final class Snapshot implements EncounterReferences {

        private final Set<UUID> askedPatients;
        private final Set<UUID> patients;
        private final Set<UUID> askedPractitioners;
        private final Set<UUID> practitioners;
        private final Map<UUID, Optional<LocationView>> locations;
        private final Map<UUID, Boolean> practices;
        private final Map<UUID, ZoneId> zones;

        Snapshot(
                Set<UUID> askedPatients,
                Set<UUID> patients,
                Set<UUID> askedPractitioners,
                Set<UUID> practitioners,
                Map<UUID, Optional<LocationView>> locations,
                Map<UUID, Boolean> practices,
                Map<UUID, ZoneId> zones) {
            this.askedPatients = askedPatients;
            this.patients = Set.copyOf(patients);
            this.askedPractitioners = askedPractitioners;
            this.practitioners = Set.copyOf(practitioners);
            this.locations = Map.copyOf(locations);
            this.practices = Map.copyOf(practices);
            this.zones = Map.copyOf(zones);
        }

        @Override
        public boolean patientExists(UUID id) {
            return patients.contains(asked(askedPatients.contains(id), "Patient", id));
        }

        @Override
        public boolean practitionerExists(UUID id) {
            return practitioners.contains(
                    asked(askedPractitioners.contains(id), "Practitioner", id));
        }

        @Override
        public boolean practiceExists(UUID id) {
            return answer(practices.get(id), "Organization", id);
        }

        @Override
        public Optional<LocationView> location(UUID id) {
            return answer(locations.get(id), "Location", id);
        }

        @Override
        public ZoneId zoneOf(UUID practiceId) {
            return answer(zones.get(practiceId), "Organization", practiceId);
        }

        private static UUID asked(boolean asked, String type, UUID id) {
            return answer(asked ? id : null, type, id);
        }

        private static <T> T answer(T known, String type, UUID id) {
            if (known == null) {
                throw new IllegalStateException(
                        "directory snapshot was not asked about " + type + "/" + id);
            }
            return known;
        }
    }
}
