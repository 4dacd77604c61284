package dev.bluepost.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A request on /login/forgot, for the rate limits: digests of the address and of the client, never the values. */
@Entity
@Table(name = "password_reset_request")
public class PasswordResetRequest extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "address_sha256", nullable = false)
    public String addressSha256;

    @Column(name = "client_sha256", nullable = false)
    public String clientSha256;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
}
