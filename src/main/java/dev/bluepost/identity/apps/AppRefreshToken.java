package dev.bluepost.identity.apps;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A patient app's refresh token (RFC 6749 §6), of a lasting grant ({@code offline_access}): an
 * opaque random value of which only the SHA-256 is kept, bound to its consent and app, good once
 * (it is rotated: exchanging it yields a successor in the same family) until the grant ends. A
 * rotated token presented again revokes its whole family (OAuth 2.0 Security BCP §4.14). ADR 0047.
 */
@Entity
@Table(name = "app_refresh_token")
public class AppRefreshToken extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "consent_id", nullable = false)
    public UUID consentId;

    @Column(name = "family_id", nullable = false)
    public UUID familyId;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "token_sha256", nullable = false, unique = true)
    public String tokenSha256;

    /** The scope the token may obtain (at most; a refresh may narrow it). */
    @Column(nullable = false)
    public String scope;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Why: {@code reused}, {@code revoked-by-app}, {@code consent-ended}, {@code may-no-longer-act}. */
    @Column(name = "revoke_reason")
    public String revokeReason;
}
