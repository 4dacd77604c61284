package dev.bluepost.directory;

import dev.bluepost.fhir.StoredResource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A proxy's authorization to act for one patient, active during its period. */
@Entity(name = "RelatedPerson")
@Table(name = "related_person")
public class StoredRelatedPerson extends StoredResource {

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    /** The relationship code (e.g. PRN parent, GUARD guardian). */
    public String relationship;

    @Column(name = "period_start")
    public Instant periodStart;

    /** Exclusive end of the authorization; null = open-ended. */
    @Column(name = "period_end")
    public Instant periodEnd;

    @Column(nullable = false)
    public boolean active = true;
}
