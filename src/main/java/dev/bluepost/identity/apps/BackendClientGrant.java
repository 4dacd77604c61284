package dev.bluepost.identity.apps;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.identity.TokenResource;
import dev.bluepost.identity.TokenService;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.SmartScopes;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

/**
 * The client-credentials grant of a practice's backend client (SMART Backend Services, RFC 7523
 * §2.2, ADR 0048): {@code client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer}
 * and {@code client_assertion}, a JWT the client signed with one of the keys its practice
 * registered. The token it gets reads its own practice's data with the {@code system/…} read and
 * search scopes it asked for. Every refusal is {@code invalid_client} (401) or an OAuth request
 * error (400), writes nothing but a failure audit entry, and never logs the assertion.
 */
@ApplicationScoped
public class BackendClientGrant {

    public static final String JWT_BEARER =
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final int MAX_ASSERTION_LENGTH = 16_384;

    private final BackendClientService clients;
    private final TokenService tokens;
    private final AuditRecorder audit;
    private final Optional<String> configuredTokenUrl;

    public BackendClientGrant(
            BackendClientService clients,
            TokenService tokens,
            AuditRecorder audit,
            @ConfigProperty(name = "bluepost.backend-clients.token-url")
                    Optional<String> configuredTokenUrl) {
        this.clients = clients;
        this.tokens = tokens;
        this.audit = audit;
        this.configuredTokenUrl = configuredTokenUrl.filter(u -> !u.isBlank());
    }

    /** Whether a client-credentials request authenticates with an assertion (rather than the system client's secret). */
    public static boolean isAssertion(MultivaluedMap<String, String> form) {
        return form.containsKey("client_assertion_type") || form.containsKey("client_assertion");
    }

    public Response token(MultivaluedMap<String, String> form, String authorization) {
        for (String name :
                List.of(
                        "grant_type",
                        "client_assertion_type",
                        "client_assertion",
                        "scope",
                        "client_id")) {
            List<String> values = form.get(name);
            if (values != null && values.size() > 1) {
                return error(400, "invalid_request", name + " must be given once");
            }
        }
        if (authorization != null || form.containsKey("client_secret")) {
            return error(
                    400,
                    "invalid_request",
                    "a client authenticates with one method: the assertion, or a secret");
        }
        if (!JWT_BEARER.equals(form.getFirst("client_assertion_type"))) {
            return error(400, "invalid_request", "client_assertion_type must be " + JWT_BEARER);
        }
        String assertion = form.getFirst("client_assertion");
        if (assertion == null || assertion.isBlank() || assertion.length() > MAX_ASSERTION_LENGTH) {
            return error(400, "invalid_request", "client_assertion is required: a signed JWT");
        }
        String scope = form.getFirst("scope");
        if (scope == null || scope.isBlank()) {
            return error(400, "invalid_scope", "scope is required, e.g. system/*.rs");
        }
        SmartScopes granted =
                SmartScopes.parseSystem(scope)
                        .keeping(
                                EnumSet.of(
                                        SmartScopes.Permission.READ,
                                        SmartScopes.Permission.SEARCH));
        BackendClientService.Assertion outcome =
                clients.authenticate(assertion.trim(), form.getFirst("client_id"), tokenUrl());
        if (outcome instanceof BackendClientService.Assertion.Refused refused) {
            Actor who =
                    refused.clientId() == null
                            ? null
                            : Actor.practiceClient(refused.clientId(), refused.practiceId());
            audit.record(
                    who,
                    AuditEntry.of(AuditAction.LOGIN_FAILED)
                            .practice(refused.practiceId())
                            .failure(refused.reason()));
            Log.infof(
                    "token refused: %s%s",
                    refused.reason(),
                    refused.clientId() == null ? "" : " client=" + refused.clientId());
            return error(401, "invalid_client", refused.description());
        }
        BackendClientService.Assertion.Accepted accepted =
                (BackendClientService.Assertion.Accepted) outcome;
        Actor client = Actor.practiceClient(accepted.clientId(), accepted.practiceId());
        if (granted.isEmpty()) {
            audit.record(
                    client,
                    AuditEntry.of(AuditAction.LOGIN_FAILED)
                            .practice(accepted.practiceId())
                            .failure("invalid-scope"));
            return error(
                    400,
                    "invalid_scope",
                    "a practice's system may read and search: ask for system/*.rs, system/Patient.rs, "
                            + "or the v1 form system/*.read");
        }
        TokenService.IssuedToken issued =
                tokens.issueForPracticeClient(
                        accepted.clientId(), accepted.practiceId(), granted.asSystemScopes());
        audit.record(
                client,
                AuditEntry.of(AuditAction.LOGIN)
                        .practice(accepted.practiceId())
                        .reason("backend-token-issued"));
        Log.infof(
                "token issued client=%s practice=%s expiresIn=%d",
                accepted.clientId(), accepted.practiceId(), issued.expiresInSeconds());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", issued.expiresInSeconds());
        body.put("scope", issued.scope());
        return Response.ok(body)
                .type(MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .build();
    }

    /**
     * The URL a client assertion's {@code aud} must be exactly: {@code bluepost.backend-clients.token-url}
     * when set (behind a proxy that rewrites addresses), otherwise this endpoint's address as the
     * request reached it (Quarkus' forwarded-header support decides a proxied request's scheme and host).
     */
    public String tokenUrl() {
        if (configuredTokenUrl.isPresent()) {
            return configuredTokenUrl.get();
        }
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        return request.getUriInfo().getBaseUri().toString().replaceAll("/$", "") + "/oauth/token";
    }

    /** The token URL for a page that shows it (the request's address; the setting when there is one). */
    public String tokenUrl(String requestBase) {
        return configuredTokenUrl.orElse(requestBase.replaceAll("/$", "") + "/oauth/token");
    }

    private static Response error(int status, String code, String description) {
        return TokenResource.error(status, code, description, "Bearer realm=\"bluepost\"");
    }
}
