package dev.bluepost.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A failed activation on {@code /activate}, kept for the rate limit per client (the IP address's SHA-256 only). */
@Entity
@Table(name = "activation_attempt")
public class ActivationAttempt extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "client_sha256", nullable = false)
    public String clientSha256;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
}
