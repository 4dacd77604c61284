package dev.bluepost.directory;

import dev.bluepost.fhir.StoredResource;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** A clinician or staff member. An eligible professional (EP) has an NPI. */
@Entity(name = "Practitioner")
@Table(name = "practitioner")
public class StoredPractitioner extends StoredResource {

    /** The 10-digit NPI; null for staff without one. Unique. */
    public String npi;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    public String family;

    @Column(nullable = false)
    public boolean active = true;

    /**
     * The practices this person works for: named by the Practitioner's practice extension, or
     * learned from care teams and encounters that name them.
     */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(
            name = "practitioner_practice",
            joinColumns = @JoinColumn(name = "practitioner_id"))
    @Column(name = "practice_id")
    public Set<UUID> practiceIds = new HashSet<>();
}
