package dev.bluepost.directory;

import dev.bluepost.fhir.StoredResource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** A place of care of a practice, with whether EPs have certified EHR technology there and its county. */
@Entity(name = "Location")
@Table(name = "location")
public class StoredLocation extends StoredResource {

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    public String name;

    @Column(name = "cehrt_equipped", nullable = false)
    public boolean cehrtEquipped = true;

    public String county;

    public String state;

    @Column(nullable = false)
    public String status = "active";
}
