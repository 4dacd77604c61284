package dev.bluepost.identity;

import dev.bluepost.crypto.Digests;
import dev.bluepost.platform.Ids;
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
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The authorization-code grant's server side (RFC 6749 §4.1, RFC 7636): records a person's consent
 * with a one-time code, redeems the code once, and tells the bearer mechanism whether a consent is
 * still in force. Codes live {@link #CODE_LIFETIME}, are stored as SHA-256 only, and are bound to
 * the app, the redirect URI and the PKCE challenge.
 */
@ApplicationScoped
public class AppAuthorizationService {

    public static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AppAuthorizationService(Clock clock) {
        this.clock = clock;
    }

    /** What a person approved: who, for which patient (and, for a proxy, through which authorization), what. */
    public record Grant(UUID consentId, String clientId, UUID userId, Role role, UUID patientId, UUID relatedPersonId,
                        String scope) {
    }

    /** The outcome of presenting a code at the token endpoint. */
    public sealed interface Redemption {
        record Granted(Grant grant) implements Redemption {
        }

        /** An OAuth error code ({@code invalid_grant}) and a description safe to show the client. */
        record Refused(String error, String description) implements Redemption {
        }
    }

    /** Records the consent and returns its one-time code (shown once; only its digest is kept). */
    @Transactional
    public String approve(String clientId, UUID userId, Role role, UUID patientId, UUID relatedPersonId, String scope,
                          String redirectUri, String codeChallenge) {
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
        consent.persist();
        Log.infof("app consent given consentId=%s client=%s userId=%s", consent.id, clientId, userId);
        return code;
    }

    /**
     * Redeems a code: once only (a second presentation also revokes the consent, and so every token
     * issued for it: RFC 6749 §4.1.2), before it expires, by the app it was issued to, with the same
     * redirect URI, and with the verifier whose S256 digest is the challenge. Any presentation of a
     * known code uses it up, whatever the outcome.
     */
    @Transactional
    public Redemption redeem(String code, String clientId, String redirectUri, String codeVerifier) {
        Optional<AppConsent> found = AppConsent.<AppConsent>find("codeSha256", Digests.sha256Hex(code))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        if (found.isEmpty()) {
            return refused("the authorization code is not valid");
        }
        AppConsent consent = found.get();
        Instant now = clock.instant();
        if (consent.codeRedeemedAt != null) {
            if (consent.revokedAt == null) {
                consent.revokedAt = now;
                Log.warnf("authorization code presented again: consent revoked consentId=%s client=%s", consent.id,
                        consent.clientId);
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
        if (!MessageDigest.isEqual(s256(codeVerifier).getBytes(StandardCharsets.US_ASCII),
                consent.codeChallenge.getBytes(StandardCharsets.US_ASCII))) {
            return refused("code_verifier does not match the code_challenge");
        }
        return new Redemption.Granted(new Grant(consent.id, consent.clientId, consent.userId, consent.role, consent.patientId,
                consent.relatedPersonId, consent.scope));
    }

    /**
     * Revokes every consent of a login, and so every app token issued for them (they are checked
     * against their consent on each request): the login was deactivated, its password changed, or an
     * admin signed it out everywhere. Returns how many consents were in force.
     */
    @Transactional
    public int revokeAllOf(UUID userId) {
        int revoked = AppConsent.update("revokedAt = ?1 where userId = ?2 and revokedAt is null", clock.instant(), userId);
        if (revoked > 0) {
            Log.infof("app consents revoked userId=%s count=%d", userId, revoked);
        }
        return revoked;
    }

    /** BASE64URL-ENCODE(SHA256(ASCII(code_verifier))), RFC 7636 §4.2. */
    static String s256(String codeVerifier) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Digests.sha256(codeVerifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Redemption refused(String description) {
        return new Redemption.Refused("invalid_grant", description);
    }

    /** Deletes consents older than a day: their codes expired long ago, and so did every token issued for them. */
    @Scheduled(skipExecutionIf = Scheduled.ApplicationNotRunning.class, every = "1h", delayed = "15m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeOldConsents() {
        long deleted = AppConsent.delete("createdAt < ?1", clock.instant().minus(Duration.ofDays(1)));
        if (deleted > 0) {
            Log.infof("app consents purged count=%d", deleted);
        }
    }
}
