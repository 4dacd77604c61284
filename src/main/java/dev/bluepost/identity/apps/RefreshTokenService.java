package dev.bluepost.identity.apps;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.Digests;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Refresh tokens of patient apps' lasting grants (RFC 6749 §6, SMART App Launch 2, ADR 0047): issued
 * with the first access token when the person granted {@code offline_access} ("for 13 months"),
 * opaque random values kept as SHA-256 only, bound to the app and the consent, good until the grant
 * ends. Every use rotates the token (a successor in the same family, the used one spent); a spent
 * token presented again is taken as stolen (OAuth 2.0 Security BCP §4.14.2): its whole family and
 * the consent end, and that is audited. Not on the message path: one refresh per hour per app.
 */
@ApplicationScoped
public class RefreshTokenService {

    /** {@code app_refresh_token.revoke_reason}: the consent ended (disconnected, login deactivated, …). */
    public static final String CONSENT_ENDED = "consent-ended";

    static final String REUSED = "reused";
    static final String MAY_NO_LONGER_ACT = "may-no-longer-act";

    private final Clock clock;
    private final AuditRecorder audit;
    private final IdentityService identities;
    private final SecureRandom random = new SecureRandom();

    public RefreshTokenService(Clock clock, AuditRecorder audit, IdentityService identities) {
        this.clock = clock;
        this.audit = audit;
        this.identities = identities;
    }

    /** The outcome of presenting a refresh token. */
    public sealed interface Refresh {
        /** A new access token may be issued for {@code grant} (its scope possibly narrowed), with the successor token. */
        record Granted(Actor actor, AppAuthorizationService.Grant grant, String refreshToken)
                implements Refresh {}

        /** An OAuth error ({@code invalid_grant}, {@code invalid_scope}) and a description safe to show the client. */
        record Refused(String error, String description) implements Refresh {}
    }

    /** The first refresh token of a lasting grant, in a new family (the value is returned once, never stored). */
    @Transactional
    public String issue(AppAuthorizationService.Grant grant) {
        return store(
                grant.consentId(),
                Ids.newId(),
                grant.clientId(),
                grant.scope(),
                grant.grantEndsAt());
    }

    /**
     * Exchanges a refresh token presented by {@code clientId}, with an optional narrower
     * {@code requestedScope}. Refused without writing anything when the token is unknown, another
     * app's, revoked or past the grant's end, or the scope widens the grant; when the token was
     * spent already, its family and consent end (reuse); when the person may no longer act for the
     * patient, the family ends.
     */
    @Transactional
    public Refresh refresh(String value, String clientId, String requestedScope) {
        Optional<AppRefreshToken> found =
                AppRefreshToken.<AppRefreshToken>find("tokenSha256", Digests.sha256Hex(value))
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .firstResultOptional();
        if (found.isEmpty()) {
            return invalidGrant("the refresh token is not valid");
        }
        AppRefreshToken token = found.get();
        if (!token.clientId.equals(clientId)) {
            return invalidGrant("the refresh token was issued to another client");
        }
        if (token.revokedAt != null) {
            return invalidGrant("the refresh token was revoked");
        }
        Instant now = clock.instant();
        AppConsent consent = AppConsent.findById(token.consentId, LockModeType.PESSIMISTIC_WRITE);
        if (token.rotatedAt != null) {
            endFamily(token, consent, now, REUSED, AppAuthorizationService.REFRESH_REUSED);
            audit.record(
                    actorOf(consent).orElse(null),
                    AuditEntry.of(AuditAction.UPDATE)
                            .on("AppConsent", consent.id)
                            .patient(consent.patientId)
                            .reason("refresh-token-reused"));
            Log.warnf(
                    "refresh token presented again: family and consent revoked consentId=%s client=%s",
                    consent.id, clientId);
            return invalidGrant("the refresh token was already used; the grant is revoked");
        }
        if (consent.revokedAt != null) {
            return invalidGrant("the grant was revoked");
        }
        if (!now.isBefore(token.expiresAt)
                || consent.grantEndsAt == null
                || !now.isBefore(consent.grantEndsAt)) {
            return invalidGrant("the grant has ended; the app must ask the person again");
        }
        String scope = token.scope;
        if (requestedScope != null) {
            scope = PatientAppScopes.narrowed(token.scope, requestedScope);
            if (scope == null) {
                return new Refresh.Refused(
                        "invalid_scope",
                        "the scope asks for more than was granted (" + token.scope + ")");
            }
        }
        Optional<Actor> actor = actorOf(consent);
        if (actor.isEmpty()) {
            endFamily(token, null, now, MAY_NO_LONGER_ACT, null);
            Log.infof(
                    "refresh refused: the person may no longer act for the patient consentId=%s client=%s",
                    consent.id, clientId);
            return invalidGrant("the person may no longer act for this patient");
        }
        token.rotatedAt = now;
        String successor =
                store(consent.id, token.familyId, clientId, token.scope, token.expiresAt);
        AppAuthorizationService.Grant grant =
                AppAuthorizationService.grantOf(consent).withScope(scope);
        audit.record(
                actor.get(),
                AuditEntry.of(AuditAction.LOGIN)
                        .reason("app-token-refreshed")
                        .patient(consent.patientId));
        return new Refresh.Granted(actor.get(), grant, successor);
    }

