package dev.bluepost.directory;

import dev.bluepost.fhir.StoredResource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.LocalDate;
import java.util.UUID;

/** A patient; test patients and retired (merged) records are flagged for the measures. */
@Entity(name = "Patient")
@Table(name = "patient")
public class StoredPatient extends StoredResource {

    /** Patient.managingOrganization; null when the integrator did not name one. */
    @Column(name = "practice_id")
    public UUID practiceId;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    public String family;

    @Column(name = "birth_date")
    public LocalDate birthDate;

    public String email;

    /** Tagged v3-ActReason|HTEST: never counted by any measure. */
    @Column(name = "test_patient", nullable = false)
    public boolean testPatient;

    /** Patient.link of type replaced-by: the record this duplicate was merged into. */
    @Column(name = "replaced_by_id")
    public UUID replacedById;

    @Column(nullable = false)
    public boolean active = true;
}
