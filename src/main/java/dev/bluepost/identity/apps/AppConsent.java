package dev.bluepost.identity.apps;

import dev.bluepost.platform.security.Role;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A person's consent that a patient app may act for them, for one patient, with a scope; carries
 * the one-time authorization code (its SHA-256 only), bound to the app, its redirect URI and the
 * PKCE challenge. Access tokens issued for it name it and end with its revocation.
 */
@Entity
@Table(name = "app_consent")
public class AppConsent extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Role role;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    /** For a proxy: the RelatedPerson authorization the app acts through. */
    @Column(name = "related_person_id")
    public UUID relatedPersonId;

    @Column(nullable = false)
    public String scope;

    @Column(name = "redirect_uri", nullable = false)
    public String redirectUri;

    @Column(name = "code_sha256", nullable = false, unique = true)
    public String codeSha256;

    /** BASE64URL(SHA-256(code_verifier)), RFC 7636 S256. */
    @Column(name = "code_challenge", nullable = false)
    public String codeChallenge;

    @Column(name = "code_expires_at", nullable = false)
    public Instant codeExpiresAt;

    @Column(name = "code_redeemed_at")
    public Instant codeRedeemedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Why it was revoked: {@code disconnected}, {@code password-changed}, {@code password-reset}, … (see AppAuthorizationService). */
    @Column(name = "revoke_reason")
    public String revokeReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When its access token was issued (null: the code was never redeemed, or its redemption was refused). */
    @Column(name = "token_issued_at")
    public Instant tokenIssuedAt;

    /** When an app last used it, to within {@link AppConsentUse#PRECISION}. */
    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    /**
     * When a lasting grant ({@code offline_access}, "for 13 months") ends; null for "just this once",
     * which ends when its one access token expires (ADR 0047).
     */
    @Column(name = "grant_ends_at")
    public Instant grantEndsAt;
}