    /** What {@link #revoke} did (RFC 7009 answers 200 for an unknown token too). */
    public enum Revocation {
        REVOKED,
        UNKNOWN,
        OTHER_CLIENT
    }

    /**
     * RFC 7009 for a refresh token: the app ends its own grant. The family and the consent end (so
     * the access tokens issued for it stop at their next request); one audit entry. A token that
     * had ended already changes nothing.
     */
    @Transactional
    public Revocation revoke(String value, String clientId) {
        Optional<AppRefreshToken> found =
                AppRefreshToken.<AppRefreshToken>find("tokenSha256", Digests.sha256Hex(value))
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .firstResultOptional();
        if (found.isEmpty()) {
            return Revocation.UNKNOWN;
        }
        AppRefreshToken token = found.get();
        if (!token.clientId.equals(clientId)) {
            return Revocation.OTHER_CLIENT;
        }
        AppConsent consent = AppConsent.findById(token.consentId, LockModeType.PESSIMISTIC_WRITE);
        return revokeConsent(consent, token);
    }

    /** RFC 7009 for an access token of the app: its consent (and the consent's refresh tokens) end. */
    @Transactional
    public Revocation revokeConsentOf(UUID consentId, String clientId) {
        AppConsent consent = AppConsent.findById(consentId, LockModeType.PESSIMISTIC_WRITE);
        if (consent == null) {
            return Revocation.UNKNOWN;
        }
        if (!consent.clientId.equals(clientId)) {
            return Revocation.OTHER_CLIENT;
        }
        return revokeConsent(consent, null);
    }

    private Revocation revokeConsent(AppConsent consent, AppRefreshToken token) {
        if (consent.revokedAt != null && (token == null || token.revokedAt != null)) {
            return Revocation.REVOKED;
        }
        Instant now = clock.instant();
        boolean wasInForce = consent.revokedAt == null;
        if (wasInForce) {
            consent.revokedAt = now;
            consent.revokeReason = AppAuthorizationService.REVOKED_BY_APP;
        }
        AppRefreshToken.update(
                "revokedAt = ?1, revokeReason = ?2 where consentId = ?3 and revokedAt is null",
                now,
                AppAuthorizationService.REVOKED_BY_APP,
                consent.id);
        audit.record(
                actorOf(consent).orElse(null),
                AuditEntry.of(AuditAction.LOGOUT)
                        .on("AppConsent", consent.id)
                        .patient(consent.patientId)
                        .reason("app-token-revoked"));
        Log.infof("app revoked its grant consentId=%s client=%s", consent.id, consent.clientId);
        return Revocation.REVOKED;
    }

    /** Ends every token of the family, and the consent too when {@code consentReason} is given. */
    private void endFamily(
            AppRefreshToken token,
            AppConsent consent,
            Instant now,
            String reason,
            String consentReason) {
        AppRefreshToken.update(
                "revokedAt = ?1, revokeReason = ?2 where familyId = ?3 and revokedAt is null",
                now,
                reason,
                token.familyId);
        if (consent != null && consentReason != null && consent.revokedAt == null) {
            consent.revokedAt = now;
            consent.revokeReason = consentReason;
        }
    }

    /** The person as they may act now for the consent's patient (empty: they may not). */
    private Optional<Actor> actorOf(AppConsent consent) {
        return identities
                .actorFor(consent.userId, consent.relatedPersonId)
                .filter(a -> a.has(consent.role) && consent.patientId.equals(a.patientId()));
    }

    private String store(
            UUID consentId, UUID familyId, String clientId, String scope, Instant expiresAt) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        AppRefreshToken token = new AppRefreshToken();
        token.id = Ids.newId();
        token.consentId = consentId;
        token.familyId = familyId;
        token.clientId = clientId;
        token.tokenSha256 = Digests.sha256Hex(value);
        token.scope = scope;
        token.createdAt = clock.instant();
        token.expiresAt = expiresAt;
        token.persist();
        return value;
    }

    private static Refresh invalidGrant(String description) {
        return new Refresh.Refused("invalid_grant", description);
    }
}
