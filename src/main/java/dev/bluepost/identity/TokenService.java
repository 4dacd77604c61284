package dev.bluepost.identity;

import dev.bluepost.crypto.CryptoConfig;
import dev.bluepost.crypto.SigningKeys;
import dev.bluepost.identity.apps.AppAuthorizationService;
import dev.bluepost.platform.DataDirectory;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Issues and verifies the signed (RS256) access tokens: a system client's (client credentials) and
 * a patient app's (authorization code), which names the person, their role, the patient and the
 * consent it was issued for.
 */
@Startup
@ApplicationScoped
public class TokenService {

    public static final String SYSTEM_SCOPE = "system/*.*";

    /** Patient apps' tokens never live longer than this, whatever {@code token-lifetime} says. */
    public static final Duration MAX_USER_TOKEN_LIFETIME = Duration.ofHours(1);

    public static final String CLAIM_CLIENT_ID = "client_id";
    public static final String CLAIM_SCOPE = "scope";
    public static final String CLAIM_ROLE = "role";
    public static final String CLAIM_PATIENT = "patient";
    public static final String CLAIM_RELATED_PERSON = "related_person";
    public static final String CLAIM_FHIR_USER = "fhirUser";
    public static final String CLAIM_CONSENT = "consent";
    private static final String KEY_ID = "bluepost-token-1";

    private final SecurityConfig config;
    private final Clock clock;
    private final KeyPair keys;
    private final DefaultJWTParser parser;

    public TokenService(
            SecurityConfig config,
            CryptoConfig cryptoConfig,
            DataDirectory dataDirectory,
            Clock clock) {
        this.config = config;
        this.clock = clock;
        this.keys =
                config.signingKeyLocation()
                        .filter(l -> !l.isBlank())
                        .map(location -> SigningKeys.load(Path.of(location)))
                        .orElseGet(
                                () -> {
                                    if (!cryptoConfig.generateDevKeys()) {
                                        throw new IllegalStateException(
                                                "no token signing key configured: set BLUEPOST_SIGNING_KEY "
                                                        + "to a PKCS#8 PEM RSA private key file");
                                    }
                                    return SigningKeys.loadOrGenerate(
                                            dataDirectory
                                                    .folder("keys")
                                                    .resolve("token-signing.pem"));
                                });
        JWTAuthContextInfo info = new JWTAuthContextInfo(keys.getPublic(), config.tokenIssuer());
        info.setExpGracePeriodSecs(5);
        info.setRequiredClaims(java.util.Set.of("exp", "iat", "sub"));
        this.parser = new DefaultJWTParser(info);
    }

    /** How long a patient app's token lives: {@code token-lifetime}, at most {@link #MAX_USER_TOKEN_LIFETIME}. */
    public static Duration userTokenLifetime(SecurityConfig config) {
        return config.tokenLifetime().compareTo(MAX_USER_TOKEN_LIFETIME) < 0
                ? config.tokenLifetime()
                : MAX_USER_TOKEN_LIFETIME;
    }

    public record IssuedToken(String token, long expiresInSeconds, String scope) {}

    public IssuedToken issueForClient(String clientId, String scope) {
        long lifetime = config.tokenLifetime().toSeconds();
        long now = clock.instant().getEpochSecond();
        String token =
                Jwt.issuer(config.tokenIssuer())
                        .subject(clientId)
                        .issuedAt(now)
                        .expiresAt(now + lifetime)
                        .claim("jti", UUID.randomUUID().toString())
                        .claim(CLAIM_CLIENT_ID, clientId)
                        .claim(CLAIM_SCOPE, scope)
                        .jws()
                        .keyId(KEY_ID)
                        .sign(keys.getPrivate());
        return new IssuedToken(token, lifetime, scope);
    }

