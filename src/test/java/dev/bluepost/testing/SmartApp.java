package dev.bluepost.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A patient app in tests: the registered public client {@code test-app} running the authorization-code
 * flow with PKCE through a person's {@link WebSession}, then exchanging the code for a token.
 */
public final class SmartApp {

    public static final String CLIENT_ID = "test-app";
    public static final String REDIRECT_URI = "https://app.example/callback";

    /** Also registered for {@code test-app}: a different, valid redirect URI. */
    public static final String OTHER_REDIRECT_URI = "http://127.0.0.1:8765/callback";

    public static final String ALL_SCOPES = "patient/*.*";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    /** A checked radio button or checkbox (the consent page's scopes and lifetime are checked ones by default). */
    private static final Pattern CHECKED =
            Pattern.compile(
                    "<input type=\"(?:radio|checkbox)\" name=\"([^\"]+)\" value=\"([^\"]*)\"[^>]* checked>");

    public final String verifier = random(48);
    public final String challenge = s256(verifier);
    public final String state = random(12);

    /** The authorization request URL (path and query) for {@code scope}. */
    public String authorizeUrl(String scope) {
        return authorizeUrl(Map.of("scope", scope));
    }

    /** The authorization request with parameters replaced or added (a null value leaves one out). */
    public String authorizeUrl(Map<String, String> overrides) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", CLIENT_ID);
        params.put("redirect_uri", REDIRECT_URI);
        params.put("scope", ALL_SCOPES);
        params.put("state", state);
        params.put("code_challenge", challenge);
        params.put("code_challenge_method", "S256");
        params.putAll(overrides);
        StringBuilder url = new StringBuilder("/oauth/authorize");
        char separator = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getValue() != null) {
                url.append(separator)
                        .append(p.getKey())
                        .append('=')
                        .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return url.toString();
    }

    /** Signs the person's session through consent (approving) and returns the code sent to the app. */
    public String approve(WebSession person, String scope, Map<String, String> extraFields) {
        Response consent = person.getEncoded(authorizeUrl(scope));
        consent.then().statusCode(200);
        Map<String, String> fields = hiddenFields(consent.asString());
        fields.putAll(extraFields);
        fields.put("decision", "approve");
        Response answer = person.submit("/oauth/authorize", fields);
        answer.then().statusCode(303);
        Map<String, String> callback = callback(answer.header("Location"));
        if (!state.equals(callback.get("state"))) {
            throw new AssertionError("state not returned: " + answer.header("Location"));
        }
        return callback.get("code");
    }

    /** {@code POST /oauth/token} with the authorization-code grant, as this app. */
    public Response exchange(String code) {
        return exchange(Map.of("code", code));
    }

    public Response exchange(Map<String, String> overrides) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("redirect_uri", REDIRECT_URI);
        form.put("client_id", CLIENT_ID);
        form.put("code_verifier", verifier);
        form.putAll(overrides);
        var request = given().contentType("application/x-www-form-urlencoded");
        form.forEach(
                (k, v) -> {
                    if (v != null) {
                        request.formParam(k, v);
                    }
                });
        return request.post("/oauth/token");
    }

    /** The whole flow for a signed-in person: the access token. */
    public static String tokenFor(WebSession person, String scope) {
        SmartApp app = new SmartApp();
        String code = app.approve(person, scope, Map.of());
        return app.exchange(code).then().statusCode(200).extract().path("access_token");
    }

    /**
     * What the consent form sends as the browser shows it: its hidden fields (the request's
     * parameters) and the checked choice, without the CSRF token (which the session adds).
     */
    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Pattern input : new Pattern[] {HIDDEN, CHECKED}) {
            Matcher m = input.matcher(html);
            while (m.find()) {
                if (!m.group(1).equals("_csrf")) {
                    fields.put(m.group(1), unescape(m.group(2)));
                }
            }
        }
        return fields;
    }

    /** The query parameters of a redirect to the app. */
    public static Map<String, String> callback(String location) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = URI.create(location).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** The claims of a JWT (not verified: the server's answers are the proof). */
    public static String claims(String jwt) {
        return new String(
                Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    public static String s256(String verifier) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
