package dev.bluepost.identity;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.identity.apps.AppAuthorizationService;
import dev.bluepost.identity.apps.BackendClientGrant;
import dev.bluepost.identity.apps.ClientApps;
import dev.bluepost.identity.apps.PatientAppScopes;
import dev.bluepost.identity.apps.RefreshGrant;
import dev.bluepost.identity.apps.RefreshTokenService;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.web.RequestIds;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * OAuth 2.0 token endpoint (RFC 6749 §3.2). Two grants:
 * <ul>
 *   <li>{@code client_credentials} (§4.4) for the system client, which authenticates with HTTP Basic
 *       or with {@code client_id}/{@code client_secret} form fields;</li>
 *   <li>{@code authorization_code} (§4.1.3) with PKCE (RFC 7636) for registered patient apps, which
 *       are public clients: they name themselves with {@code client_id} and prove possession of the
 *       code with {@code code_verifier}; a lasting grant ({@code offline_access}) also gets a refresh token;</li>
 *   <li>{@code refresh_token} (§6) for those apps, rotating the refresh token ({@link RefreshGrant}, ADR 0047).</li>
 * </ul>
 * Errors use the OAuth error body (§5.2).
 */
@Path("/oauth/token")
public class TokenResource {

    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern CODE_VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final SecurityConfig config;
    private final TokenService tokens;
    private final ClientApps apps;
    private final AppAuthorizationService authorizations;
    private final IdentityService identities;
    private final AuditRecorder audit;

    /** The client_credentials grant of practices' backend clients (a signed assertion, ADR 0048). */
    @jakarta.inject.Inject BackendClientGrant backendClients;

    @jakarta.inject.Inject RefreshGrant refreshGrant;

    @jakarta.inject.Inject RefreshTokenService refreshTokens;

