package dev.bluepost.identity.apps;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.Digests;
import dev.bluepost.identity.SecurityConfig;
import dev.bluepost.identity.TokenService;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The authorization-code grant's server side (RFC 6749 §4.1, RFC 7636): records a person's consent
 * with a one-time code, redeems the code once, and tells the bearer mechanism whether a consent is
 * still in force. Codes live {@link #CODE_LIFETIME}, are stored as SHA-256 only, and are bound to
 * the app, the redirect URI and the PKCE challenge.
 *
 * <p>A consent whose access token was issued is a <em>connection</em> the person sees on their
 * "Connected apps" page ({@link #connectionsOf}) and can end there ({@link #disconnect}): in force
 * until it is revoked or its token expires ({@link TokenService#userTokenLifetime}) — a lasting grant
 * ({@code offline_access}) until {@link #GRANT_LIFETIME} after consent, refreshed with
 * {@link RefreshTokenService} (ADR 0047); ended ones are
 * shown and kept for {@link #ENDED_KEPT} (the newest per app and patient), then purged.
 */
@ApplicationScoped
public class AppAuthorizationService {

    public static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    /** How long an ended connection is shown on the person's page and kept. */
    public static final Duration ENDED_KEPT = Duration.ofDays(30);

    /** Why a consent was revoked (stored in {@code app_consent.revoke_reason}; the page words them). */
    public static final String DISCONNECTED = "disconnected";

    public static final String PASSWORD_CHANGED = "password-changed";
    public static final String PASSWORD_RESET = "password-reset";
    public static final String LOGIN_DEACTIVATED = "login-deactivated";
    public static final String ENDED_BY_ADMIN = "ended-by-admin";
    public static final String CODE_REUSED = "code-reused";

    /** A rotated refresh token of the consent was presented again: the family and the consent end (ADR 0047). */
    public static final String REFRESH_REUSED = "refresh-reused";

    /** The app revoked its own refresh token (RFC 7009), ending the connection. */
    public static final String REVOKED_BY_APP = "revoked-by-app";

    /** Not stored: a connection whose token expired ({@link Connection#endReason()}). */
    public static final String EXPIRED = "expired";

    /** Not stored: a lasting grant whose {@link #GRANT_LIFETIME} ran out. */
    public static final String GRANT_ENDED = "grant-ended";

    /** How long a lasting grant ({@code offline_access}, "for 13 months") lasts. */
    public static final Period GRANT_LIFETIME = Period.ofMonths(13);

    private final Clock clock;
    private final Duration tokenLifetime;
    private final AuditRecorder audit;
    private final ClientApps apps;
    private final SecureRandom random = new SecureRandom();

    public AppAuthorizationService(
            Clock clock, SecurityConfig config, AuditRecorder audit, ClientApps apps) {
        this.clock = clock;
        this.tokenLifetime = TokenService.userTokenLifetime(config);
        this.audit = audit;
        this.apps = apps;
    }

    /**
     * A consent whose token was issued, as the person's page shows it: in force when {@code endedAt}
     * is null; else when and why it ended ({@link #EXPIRED} or the revocation's reason).
     */
    public record Connection(
            UUID consentId,
            String clientId,
            Role role,
            UUID patientId,
            UUID relatedPersonId,
            String scope,
            Instant authorizedAt,
            Instant lastUsedAt,
            Instant endedAt,
            String endReason,
            Instant grantEndsAt) {
        public boolean inForce() {
            return endedAt == null;
        }
    }

    /** What {@link #disconnect} did. */
    public enum Disconnect {
        DISCONNECTED,
        ALREADY_ENDED
    }

    /**
     * What a person approved: who, for which patient (and, for a proxy, through which authorization),
     * what, and until when ({@code grantEndsAt}; null: just this once).
     */
    public record Grant(
            UUID consentId,
            String clientId,
            UUID userId,
            Role role,
            UUID patientId,
            UUID relatedPersonId,
            String scope,
            Instant grantEndsAt) {

        /** The same grant with another (narrower) scope, for a refresh. */
        public Grant withScope(String narrowed) {
            return new Grant(
                    consentId,
                    clientId,
                    userId,
                    role,
                    patientId,
                    relatedPersonId,
                    narrowed,
                    grantEndsAt);
        }
    }

    /** The outcome of presenting a code at the token endpoint. */
    public sealed interface Redemption {
        record Granted(Grant grant) implements Redemption {}

        /** An OAuth error code ({@code invalid_grant}) and a description safe to show the client. */
        record Refused(String error, String description) implements Redemption {}
    }

    /**
     * Records the consent and returns its one-time code (shown once; only its digest is kept). A scope
     * with {@code offline_access} is a lasting grant: it ends {@link #GRANT_LIFETIME} from now.
     */
    @Transactional
    public String approve(
            String clientId,
            UUID userId,
            Role role,
            UUID patientId,
            UUID relatedPersonId,
            String scope,
            String redirectUri,
            String codeChallenge) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        AppConsent consent = new AppConsent();
        consent.id = Ids.newId();
        consent.clientId = clientId;
        consent.userId = userId;
        consent.role = role;
        consent.patientId = patientId;
        consent.relatedPersonId = relatedPersonId;
        consent.scope = scope;
        consent.redirectUri = redirectUri;
        consent.codeSha256 = Digests.sha256Hex(code);
        consent.codeChallenge = codeChallenge;
        consent.codeExpiresAt = now.plus(CODE_LIFETIME);
        consent.createdAt = now;
        consent.grantEndsAt = PatientAppScopes.offline(scope) ? grantEnd(now) : null;
        consent.persist();
        Log.infof(
                "app consent given consentId=%s client=%s userId=%s", consent.id, clientId, userId);
        return code;
    }

    /**
     * Redeems a code: once only (a second presentation also revokes the consent, and so every token
     * issued for it: RFC 6749 §4.1.2), before it expires, by the app it was issued to, with the same
     * redirect URI, and with the verifier whose S256 digest is the challenge. Any presentation of a
     * known code uses it up, whatever the outcome.
     */
    @Transactional
    public Redemption redeem(
            String code, String clientId, String redirectUri, String codeVerifier) {
        Optional<AppConsent> found =
                AppConsent.<AppConsent>find("codeSha256", Digests.sha256Hex(code))
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .firstResultOptional();
        if (found.isEmpty()) {
            return refused("the authorization code is not valid");
        }
        AppConsent consent = found.get();
        Instant now = clock.instant();
        if (consent.codeRedeemedAt != null) {
            if (consent.revokedAt == null) {
                consent.revokedAt = now;
                consent.revokeReason = CODE_REUSED;
                Log.warnf(
                        "authorization code presented again: consent revoked consentId=%s client=%s",
                        consent.id, consent.clientId);
            }
            return refused("the authorization code has already been used");
        }
        consent.codeRedeemedAt = now;
        if (now.isAfter(consent.codeExpiresAt)) {
            return refused("the authorization code has expired");
        }
        if (!consent.clientId.equals(clientId)) {
            return refused("the authorization code was issued to another client");
        }
        if (!consent.redirectUri.equals(redirectUri)) {
            return refused("redirect_uri differs from the one of the authorization request");
        }
        if (!MessageDigest.isEqual(
                s256(codeVerifier).getBytes(StandardCharsets.US_ASCII),
                consent.codeChallenge.getBytes(StandardCharsets.US_ASCII))) {
            return refused("code_verifier does not match the code_challenge");
        }
        consent.tokenIssuedAt = now;
        return new Redemption.Granted(grantOf(consent));
    }

    /**
     * Revokes every consent of a login, and so every app token issued for them (they are checked
     * against their consent on each request): the login was deactivated, its password changed, or an
     * admin signed it out everywhere ({@code reason}: {@link #PASSWORD_CHANGED}, {@link #PASSWORD_RESET},
     * {@link #LOGIN_DEACTIVATED}, {@link #ENDED_BY_ADMIN}). Returns how many consents were in force.
     */
    @Transactional
    public int revokeAllOf(UUID userId, String reason) {
        Instant now = clock.instant();
        int revoked =
                AppConsent.update(
                        "revokedAt = ?1, revokeReason = ?2 where userId = ?3 and revokedAt is null",
                        now,
                        reason,
                        userId);
        AppRefreshToken.update(
                "revokedAt = ?1, revokeReason = ?2 where revokedAt is null and consentId in "
                        + "(select c.id from AppConsent c where c.userId = ?3)",
                now,
                RefreshTokenService.CONSENT_ENDED,
                userId);
        if (revoked > 0) {
            Log.infof("app consents revoked userId=%s count=%d reason=%s", userId, revoked, reason);
        }
        return revoked;
    }

    /**
     * A login's connections: every one in force, then, of those that ended in the last
     * {@link #ENDED_KEPT}, the newest per app and patient that no newer connection of the same app
     * for the same patient replaced. Newest first within each.
     */
    @Transactional
    public List<Connection> connectionsOf(UUID userId) {
        Instant now = clock.instant();
        Instant shownFrom = now.minus(ENDED_KEPT);
        List<AppConsent> consents =
                AppConsent.<AppConsent>list(
                        "userId = ?1 and tokenIssuedAt is not null and (tokenIssuedAt >= ?2 or grantEndsAt >= ?3) "
                                + "order by tokenIssuedAt desc, id",
                        userId,
                        shownFrom.minus(tokenLifetime),
                        shownFrom);
        List<Connection> inForce = new ArrayList<>();
        List<Connection> ended = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AppConsent c : consents) {
            Connection connection = connection(c, now);
            boolean newestOfItsKind = seen.add(c.clientId + " " + c.patientId);
            if (connection.inForce()) {
                inForce.add(connection);
            } else if (newestOfItsKind && !connection.endedAt().isBefore(shownFrom)) {
                ended.add(connection);
            }
        }
        ended.sort(Comparator.comparing(Connection::endedAt).reversed());
        List<Connection> all = new ArrayList<>(inForce);
        all.addAll(ended);
        return all;
    }

    private Connection connection(AppConsent c, Instant now) {
        Instant expires =
                c.grantEndsAt != null ? c.grantEndsAt : c.tokenIssuedAt.plus(tokenLifetime);
        Instant endedAt = null;
        String reason = null;
        if (c.revokedAt != null && c.revokedAt.isBefore(expires)) {
            endedAt = c.revokedAt;
            reason = c.revokeReason == null ? DISCONNECTED : c.revokeReason;
        } else if (!expires.isAfter(now)) {
            endedAt = expires; // a revocation after it had expired ended nothing
            reason = c.grantEndsAt != null ? GRANT_ENDED : EXPIRED;
        }
        return new Connection(
                c.id,
                c.clientId,
                c.role,
                c.patientId,
                c.relatedPersonId,
                c.scope,
                c.createdAt,
                c.lastUsedAt,
                endedAt,
                reason,
                c.grantEndsAt);
    }

    /** The grant a consent records. */
    static Grant grantOf(AppConsent c) {
        return new Grant(
                c.id,
                c.clientId,
                c.userId,
                c.role,
                c.patientId,
                c.relatedPersonId,
                c.scope,
                c.grantEndsAt);
    }

    /** When a lasting grant given at {@code from} ends: 13 calendar months later (UTC). */
    static Instant grantEnd(Instant from) {
        return from.atZone(ZoneOffset.UTC).plus(GRANT_LIFETIME).toInstant();
    }

    /**
     * The person ends one of their own connections: the consent is revoked, so every token issued
     * for it fails on its next request (the bearer mechanism checks the consent on each one). One
     * audit entry. A consent that is not the person's (or no connection) is not found; one that has
     * ended already changes nothing.
     */
    @Transactional
    public Disconnect disconnect(Actor person, UUID consentId) {
        AppConsent consent =
                consentId == null
                        ? null
                        : AppConsent.findById(consentId, LockModeType.PESSIMISTIC_WRITE);
        if (consent == null
                || !consent.userId.equals(person.userId())
                || consent.tokenIssuedAt == null) {
            throw BluepostException.notFound("AppConsent", consentId);
        }
        Instant now = clock.instant();
        if (!connection(consent, now).inForce()) {
            return Disconnect.ALREADY_ENDED;
        }
        consent.revokedAt = now;
        consent.revokeReason = DISCONNECTED;
        AppRefreshToken.update(
                "revokedAt = ?1, revokeReason = ?2 where consentId = ?3 and revokedAt is null",
                now,
                RefreshTokenService.CONSENT_ENDED,
                consent.id);
        audit.record(
                person,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("AppConsent", consent.id)
                        .practice(person.practiceId())
                        .reason("app-disconnected"));
        Log.infof(
                "app disconnected consentId=%s client=%s userId=%s",
                consent.id, consent.clientId, person.userId());
        return Disconnect.DISCONNECTED;
    }

    /** Whether the login has a connection of that app in force (the demo loader's check). */
    @Transactional
    public boolean connected(UUID userId, String clientId) {
        Instant now = clock.instant();
        return AppConsent.count(
                        "userId = ?1 and clientId = ?2 and revokedAt is null and tokenIssuedAt is not null "
                                + "and ((grantEndsAt is null and tokenIssuedAt > ?3) or grantEndsAt > ?4)",
                        userId,
                        clientId,
                        now.minus(tokenLifetime),
                        now)
                > 0;
    }

    /**
     * For the demo practice only: a connection of a registered app as if the person had authorized
     * it {@code authorizedAgo} ago (and it had been used {@code usedAgo} ago, when not null), ended
     * {@code endedAgo} ago with {@code endReason} when that is not null. No code or token exists for
     * it, so nothing can use it. Returns false when the app is not registered.
     */
    @Transactional
    public boolean connectForDemo(
            String clientId,
            UUID userId,
            Role role,
            UUID patientId,
            UUID relatedPersonId,
            String scope,
            Duration authorizedAgo,
            Duration usedAgo,
            Duration endedAgo,
            String endReason) {
        Optional<ClientApps.ClientApp> app = apps.app(clientId);
        if (app.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        AppConsent consent = new AppConsent();
        consent.id = Ids.newId();
        consent.clientId = clientId;
        consent.userId = userId;
        consent.role = role;
        consent.patientId = patientId;
        consent.relatedPersonId = relatedPersonId;
        consent.scope = scope;
        consent.redirectUri = app.get().redirectUris().get(0);
        consent.codeSha256 = Digests.sha256Hex(Base64.getUrlEncoder().encodeToString(bytes));
        consent.codeChallenge = s256(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        consent.createdAt = now.minus(authorizedAgo);
        consent.codeExpiresAt = consent.createdAt.plus(CODE_LIFETIME);
        consent.codeRedeemedAt = consent.createdAt;
        consent.tokenIssuedAt = consent.createdAt;
        consent.lastUsedAt = usedAgo == null ? null : now.minus(usedAgo);
        consent.grantEndsAt = PatientAppScopes.offline(scope) ? grantEnd(consent.createdAt) : null;
        if (endReason != null) {
            consent.revokedAt = now.minus(endedAgo);
            consent.revokeReason = endReason;
        }
        consent.persist();
        return true;
    }

    /** The code was good but no token was issued (the person may no longer act for the patient): not a connection. */
    @Transactional
    public void noTokenIssued(UUID consentId) {
        AppConsent.update("tokenIssuedAt = null where id = ?1", consentId);
    }

    /** BASE64URL-ENCODE(SHA256(ASCII(code_verifier))), RFC 7636 §4.2. */
    static String s256(String codeVerifier) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Digests.sha256(codeVerifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Redemption refused(String description) {
        return new Redemption.Refused("invalid_grant", description);
    }

    /**
     * Keeps the table small: deletes consents that never got a token after a day (their codes expired
     * long ago), connections that ended more than {@link #ENDED_KEPT} ago, and ended connections that
     * a newer connection of the same app for the same patient replaced (the page shows only the newest).
     */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "1h",
            delayed = "15m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeOldConsents() {
        Instant now = clock.instant();
        Instant keptFrom = now.minus(ENDED_KEPT);
        long deleted =
                AppConsent.delete(
                        "(tokenIssuedAt is null and createdAt < ?1) or revokedAt < ?2 "
                                + "or (grantEndsAt is null and tokenIssuedAt < ?3) or grantEndsAt < ?2",
                        now.minus(Duration.ofDays(1)),
                        keptFrom,
                        keptFrom.minus(tokenLifetime));
        int replaced =
                AppConsent.getEntityManager()
                        .createNativeQuery(
                                """
                        delete from app_consent c where c.token_issued_at is not null
                          and (c.revoked_at is not null or (c.grant_ends_at is null and c.token_issued_at <= ?1)
                               or c.grant_ends_at <= ?2)
                          and exists (select 1 from app_consent n where n.user_id = c.user_id and n.client_id = c.client_id
                                      and n.patient_id = c.patient_id and n.token_issued_at > c.token_issued_at)""")
                        .setParameter(1, now.minus(tokenLifetime))
                        .setParameter(2, now)
                        .executeUpdate();
        if (deleted + replaced > 0) {
            Log.infof("app consents purged count=%d replaced=%d", deleted, replaced);
        }
    }
}
