package dev.bluepost.encounters;

import dev.bluepost.fhir.StoredResource;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A visit as the EHR reported it: who was seen, by which practitioners (primary / secondary
 * performer), where, when and with what status. The denominators of the measures are built from these.
 */
@Entity(name = "Encounter") // the name HQL uses; the class is not HAPI's Encounter
@Table(name = "encounter")
public class StoredEncounter extends StoredResource {

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    @Column(nullable = false)
    public String status;

    /** v3-ActCode class: AMB (ambulatory), VR (virtual), … */
    @Column(name = "class_code")
    public String classCode;

    @Column(name = "period_start", nullable = false)
    public Instant periodStart;

    @Column(name = "period_end")
    public Instant periodEnd;

    /** The local date of period.start in the practice's time zone. */
    @Column(name = "service_date", nullable = false)
    public LocalDate serviceDate;

    @Column(name = "location_id")
    public UUID locationId;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(
            name = "encounter_participant",
            joinColumns = @JoinColumn(name = "encounter_id"))
    public Set<Participant> participants = new HashSet<>();

    /** One practitioner of the encounter with their participation type (PPRF, SPRF, …). */
    @Embeddable
    public static class Participant {

        @Column(name = "practitioner_id", nullable = false)
        public UUID practitionerId;

        @Column(name = "type", nullable = false)
        public String type;

        public Participant() {}

        public Participant(UUID practitionerId, String type) {
            this.practitionerId = practitionerId;
            this.type = type;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Participant p
                    && p.practitionerId.equals(practitionerId)
                    && p.type.equals(type);
        }

        @Override
        public int hashCode() {
            return practitionerId.hashCode() * 31 + type.hashCode();
        }
    }
}
