package dev.bluepost.identity;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditService;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.web.RequestIds;
import io.quarkus.logging.Log;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OAuth 2.0 token endpoint, client-credentials grant (RFC 6749 §4.4). The client authenticates
 * with HTTP Basic or with {@code client_id}/{@code client_secret} form fields. Errors use the
 * OAuth error body (§5.2).
 */
@Path("/oauth/token")
public class TokenResource {

    private final SecurityConfig config;
    private final TokenService tokens;
    private final AuditService audit;

    public TokenResource(SecurityConfig config, TokenService tokens, AuditService audit) {
        this.config = config;
        this.tokens = tokens;
        this.audit = audit;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Obtain an access token (OAuth 2.0 client credentials)")
    public Response token(@FormParam("grant_type") String grantType,
                          @FormParam("client_id") String formClientId,
                          @FormParam("client_secret") String formClientSecret,
                          @FormParam("scope") String scope,
                          @HeaderParam("Authorization") String authorization) {
        if (grantType == null || grantType.isBlank()) {
            return error(400, "invalid_request", "grant_type is required");
        }
        if (!"client_credentials".equals(grantType)) {
            return error(400, "unsupported_grant_type", "only client_credentials is supported");
        }
        String clientId = formClientId;
        String clientSecret = formClientSecret;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] basic = decodeBasic(authorization.substring(6).trim());
            if (basic == null) {
                return error(401, "invalid_client", "the Basic credentials are malformed");
            }
            if (clientId != null && !clientId.equals(basic[0])) {
                return error(400, "invalid_request", "client_id differs from the Basic credentials");
            }
            clientId = basic[0];
            clientSecret = basic[1];
        }
        if (clientId == null || clientSecret == null) {
            return error(401, "invalid_client", "client authentication is required");
        }
        if (!constantTimeEquals(clientId, config.systemClientId()) || !constantTimeEquals(clientSecret, config.systemClientSecret())) {
            Log.infof("token refused: invalid client credentials");
            // the claimed client id is not recorded: it is unverified input
            audit.record(null, AuditEntry.of(AuditAction.LOGIN_FAILED).failure("invalid-client"));
            return error(401, "invalid_client", "the client credentials are not valid");
        }
        if (scope != null && !scope.isBlank() && !scope.trim().equals(TokenService.SYSTEM_SCOPE)) {
            return error(400, "invalid_scope", "the only scope offered is " + TokenService.SYSTEM_SCOPE);
        }
        TokenService.IssuedToken issued = tokens.issueForClient(clientId, TokenService.SYSTEM_SCOPE);
        Log.infof("token issued client=%s expiresIn=%d", clientId, issued.expiresInSeconds());
        audit.record(Actor.system(clientId), AuditEntry.of(AuditAction.LOGIN).reason("token-issued"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", issued.expiresInSeconds());
        body.put("scope", issued.scope());
        return Response.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    private static Response error(int status, String code, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        body.put("request_id", RequestIds.current());
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body)
                .header("Cache-Control", "no-store");
        if (status == 401) {
            response.header("WWW-Authenticate", "Basic realm=\"bluepost\"");
        }
        return response.build();
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new String[]{urlDecode(decoded.substring(0, colon)), urlDecode(decoded.substring(colon + 1))};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 6749 §2.3.1: client id and secret are form-url-encoded before Basic encoding. */
    private static String urlDecode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
