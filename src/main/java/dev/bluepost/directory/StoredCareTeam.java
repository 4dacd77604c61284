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

/** A pool (triage group, care team) of a practice that patients can write to. */
@Entity(name = "CareTeam")
@Table(name = "care_team")
public class StoredCareTeam extends StoredResource {

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String status = "active";

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "care_team_member", joinColumns = @JoinColumn(name = "care_team_id"))
    @Column(name = "practitioner_id")
    public Set<UUID> memberIds = new HashSet<>();
}