    public TokenResource(
            SecurityConfig config,
            TokenService tokens,
            ClientApps apps,
            AppAuthorizationService authorizations,
            IdentityService identities,
            AuditRecorder audit) {
        this.config = config;
        this.tokens = tokens;
        this.apps = apps;
        this.authorizations = authorizations;
        this.identities = identities;
        this.audit = audit;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Obtain an access token (OAuth 2.0 client credentials, or authorization code with PKCE)")
    public Response token(
            MultivaluedMap<String, String> form,
            @HeaderParam("Authorization") String authorization) {
        String grantType = form.getFirst("grant_type");
        if (grantType == null || grantType.isBlank()) {
            return error(400, "invalid_request", "grant_type is required");
        }
        return switch (grantType) {
            case "client_credentials" ->
                    BackendClientGrant.isAssertion(form)
                            ? backendClients.token(form, authorization)
                            : clientCredentials(
                                    form.getFirst("client_id"),
                                    form.getFirst("client_secret"),
                                    form.getFirst("scope"),
                                    authorization);
            case "authorization_code" -> authorizationCode(form, authorization);
            case "refresh_token" -> refreshGrant.exchange(form, authorization);
            default ->
                    error(
                            400,
                            "unsupported_grant_type",
                            "the grants supported are client_credentials, authorization_code and refresh_token");
        };
    }

    private Response clientCredentials(
            String formClientId, String formClientSecret, String scope, String authorization) {
        String clientId = formClientId;
        String clientSecret = formClientSecret;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] basic = decodeBasic(authorization.substring(6).trim());
            if (basic == null) {
                return error(401, "invalid_client", "the Basic credentials are malformed");
            }
            if (clientId != null && !clientId.equals(basic[0])) {
                return error(
                        400, "invalid_request", "client_id differs from the Basic credentials");
            }
            clientId = basic[0];
            clientSecret = basic[1];
        }
        if (clientId == null || clientSecret == null) {
            return error(401, "invalid_client", "client authentication is required");
        }
        if (!constantTimeEquals(clientId, config.systemClientId())
                || !constantTimeEquals(clientSecret, config.systemClientSecret())) {
            Log.infof("token refused: invalid client credentials");
            // the claimed client id is not recorded: it is unverified input
            audit.record(null, AuditEntry.of(AuditAction.LOGIN_FAILED).failure("invalid-client"));
            return error(401, "invalid_client", "the client credentials are not valid");
        }
        if (scope != null && !scope.isBlank() && !scope.trim().equals(TokenService.SYSTEM_SCOPE)) {
            return error(
                    400, "invalid_scope", "the only scope offered is " + TokenService.SYSTEM_SCOPE);
        }
        TokenService.IssuedToken issued =
                tokens.issueForClient(clientId, TokenService.SYSTEM_SCOPE);
        Log.infof("token issued client=%s expiresIn=%d", clientId, issued.expiresInSeconds());
        audit.record(
                Actor.system(clientId), AuditEntry.of(AuditAction.LOGIN).reason("token-issued"));
        return issued(issued, null);
    }

    /**
     * RFC 6749 §4.1.3 for public clients: the code, issued to this client for this redirect URI,
     * redeemed once with the PKCE verifier; the person must still be allowed to act for the patient.
     */
    private Response authorizationCode(MultivaluedMap<String, String> form, String authorization) {
        for (String name :
                List.of("grant_type", "code", "redirect_uri", "client_id", "code_verifier")) {
            List<String> values = form.get(name);
            if (values != null && values.size() > 1) {
                return error(400, "invalid_request", name + " must be given once");
            }
        }
        if (authorization != null || form.containsKey("client_secret")) {
            // registered apps are public clients: there is no secret they could present
            return error(
                    401,
                    "invalid_client",
                    "patient apps are public clients and do not authenticate with a secret");
        }
        String clientId = form.getFirst("client_id");
        String code = form.getFirst("code");
        String redirectUri = form.getFirst("redirect_uri");
        String verifier = form.getFirst("code_verifier");
        if (clientId == null || clientId.isBlank()) {
            return error(400, "invalid_request", "client_id is required");
        }
        if (apps.app(clientId).isEmpty()) {
            Log.infof("token refused: unknown app");
            return error(401, "invalid_client", "the client is not a registered app");
        }
        if (code == null || code.isBlank() || code.length() > 200) {
            return error(400, "invalid_request", "code is required");
        }
        if (redirectUri == null || redirectUri.isBlank()) {
            return error(400, "invalid_request", "redirect_uri is required");
        }
        if (verifier == null || !CODE_VERIFIER.matcher(verifier).matches()) {
            return error(
                    400,
                    "invalid_request",
                    "code_verifier is required: 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
        }
        AppAuthorizationService.Redemption redemption =
                authorizations.redeem(code, clientId, redirectUri, verifier);
        if (redemption instanceof AppAuthorizationService.Redemption.Refused refused) {
            Log.infof("token refused: %s client=%s", refused.error(), clientId);
            return error(400, refused.error(), refused.description());
        }
        AppAuthorizationService.Grant grant =
                ((AppAuthorizationService.Redemption.Granted) redemption).grant();
        Optional<Actor> actor =
                identities
                        .actorFor(grant.userId(), grant.relatedPersonId())
                        .filter(
                                a ->
                                        a.has(grant.role())
                                                && grant.patientId().equals(a.patientId()));
        if (actor.isEmpty()) {
            authorizations.noTokenIssued(grant.consentId());
            return error(400, "invalid_grant", "the person may no longer act for this patient");
        }
        TokenService.IssuedToken issued = tokens.issueForUser(grant);
        String refreshToken =
                PatientAppScopes.offline(grant.scope()) && grant.grantEndsAt() != null
                        ? refreshTokens.issue(grant)
                        : null;
        audit.record(
                actor.get(),
                AuditEntry.of(AuditAction.LOGIN)
                        .reason("app-token-issued")
                        .patient(grant.patientId()));
        Log.infof(
                "token issued client=%s userId=%s consentId=%s expiresIn=%d refresh=%s",
                clientId,
                grant.userId(),
                grant.consentId(),
                issued.expiresInSeconds(),
                refreshToken != null);
        return issued(issued, grant.patientId().toString(), refreshToken);
    }

    /** The token response (§5.1); a patient app's also names the patient, as SMART's launch context. */
    private static Response issued(TokenService.IssuedToken issued, String patient) {
        return issued(issued, patient, null);
    }

    /** The token response, with a refresh token (§5.1) when one was issued. */
    public static Response issued(
            TokenService.IssuedToken issued, String patient, String refreshToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", issued.expiresInSeconds());
        body.put("scope", issued.scope());
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        if (patient != null) {
            body.put("patient", patient);
        }
        return Response.ok(body)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .build();
    }

    public static Response error(int status, String code, String description) {
        return error(status, code, description, "Basic realm=\"bluepost\"");
    }

    /** The OAuth error body (RFC 6749 §5.2), never cached; a 401 names {@code challenge} in WWW-Authenticate. */
    public static Response error(int status, String code, String description, String challenge) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        body.put("request_id", RequestIds.current());
        Response.ResponseBuilder response =
                Response.status(status)
                        .type(MediaType.APPLICATION_JSON)
                        .entity(body)
                        .header("Cache-Control", "no-store");
        if (status == 401) {
            response.header("WWW-Authenticate", challenge);
        }
        return response.build();
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new String[] {
                urlDecode(decoded.substring(0, colon)), urlDecode(decoded.substring(colon + 1))
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 6749 §2.3.1: client id and secret are form-url-encoded before Basic encoding. */
    private static String urlDecode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
