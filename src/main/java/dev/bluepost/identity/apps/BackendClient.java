package dev.bluepost.identity.apps;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A practice's backend client (SMART Backend Services, ADR 0048): authenticates with a JWT signed by
 * one of its registered public keys ({@link #jwks}) and reads only its practice's data.
 */
@Entity
@Table(name = "backend_client")
public class BackendClient extends PanacheEntityBase {

    @Id public UUID id;

    /** The OAuth client id the practice's system names itself with ({@code iss} and {@code sub} of its assertions). */
    @Column(name = "client_id", nullable = false, unique = true)
    public String clientId;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(nullable = false)
    public String name;

    /** The public keys, a JWKS as checked by {@link BackendClientService#checkKeys}; never a private part. */
    @Column(nullable = false)
    public String jwks;

    @Column(nullable = false)
    public boolean enabled = true;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "disabled_at")
    public Instant disabledAt;
}
