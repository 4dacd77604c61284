package dev.bluepost.identity.apps;

import dev.bluepost.identity.BearerAuthenticationMechanism;
import dev.bluepost.identity.TokenResource;
import dev.bluepost.identity.TokenService;
import io.quarkus.logging.Log;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * OAuth 2.0 token revocation (RFC 7009) for patient apps, public clients naming themselves with
 * {@code client_id}: revoking a refresh token or an access token ends the app's grant (its consent,
 * every refresh token of it, and so every access token at its next request). An unknown or
 * already-ended token answers 200 too (§2.2). ADR 0047.
 */
@Path("/oauth/revoke")
public class RevocationResource {

    private final ClientApps apps;
    private final RefreshTokenService refreshTokens;
    private final TokenService tokens;

    public RevocationResource(
            ClientApps apps, RefreshTokenService refreshTokens, TokenService tokens) {
        this.apps = apps;
        this.refreshTokens = refreshTokens;
        this.tokens = tokens;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke a patient app's refresh or access token (RFC 7009)")
    public Response revoke(
            MultivaluedMap<String, String> form,
            @HeaderParam("Authorization") String authorization) {
        for (String name : List.of("token", "token_type_hint", "client_id")) {
            List<String> values = form.get(name);
            if (values != null && values.size() > 1) {
                return TokenResource.error(400, "invalid_request", name + " must be given once");
            }
        }
        boolean basic =
                authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        if (basic || form.containsKey("client_secret")) {
            return TokenResource.error(
                    401,
                    "invalid_client",
                    "patient apps are public clients and do not authenticate with a secret");
        }
        String clientId = form.getFirst("client_id");
        if (clientId == null || apps.app(clientId).isEmpty()) {
            return TokenResource.error(
                    401, "invalid_client", "client_id must name a registered app");
        }
        String token = form.getFirst("token");
        if (token == null || token.isBlank() || token.length() > 8192) {
            return TokenResource.error(400, "invalid_request", "token is required");
        }
        RefreshTokenService.Revocation done =
                token.length() <= 200
                        ? refreshTokens.revoke(token, clientId)
                        : RefreshTokenService.Revocation.UNKNOWN;
        if (done == RefreshTokenService.Revocation.UNKNOWN) {
            Optional<UUID> consent = tokens.verify(token).map(RevocationResource::consentOf);
            if (consent.isPresent()) {
                done = refreshTokens.revokeConsentOf(consent.get(), clientId);
            }
        }
        if (done == RefreshTokenService.Revocation.OTHER_CLIENT) {
            return TokenResource.error(
                    400, "invalid_request", "the token was issued to another client");
        }
        Log.infof("token revocation client=%s outcome=%s", clientId, done);
        return Response.ok().header("Cache-Control", "no-store").build();
    }

    private static UUID consentOf(JsonWebToken jwt) {
        String consent =
                BearerAuthenticationMechanism.UserToken.text(
                        jwt.getClaim(TokenService.CLAIM_CONSENT));
        try {
            return consent == null ? null : UUID.fromString(consent);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
