package dev.bluepost.identity.apps;

import dev.bluepost.fhir.FhirAccessPolicy;
import dev.bluepost.identity.AccountMessages;
import dev.bluepost.identity.apps.ClientApps.ClientApp;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An OAuth 2.0 authorization request (RFC 6749 §4.1.1) with PKCE (RFC 7636), checked. The client
 * and its redirect URI are checked first: when either is wrong the person sees an error page and is
 * never sent anywhere (§4.1.2.1). Every later error goes back to the app's redirect URI as
 * {@link Invalid}.
 *
 * @param scope what was asked for, within what patient apps may have (the person grants some or all of it)
 */
record AuthorizationRequest(
        ClientApp app,
        String redirectUri,
        String state,
        String codeChallenge,
        PatientAppScopes.Requested scope,
        String requestedScope) {

    /** BASE64URL(SHA-256(verifier)): exactly 43 characters of the base64url alphabet. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final int MAX_STATE = 500;
    private static final int MAX_SCOPE = 1000;

    /** An error to report to the app at its (registered) redirect URI. */
    static final class Invalid extends RuntimeException {
        final String redirectUri;
        final String error;
        final String description;
        final String state;

        Invalid(String redirectUri, String error, String description, String state) {
            super(error, null, false, false);
            this.redirectUri = redirectUri;
            this.error = error;
            this.description = description;
            this.state = state;
        }

        URI location() {
            return AuthorizationRequest.redirect(redirectUri, error, description, state);
        }
    }

    /** Reads and checks the request's parameters (each may be given at most once). */
    static AuthorizationRequest parse(Function<String, List<String>> parameters, ClientApps apps) {
        String clientId = single(parameters, "client_id");
        ClientApp app =
                apps.app(clientId)
                        .orElseThrow(
                                () ->
                                        BluepostException.said(
                                                ErrorKind.MALFORMED,
                                                AccountMessages.class,
                                                AccountMessages::error_app_unknown));
        String redirectUri = single(parameters, "redirect_uri");
        if (!app.allowsRedirect(redirectUri)) {
            throw BluepostException.said(
                    ErrorKind.MALFORMED,
                    AccountMessages.class,
                    AccountMessages::error_app_redirect);
        }
        List<String> states = parameters.apply("state");
        String state = states == null || states.isEmpty() ? null : states.get(0);
        if (states != null && (states.size() > 1 || state.length() > MAX_STATE)) {
            throw new Invalid(
                    redirectUri,
                    "invalid_request",
                    "state must be given once, at most " + MAX_STATE + " characters",
                    null);
        }
        String responseType = optionalSingle(parameters, "response_type", redirectUri, state);
        if (responseType == null) {
            throw new Invalid(redirectUri, "invalid_request", "response_type is required", state);
        }
        if (!"code".equals(responseType)) {
            throw new Invalid(
                    redirectUri,
                    "unsupported_response_type",
                    "only response_type=code is supported",
                    state);
        }
        String method = optionalSingle(parameters, "code_challenge_method", redirectUri, state);
        String challenge = optionalSingle(parameters, "code_challenge", redirectUri, state);
        if (!"S256".equals(method) || challenge == null) {
            throw new Invalid(
                    redirectUri,
                    "invalid_request",
                    "PKCE is required: code_challenge with code_challenge_method=S256",
                    state);
        }
        if (!S256_CHALLENGE.matcher(challenge).matches()) {
            throw new Invalid(
                    redirectUri,
                    "invalid_request",
                    "code_challenge must be the base64url SHA-256 of the "
                            + "code_verifier (43 characters)",
                    state);
        }
        String requested = optionalSingle(parameters, "scope", redirectUri, state);
        if (requested == null || requested.isBlank() || requested.length() > MAX_SCOPE) {
            throw new Invalid(
                    redirectUri,
                    "invalid_scope",
                    "scope is required (at most " + MAX_SCOPE + " characters)",
                    state);
        }
        PatientAppScopes.Requested asked = PatientAppScopes.requested(requested);
        if (asked.data().isEmpty()) {
            throw new Invalid(
                    redirectUri,
                    "invalid_scope",
                    "none of the requested scopes can be granted; patient apps may "
                            + "ask for "
                            + FhirAccessPolicy.PATIENT_SIDE,
                    state);
        }
        return new AuthorizationRequest(app, redirectUri, state, challenge, asked, requested);
    }

    /** The request again as a query string (to come back to it after signing in). */
    String toQuery() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", app.id());
        params.put("redirect_uri", redirectUri);
        params.put("scope", requestedScope);
        params.put("state", state);
        params.put("code_challenge", codeChallenge);
        params.put("code_challenge_method", "S256");
        StringBuilder query = new StringBuilder();
        params.forEach(
                (k, v) -> {
                    if (v != null) {
                        query.append(query.isEmpty() ? "" : "&")
                                .append(k)
                                .append('=')
                                .append(encode(v));
                    }
                });
        return query.toString();
    }

    /** The redirect URI with {@code code} and {@code state} (RFC 6749 §4.1.2). */
    URI approved(String code) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        params.put("state", state);
        return withParameters(redirectUri, params);
    }

    /** The redirect URI with {@code error=access_denied}. */
    URI denied() {
        return redirect(redirectUri, "access_denied", "the person declined the request", state);
    }

    static URI redirect(String redirectUri, String error, String description, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("error_description", description);
        params.put("state", state);
        return withParameters(redirectUri, params);
    }

    /** Appends parameters, keeping the registered URI's own query (RFC 6749 §3.1.2). */
    private static URI withParameters(String uri, Map<String, String> params) {
        StringBuilder text = new StringBuilder(uri);
        char separator = uri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (param.getValue() != null) {
                text.append(separator)
                        .append(param.getKey())
                        .append('=')
                        .append(encode(param.getValue()));
                separator = '&';
            }
        }
        return URI.create(text.toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Client id and redirect URI: exactly once, else the request cannot be trusted to go anywhere. */
    private static String single(Function<String, List<String>> parameters, String name) {
        List<String> values = parameters.apply(name);
        if (values == null || values.size() != 1 || values.get(0).isBlank()) {
            return null;
        }
        return values.get(0);
    }

    private static String optionalSingle(
            Function<String, List<String>> parameters,
            String name,
            String redirectUri,
            String state) {
        List<String> values = parameters.apply(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new Invalid(redirectUri, "invalid_request", name + " must be given once", state);
        }
        return values.get(0);
    }
}
