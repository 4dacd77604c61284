package dev.bluepost.identity.apps;

import dev.bluepost.identity.TokenResource;
import dev.bluepost.identity.TokenService;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The token endpoint's {@code refresh_token} grant (RFC 6749 §6) for patient apps, public clients:
 * {@code refresh_token}, {@code client_id} and an optional narrower {@code scope}; the answer is a
 * new access token and a new refresh token (rotation, {@link RefreshTokenService}). Errors per §5.2.
 */
@ApplicationScoped
public class RefreshGrant {

    private static final int MAX_TOKEN = 200;

    private final ClientApps apps;
    private final RefreshTokenService refreshTokens;
    private final TokenService tokens;

    public RefreshGrant(ClientApps apps, RefreshTokenService refreshTokens, TokenService tokens) {
        this.apps = apps;
        this.refreshTokens = refreshTokens;
        this.tokens = tokens;
    }

    public Response exchange(MultivaluedMap<String, String> form, String authorization) {
        for (String name : List.of("grant_type", "refresh_token", "client_id", "scope")) {
            List<String> values = form.get(name);
            if (values != null && values.size() > 1) {
                return TokenResource.error(400, "invalid_request", name + " must be given once");
            }
        }
        if (authorization != null || form.containsKey("client_secret")) {
            return TokenResource.error(
                    401,
                    "invalid_client",
                    "patient apps are public clients and do not authenticate with a secret");
        }
        String clientId = form.getFirst("client_id");
        String value = form.getFirst("refresh_token");
        String scope = form.getFirst("scope");
        if (clientId == null || clientId.isBlank()) {
            return TokenResource.error(400, "invalid_request", "client_id is required");
        }
        if (apps.app(clientId).isEmpty()) {
            return TokenResource.error(401, "invalid_client", "the client is not a registered app");
        }
        if (value == null || value.isBlank() || value.length() > MAX_TOKEN) {
            return TokenResource.error(400, "invalid_request", "refresh_token is required");
        }
        if (scope != null && (scope.isBlank() || scope.length() > 1000)) {
            return TokenResource.error(
                    400, "invalid_scope", "scope, when given, names at most the scopes granted");
        }
        RefreshTokenService.Refresh outcome = refreshTokens.refresh(value, clientId, scope);
        if (outcome instanceof RefreshTokenService.Refresh.Refused refused) {
            Log.infof("refresh refused: %s client=%s", refused.error(), clientId);
            return TokenResource.error(400, refused.error(), refused.description());
        }
        RefreshTokenService.Refresh.Granted granted = (RefreshTokenService.Refresh.Granted) outcome;
        TokenService.IssuedToken issued = tokens.issueForUser(granted.grant());
        Log.infof(
                "token refreshed client=%s userId=%s consentId=%s expiresIn=%d",
                clientId,
                granted.grant().userId(),
                granted.grant().consentId(),
                issued.expiresInSeconds());
        return TokenResource.issued(
                issued, granted.grant().patientId().toString(), granted.refreshToken());
    }
}
