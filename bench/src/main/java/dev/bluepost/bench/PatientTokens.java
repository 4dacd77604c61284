package dev.bluepost.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated patients who log in as a patient app would: a portal login per patient (provisioned with
 * {@code POST /api/logins} as the system client), then the person signs in with the form, approves the
 * bench app on the consent page (authorization code with PKCE) and the app exchanges the code for the
 * patient's own access token. Messages are then sent with that token, as the patient.
 */
final class PatientTokens {

    /** The public client the bench registers in the application (bench/run.sh passes its settings). */
    static final String CLIENT_ID = "bench-app";

    static final String REDIRECT_URI = "http://127.0.0.1:8765/callback";

    record LoggedIn(String patient, String token) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    /** A checked checkbox or radio button of the consent page (its scopes are ticked by default). */
    private static final Pattern CHECKED =
            Pattern.compile(
                    "<input type=\"(?:radio|checkbox)\" name=\"([^\"]+)\" value=\"([^\"]*)\"[^>]* checked>");

    private final Api api;

    PatientTokens(Api api) {
        this.api = api;
    }

    /** Logs in these patients, a few at a time (password hashing is deliberately slow), and returns their tokens. */
    List<LoggedIn> logIn(List<String> patients, int parallel)
            throws InterruptedException, IOException {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<LoggedIn>> futures = new ArrayList<>();
            for (String patient : patients) {
                futures.add(pool.submit(() -> logIn(patient)));
            }
            List<LoggedIn> result = new ArrayList<>();
            for (Future<LoggedIn> f : futures) {
                try {
                    result.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException(
                            "a simulated patient could not log in: " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private LoggedIn logIn(String patient) throws IOException, InterruptedException {
        String username = "bench-" + patient.substring(patient.indexOf('/') + 1);
        String password = random(18);
        api.post(
                "/api/logins",
                JSON.writeValueAsString(
                        Map.of(
                                "username",
                                username,
                                "displayName",
                                "Load Patient",
                                "role",
                                "PATIENT",
                                "password",
                                password,
                                "patient",
                                patient)),
                201,
                "application/json");

        HttpClient browser =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
        String loginPage = expect(browser, get("/login"), 200).body();
        Map<String, String> login = hidden(loginPage);
        login.put("username", username);
        login.put("password", password);
        expect(browser, post("/login", login), 303);

        String verifier = random(48);
        String state = random(12);
        String authorize =
                "/oauth/authorize?response_type=code&client_id="
                        + form(CLIENT_ID)
                        + "&redirect_uri="
                        + form(REDIRECT_URI)
                        + "&scope="
                        + form("patient/Communication.crs patient/Patient.rs")
                        + "&state="
                        + form(state)
                        + "&code_challenge="
                        + form(s256(verifier))
                        + "&code_challenge_method=S256";
        String consentPage = expect(browser, get(authorize), 200).body();
        Map<String, String> consent = hidden(consentPage);
        // the scopes the consent page ticks for the person (each its own checkbox): what they grant
        Matcher ticked = CHECKED.matcher(consentPage);
        while (ticked.find()) {
            consent.put(ticked.group(1), ticked.group(2));
        }
        consent.put("decision", "approve");
        HttpResponse<String> redirect = expect(browser, post("/oauth/authorize", consent), 303);
        Map<String, String> callback =
                query(redirect.headers().firstValue("Location").orElseThrow());
        if (!state.equals(callback.get("state")) || callback.get("code") == null) {
            throw new IOException("no authorization code for " + patient + ": " + callback);
        }
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", callback.get("code"));
        exchange.put("redirect_uri", REDIRECT_URI);
        exchange.put("client_id", CLIENT_ID);
        exchange.put("code_verifier", verifier);
        String token =
                JSON.readTree(expect(browser, post("/oauth/token", exchange), 200).body())
                        .get("access_token")
                        .asText();
        return new LoggedIn(patient, token);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(60)).GET().build();
    }

    private HttpRequest post(String path, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach(
                (k, v) ->
                        body.append(body.isEmpty() ? "" : "&")
                                .append(form(k))
                                .append('=')
                                .append(form(v)));
        return HttpRequest.newBuilder(api.uri(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    private static HttpResponse<String> expect(HttpClient client, HttpRequest request, int status)
            throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new IOException(
                    request.method()
                            + " "
                            + request.uri().getPath()
                            + " answered "
                            + response.statusCode()
                            + " (expected "
                            + status
                            + "): "
                            + Api.abbreviate(response.body()));
        }
        return response;
    }

    private static Map<String, String> hidden(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            fields.put(
                    m.group(1),
                    m.group(2)
                            .replace("&quot;", "\"")
                            .replace("&#39;", "'")
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&amp;", "&"));
        }
        return fields;
    }

    private static Map<String, String> query(String location) {
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

    private static String s256(String verifier) {
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

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
