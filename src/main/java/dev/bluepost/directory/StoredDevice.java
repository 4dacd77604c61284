package dev.bluepost.directory;

import dev.bluepost.fhir.StoredResource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** The sender of automatic messages (auto-replies) of a practice. */
@Entity(name = "Device")
@Table(name = "device")
public class StoredDevice extends StoredResource {

    @Column(name = "practice_id")
    public UUID practiceId;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(nullable = false)
    public String status = "active";
}