    /**
     * A patient app's token: {@code sub} = the login, {@code role} = PATIENT or PROXY, {@code patient},
     * for a proxy {@code related_person}, {@code fhirUser} = the Patient or RelatedPerson the person is,
     * {@code consent} = the consent it was issued for, {@code client_id} = the app, {@code scope}. It
     * never outlives a lasting grant's end (ADR 0047).
     */
    public IssuedToken issueForUser(AppAuthorizationService.Grant grant) {
        long lifetime = userTokenLifetime(config).toSeconds();
        long now = clock.instant().getEpochSecond();
        if (grant.grantEndsAt() != null) {
            lifetime = Math.max(0, Math.min(lifetime, grant.grantEndsAt().getEpochSecond() - now));
        }
        var claims =
                Jwt.issuer(config.tokenIssuer())
                        .subject(grant.userId().toString())
                        .issuedAt(now)
                        .expiresAt(now + lifetime)
                        .claim("jti", UUID.randomUUID().toString())
                        .claim(CLAIM_CLIENT_ID, grant.clientId())
                        .claim(CLAIM_SCOPE, grant.scope())
                        .claim(CLAIM_ROLE, grant.role().name())
                        .claim(CLAIM_PATIENT, grant.patientId().toString())
                        .claim(CLAIM_CONSENT, grant.consentId().toString())
                        .claim(
                                CLAIM_FHIR_USER,
                                grant.relatedPersonId() != null
                                        ? "RelatedPerson/" + grant.relatedPersonId()
                                        : "Patient/" + grant.patientId());
        if (grant.relatedPersonId() != null) {
            claims.claim(CLAIM_RELATED_PERSON, grant.relatedPersonId().toString());
        }
        String token = claims.jws().keyId(KEY_ID).sign(keys.getPrivate());
        return new IssuedToken(token, lifetime, grant.scope());
    }

    /**
     * Tokens whose signature and issuer were verified, until they expire: an app sends the same
     * token with every request, and checking an RSA signature is the largest single cost of a
     * small request (docs/performance.md). Only what the signature proves is remembered; whether
     * the login, consent or session still holds is checked on every request, as before. Bounded:
     * when full, it starts again empty.
     */
    private final java.util.Map<String, JsonWebToken> verified =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final int VERIFIED_MAX = 4_096;

    /** The verified token, or empty when its signature, issuer or expiry is wrong. */
    public Optional<JsonWebToken> verify(String token) {
        JsonWebToken known = verified.get(token);
        if (known != null) {
            if (clock.instant().getEpochSecond() < known.getExpirationTime()) {
                return Optional.of(known);
            }
            verified.remove(token);
        }
        try {
            JsonWebToken parsed = parser.parse(token);
            if (verified.size() >= VERIFIED_MAX) {
                verified.clear();
            }
            verified.put(token, parsed);
            return Optional.of(parsed);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** The claim that makes a token a practice's backend client's (ADR 0048): the practice id. */
    public static final String CLAIM_PRACTICE = "practice";

    /**
     * A practice's backend client's token (SMART Backend Services): {@code sub} = {@code client_id} =
     * the client, {@code practice} = its practice, {@code scope} = the granted {@code system/…} scopes.
     * Lives at most as long as a patient app's ({@link #userTokenLifetime}): its client can be
     * turned off, and a short token bounds how long a copy of it is worth anything.
     */
    public IssuedToken issueForPracticeClient(String clientId, UUID practiceId, String scope) {
        long lifetime = userTokenLifetime(config).toSeconds();
        long now = clock.instant().getEpochSecond();
        String token =
                Jwt.issuer(config.tokenIssuer())
                        .subject(clientId)
                        .issuedAt(now)
                        .expiresAt(now + lifetime)
                        .claim("jti", UUID.randomUUID().toString())
                        .claim(CLAIM_CLIENT_ID, clientId)
                        .claim(CLAIM_PRACTICE, practiceId.toString())
                        .claim(CLAIM_SCOPE, scope)
                        .jws()
                        .keyId(KEY_ID)
                        .sign(keys.getPrivate());
        return new IssuedToken(token, lifetime, scope);
    }
}
