package dev.bluepost.identity.apps;

import dev.bluepost.identity.SecurityConfig;
import dev.bluepost.identity.TokenService;
import dev.bluepost.platform.security.SmartConfiguration;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * SMART App Launch 2 discovery (the {@code .well-known/smart-configuration} document), at the
 * server's root and under the FHIR base, where SMART apps look for it; no token needed. ADR 0047.
 */
@Path("/.well-known/smart-configuration")
public class SmartConfigurationResource {

    private final SecurityConfig config;

    public SmartConfigurationResource(SecurityConfig config) {
        this.config = config;
    }

    @GET
    @PermitAll
    @Operation(summary = "SMART App Launch discovery document")
    public Response document(@Context UriInfo uri) {
        return document(uri, config);
    }

    /**
     * The same under the FHIR base: a class of its own, so that its path, longer than the FHIR API's
     * {@code /fhir}, is matched before the API's {@code {type}/{id}}.
     */
    @Path("/fhir/.well-known/smart-configuration")
    public static class UnderFhirBaseResource {

        private final SecurityConfig config;

        public UnderFhirBaseResource(SecurityConfig config) {
            this.config = config;
        }

        @GET
        @PermitAll
        @Operation(summary = "SMART App Launch discovery document, under the FHIR base")
        public Response document(@Context UriInfo uri) {
            return SmartConfigurationResource.document(uri, config);
        }
    }

    static Response document(UriInfo uri, SecurityConfig config) {
        String root = uri.getBaseUri().toString();
        if (!root.endsWith("/")) {
            root += "/";
        }
        List<String> scopes = new ArrayList<>(PatientAppScopes.supported());
        scopes.add(TokenService.SYSTEM_SCOPE);
        scopes.add(
                "system/*.rs"); // a practice's backend client: read and search its practice's data
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", config.tokenIssuer());
        body.put("authorization_endpoint", root + SmartConfiguration.AUTHORIZE_PATH);
        body.put("token_endpoint", root + SmartConfiguration.TOKEN_PATH);
        body.put(
                "token_endpoint_auth_methods_supported",
                SmartConfiguration.TOKEN_ENDPOINT_AUTH_METHODS);
        body.put(
                "token_endpoint_auth_signing_alg_values_supported",
                SmartConfiguration.ASSERTION_ALGORITHMS);
        body.put("grant_types_supported", SmartConfiguration.GRANT_TYPES);
        body.put("revocation_endpoint", root + SmartConfiguration.REVOKE_PATH);
        body.put("scopes_supported", scopes);
        body.put("response_types_supported", List.of("code"));
        body.put("code_challenge_methods_supported", List.of("S256"));
        body.put("capabilities", SmartConfiguration.CAPABILITIES);
        // JSON whatever the Accept header asks (FHIR clients send application/fhir+json)
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "public, max-age=3600")
                .build();
    }
}
