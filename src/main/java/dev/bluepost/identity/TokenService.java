package dev.bluepost.identity;

import dev.bluepost.crypto.CryptoConfig;
import dev.bluepost.crypto.SigningKeys;
import dev.bluepost.platform.DataDirectory;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** Issues and verifies the signed (RS256) access tokens of OAuth2 clients. */
@Startup
@ApplicationScoped
public class TokenService {

    public static final String SYSTEM_SCOPE = "system/*.*";
    private static final String KEY_ID = "bluepost-token-1";

    private final SecurityConfig config;
    private final Clock clock;
    private final KeyPair keys;
    private final DefaultJWTParser parser;

    public TokenService(SecurityConfig config, CryptoConfig cryptoConfig, DataDirectory dataDirectory, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.keys = config.signingKeyLocation().filter(l -> !l.isBlank())
                .map(location -> SigningKeys.load(Path.of(location)))
                .orElseGet(() -> {
                    if (!cryptoConfig.generateDevKeys()) {
                        throw new IllegalStateException("no token signing key configured: set BLUEPOST_SIGNING_KEY "
                                + "to a PKCS#8 PEM RSA private key file");
                    }
                    return SigningKeys.loadOrGenerate(dataDirectory.folder("keys").resolve("token-signing.pem"));
                });
        JWTAuthContextInfo info = new JWTAuthContextInfo(keys.getPublic(), config.tokenIssuer());
        info.setExpGracePeriodSecs(5);
        info.setRequiredClaims(java.util.Set.of("exp", "iat", "sub"));
        this.parser = new DefaultJWTParser(info);
    }

    public record IssuedToken(String token, long expiresInSeconds, String scope) {
    }

    public IssuedToken issueForClient(String clientId, String scope) {
        long lifetime = config.tokenLifetime().toSeconds();
        long now = clock.instant().getEpochSecond();
        String token = Jwt.issuer(config.tokenIssuer())
                .subject(clientId)
                .issuedAt(now)
                .expiresAt(now + lifetime)
                .claim("jti", UUID.randomUUID().toString())
                .claim("client_id", clientId)
                .claim("scope", scope)
                .jws().keyId(KEY_ID)
                .sign(keys.getPrivate());
        return new IssuedToken(token, lifetime, scope);
    }

    /** The verified token, or empty when its signature, issuer or expiry is wrong. */
    public Optional<JsonWebToken> verify(String token) {
        try {
            return Optional.of(parser.parse(token));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
