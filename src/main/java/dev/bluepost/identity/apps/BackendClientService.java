package dev.bluepost.identity.apps;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.JoseException;

/**
 * A practice's backend clients (SMART Backend Services, ADR 0048): registered by the practice's
 * admin with their public keys, they authenticate at the token endpoint with a signed JWT (RFC 7523
 * client assertion) instead of a secret. This service keeps their registrations, checks the keys
 * they are given, and verifies an assertion (signature by a registered key named by {@code kid},
 * issuer and subject = the client id, audience = the token URL, expiry at most five minutes ahead,
 * a {@code jti} used once on every instance).
 */
@ApplicationScoped
public class BackendClientService {

    /** SMART Backend Services: an assertion expires at most five minutes after it is checked. */
    public static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);

    /** How long an instance trusts that a client is still enabled (a disable on the same instance counts at once). */
    public static final Duration ENABLED_CACHE = Duration.ofSeconds(30);

    /** RS384 and ES384 are what SMART requires; the others are accepted (the discovery document lists them). */
    public static final String[] ALGORITHMS =
            dev.bluepost.platform.security.SmartConfiguration.ASSERTION_ALGORITHMS.toArray(
                    String[]::new);

    private static final Set<String> PRIVATE_MEMBERS =
            Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final int MAX_JWKS_LENGTH = 50_000;
    private static final int MAX_KEYS = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager em;
    private final AuditRecorder audit;
    private final Clock clock;
    private final Map<String, Cached> enabled = new ConcurrentHashMap<>();

    public BackendClientService(EntityManager em, AuditRecorder audit, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    /** A backend client as its practice's admin sees it. */
    public record ClientView(
            UUID id,
            String clientId,
            UUID practiceId,
            String name,
            boolean enabled,
            List<String> keyIds,
            Instant createdAt,
            Instant updatedAt) {}

    // ---- registrations (the admin page)

    @Transactional
    public List<ClientView> clientsOf(UUID practiceId) {
        return em
                .createQuery(
                        "from BackendClient where practiceId = :p order by createdAt, id",
                        BackendClient.class)
                .setParameter("p", practiceId)
                .getResultList()
                .stream()
                .map(BackendClientService::view)
                .toList();
    }

    /** The client, if it belongs to the admin's practice (404 otherwise, in the reader's words). */
    @Transactional
    public ClientView clientOf(Actor admin, UUID id) {
        return view(own(admin, id));
    }

    /** Registers a client for the admin's practice; one audit entry. */
    @Transactional
    public ClientView register(Actor admin, String name, String jwks) {
        requireAdmin(admin);
        String checkedName = checkName(name);
        String keys = checkKeys(jwks);
        BackendClient client = new BackendClient();
        client.id = Ids.newId();
        client.clientId = newClientId();
        client.practiceId = admin.practiceId();
        client.name = checkedName;
        client.jwks = keys;
        client.createdAt = clock.instant();
        client.updatedAt = client.createdAt;
        em.persist(client);
        audit.record(
                admin,
                AuditEntry.of(AuditAction.CREATE)
                        .on("BackendClient", client.id)
                        .practice(client.practiceId)
                        .reason("backend-client-registered"));
        Log.infof(
                "backend client registered id=%s practice=%s by=%s",
                client.id, client.practiceId, admin.logId());
        return view(client);
    }

    /** Replaces the client's name and public keys; one audit entry. */
    @Transactional
    public ClientView replaceKeys(Actor admin, UUID id, String name, String jwks) {
        BackendClient client = own(admin, id);
        String checkedName = checkName(name);
        String keys = checkKeys(jwks);
        client.name = checkedName;
        client.jwks = keys;
        client.updatedAt = clock.instant();
        audit.record(
                admin,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("BackendClient", client.id)
                        .practice(client.practiceId)
                        .reason("backend-client-keys-replaced"));
        Log.infof("backend client keys replaced id=%s by=%s", client.id, admin.logId());
        return view(client);
    }

    /** Disables (or enables again) the client: its tokens stop working ({@link #enabledPractice}); one audit entry. */
    @Transactional
    public void setEnabled(Actor admin, UUID id, boolean on) {
        BackendClient client = own(admin, id);
        if (client.enabled == on) {
            return;
        }
        client.enabled = on;
        client.updatedAt = clock.instant();
        client.disabledAt = on ? null : client.updatedAt;
        enabled.remove(client.clientId);
        audit.record(
                admin,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("BackendClient", client.id)
                        .practice(client.practiceId)
                        .reason(on ? "backend-client-enabled" : "backend-client-disabled"));
        Log.infof(
                "backend client %s id=%s by=%s",
                on ? "enabled" : "disabled", client.id, admin.logId());
    }

    private BackendClient own(Actor admin, UUID id) {
        requireAdmin(admin);
        BackendClient client = id == null ? null : em.find(BackendClient.class, id);
        if (client == null || !client.practiceId.equals(admin.practiceId())) {
            throw refused(ErrorKind.NOT_FOUND, null, IntegrationMessages::error_not_found);
        }
        return client;
    }

    private static void requireAdmin(Actor admin) {
        if (!admin.has(Role.ADMIN) || admin.practiceId() == null) {
            throw refused(ErrorKind.FORBIDDEN, null, IntegrationMessages::error_not_allowed);
        }
    }

    private static String checkName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            throw refused(ErrorKind.BUSINESS_RULE, "name", IntegrationMessages::error_name_empty);
        }
        if (trimmed.length() > 200) {
            throw refused(ErrorKind.BUSINESS_RULE, "name", IntegrationMessages::error_name_long);
        }
        return trimmed;
    }

    /**
     * The public keys as they will be stored, or a refusal on the {@code jwks} field: a JSON Web Key
     * Set of one to ten keys, each RSA of at least 2048 bits or EC on P-256 or P-384, each with a
     * {@code kid} of its own, none with a private part (a private key pasted here would be a secret
     * leaked: it is refused, not stripped).
     */
    public static String checkKeys(String jwks) {
        String text = jwks == null ? "" : jwks.strip();
        if (text.isEmpty()) {
            throw refused(ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_empty);
        }
        if (text.length() > MAX_JWKS_LENGTH) {
            throw refused(
                    ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_not_jwks);
        }
        Map<String, Object> parsed;
        try {
            parsed = org.jose4j.json.JsonUtil.parseJson(text);
        } catch (JoseException | RuntimeException e) {
            throw refused(
                    ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_not_jwks);
        }
        if (!(parsed.get("keys") instanceof List<?> rawKeys)
                || rawKeys.isEmpty()
                || rawKeys.size() > MAX_KEYS) {
            throw refused(
                    ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_not_jwks);
        }
        for (Object raw : rawKeys) {
            if (!(raw instanceof Map<?, ?> members)) {
                throw refused(
                        ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_not_jwks);
            }
            if (members.keySet().stream().anyMatch(PRIVATE_MEMBERS::contains)) {
                throw refused(
                        ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_private);
            }
        }
        JsonWebKeySet set;
        try {
            set = new JsonWebKeySet(text);
        } catch (JoseException | RuntimeException e) {
            throw refused(
                    ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_not_jwks);
        }
        if (set.getJsonWebKeys().size() != rawKeys.size()) {
            throw refused(ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_type);
        }
        Set<String> kids = new HashSet<>();
        for (JsonWebKey key : set.getJsonWebKeys()) {
            if (key.getKeyId() == null || key.getKeyId().isBlank()) {
                throw refused(ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_kid);
            }
            if (!kids.add(key.getKeyId())) {
                throw refused(
                        ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_kid_twice);
            }
            if (key instanceof RsaJsonWebKey rsa) {
                if (rsa.getPrivateKey() != null) {
                    throw refused(
                            ErrorKind.BUSINESS_RULE,
                            "jwks",
                            IntegrationMessages::error_keys_private);
                }
                if (((RSAPublicKey) rsa.getPublicKey()).getModulus().bitLength() < 2048) {
                    throw refused(
                            ErrorKind.BUSINESS_RULE,
                            "jwks",
                            IntegrationMessages::error_keys_rsa_short);
                }
            } else if (key instanceof EllipticCurveJsonWebKey ec) {
                if (ec.getPrivateKey() != null) {
                    throw refused(
                            ErrorKind.BUSINESS_RULE,
                            "jwks",
                            IntegrationMessages::error_keys_private);
                }
                if (!"P-256".equals(ec.getCurveName()) && !"P-384".equals(ec.getCurveName())) {
                    throw refused(
                            ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_type);
                }
            } else {
                throw refused(
                        ErrorKind.BUSINESS_RULE, "jwks", IntegrationMessages::error_keys_type);
            }
        }
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    static BluepostException refused(
            ErrorKind kind, String field, Function<IntegrationMessages, String> words) {
        return BluepostException.said(kind, IntegrationMessages.class, words).about(field);
    }

    private static String newClientId() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return "bp-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ClientView view(BackendClient client) {
        List<String> kids;
        try {
            kids =
                    new JsonWebKeySet(client.jwks)
                            .getJsonWebKeys().stream().map(JsonWebKey::getKeyId).toList();
        } catch (JoseException e) {
            kids = List.of();
        }
        return new ClientView(
                client.id,
                client.clientId,
                client.practiceId,
                client.name,
                client.enabled,
                kids,
                client.createdAt,
                client.updatedAt);
    }

    // ---- authentication (the token endpoint)

    /** What became of a client assertion: the client it authenticated, or why not (an audit reason, never the assertion). */
    public sealed interface Assertion {
        record Accepted(String clientId, UUID practiceId) implements Assertion {}

        /** {@code clientId}/{@code practiceId} are set when the assertion named a registered client. */
        record Refused(String reason, String description, String clientId, UUID practiceId)
                implements Assertion {}
    }

    /**
     * Verifies an RFC 7523 client assertion for the token endpoint at {@code tokenUrl}. On success
     * its {@code jti} is recorded (so it cannot be used again while it is valid); on any refusal
     * nothing is written here (the caller audits the failure).
     */
    @Transactional
    public Assertion authenticate(String assertion, String formClientId, String tokenUrl) {
        JwtContext unverified;
        try {
            unverified =
                    new JwtConsumerBuilder()
                            .setSkipAllValidators()
                            .setDisableRequireSignature()
                            .setSkipSignatureVerification()
                            .build()
                            .process(assertion);
        } catch (InvalidJwtException | RuntimeException e) {
            return new Assertion.Refused(
                    "malformed-assertion", "client_assertion is not a signed JWT", null, null);
        }
        String issuer;
        try {
            issuer = unverified.getJwtClaims().getIssuer();
        } catch (MalformedClaimException e) {
            issuer = null;
        }
        if (issuer == null || (formClientId != null && !formClientId.equals(issuer))) {
            return new Assertion.Refused(
                    "unknown-client",
                    "the assertion's issuer is not a registered client",
                    null,
                    null);
        }
        List<BackendClient> found =
                em.createQuery("from BackendClient where clientId = :c", BackendClient.class)
                        .setParameter("c", issuer)
                        .getResultList();
        if (found.isEmpty()) {
            return new Assertion.Refused(
                    "unknown-client",
                    "the assertion's issuer is not a registered client",
                    null,
                    null);
        }
        BackendClient client = found.get(0);
        Function<String[], Assertion> refused =
                r -> new Assertion.Refused(r[0], r[1], client.clientId, client.practiceId);
        if (!client.enabled) {
            return refused.apply(
                    new String[] {"client-disabled", "the client was disabled by its practice"});
        }
        String kid =
                unverified.getJoseObjects().isEmpty()
                        ? null
                        : unverified.getJoseObjects().get(0).getKeyIdHeaderValue();
        JsonWebKey key;
        try {
            key =
                    kid == null
                            ? null
                            : new JsonWebKeySet(client.jwks).findJsonWebKey(kid, null, null, null);
        } catch (JoseException e) {
            key = null;
        }
        if (key == null) {
            return refused.apply(
                    new String[] {
                        "unknown-kid",
                        "the assertion's kid names none of the client's registered keys"
                    });
        }
        Instant now = clock.instant();
        JwtConsumer consumer =
                new JwtConsumerBuilder()
                        .setEvaluationTime(NumericDate.fromSeconds(now.getEpochSecond()))
                        .setAllowedClockSkewInSeconds(0)
                        .setRequireExpirationTime()
                        .setMaxFutureValidityInMinutes((int) MAX_ASSERTION_LIFETIME.toMinutes())
                        .setRequireJwtId()
                        .setExpectedIssuer(client.clientId)
                        .setExpectedSubject(client.clientId)
                        .setExpectedAudience(tokenUrl)
                        .setJwsAlgorithmConstraints(
                                AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS)
                        .setVerificationKey(key.getKey())
                        .build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(assertion);
        } catch (InvalidJwtException e) {
            return refused.apply(why(e));
        }
        String jti;
        Instant expires;
        try {
            jti = claims.getJwtId();
            expires = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
        } catch (MalformedClaimException e) {
            return refused.apply(
                    new String[] {"malformed-assertion", "the assertion's claims are malformed"});
        }
        if (jti.length() > 255) {
            return refused.apply(
                    new String[] {
                        "malformed-assertion", "the assertion's jti is longer than 255 characters"
                    });
        }
        em.createNativeQuery("delete from backend_client_jti where expires_at < ?1")
                .setParameter(1, now)
                .executeUpdate();
        int recorded =
                em.createNativeQuery(
                                "insert into backend_client_jti (client_id, jti, expires_at) values (?1, ?2, ?3) "
                                        + "on conflict do nothing")
                        .setParameter(1, client.clientId)
                        .setParameter(2, jti)
                        .setParameter(3, expires)
                        .executeUpdate();
        if (recorded == 0) {
            return refused.apply(
                    new String[] {"replayed-jti", "the assertion's jti was used before"});
        }
        return new Assertion.Accepted(client.clientId, client.practiceId);
    }

    /** The refusal of a verified-claims check, in words that say which rule failed, never the assertion itself. */
    private static String[] why(InvalidJwtException e) {
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.EXPIRED)) {
            return new String[] {"assertion-expired", "the assertion has expired"};
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.EXPIRATION_TOO_FAR_IN_FUTURE)) {
            return new String[] {
                "assertion-lifetime", "the assertion's exp is more than five minutes away"
            };
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_INVALID)
                || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_MISSING)) {
            return new String[] {
                "wrong-audience", "the assertion's aud is not this token endpoint's URL"
            };
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_INVALID)) {
            return new String[] {
                "bad-signature",
                "the assertion's signature does not verify with the key its kid names"
            };
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.JWT_ID_MISSING)) {
            return new String[] {"missing-jti", "the assertion has no jti"};
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.EXPIRATION_MISSING)) {
            return new String[] {"missing-exp", "the assertion has no exp"};
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_INVALID)
                || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SUBJECT_INVALID)
                || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SUBJECT_MISSING)) {
            return new String[] {
                "wrong-subject", "the assertion's iss and sub must both be the client id"
            };
        }
        return new String[] {
            "invalid-assertion", "the assertion is not valid (algorithm, signature or claims)"
        };
    }

    // ---- access tokens (the bearer mechanism)

    private record Cached(UUID practiceId, boolean enabled, Instant until) {}

    /**
     * What this instance remembers (for {@link #ENABLED_CACHE}) of a client: its practice when it is
     * enabled, empty when it is unknown or disabled; {@code null} when it does not remember, and
     * {@link #enabledPractice} must read the database.
     */
    public Optional<UUID> enabledPracticeIfKnown(String clientId) {
        Cached cached = enabled.get(clientId);
        if (cached == null || !clock.instant().isBefore(cached.until())) {
            return null;
        }
        return cached.enabled() ? Optional.of(cached.practiceId()) : Optional.empty();
    }

    /** As {@link #enabledPracticeIfKnown}, reading the database when this instance does not know (blocking). */
    @Transactional
    public Optional<UUID> enabledPractice(String clientId) {
        Optional<UUID> known = enabledPracticeIfKnown(clientId);
        if (known != null) {
            return known;
        }
        List<BackendClient> found =
                em.createQuery("from BackendClient where clientId = :c", BackendClient.class)
                        .setParameter("c", clientId)
                        .getResultList();
        Cached fresh =
                found.isEmpty()
                        ? new Cached(null, false, clock.instant().plus(ENABLED_CACHE))
                        : new Cached(
                                found.get(0).practiceId,
                                found.get(0).enabled,
                                clock.instant().plus(ENABLED_CACHE));
        if (enabled.size() > 10_000) {
            enabled.clear();
        }
        enabled.put(clientId, fresh);
        return fresh.enabled() ? Optional.of(fresh.practiceId()) : Optional.empty();
    }
}
