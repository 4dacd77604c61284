package dev.bluepost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executor;

/** The application's HTTP API as the FHIR system client (client-credentials token). */
final class Api {

    static final String FHIR_JSON = "application/fhir+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient client;
    private volatile String token;

    Api(String baseUrl, String clientId, String clientSecret, Executor executor) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .executor(executor)
                        .build();
    }

    HttpClient client() {
        return client;
    }

    URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** POST /oauth/token (client credentials, HTTP Basic as RFC 6749 §2.3.1: form-encoded id and secret). */
    synchronized String refreshToken() throws IOException, InterruptedException {
        String basic =
                Base64.getEncoder()
                        .encodeToString(
                                (form(clientId) + ":" + form(clientSecret))
                                        .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(uri("/oauth/token"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Basic " + basic)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "grant_type=client_credentials"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "token endpoint answered " + response.statusCode() + ": " + response.body());
        }
        token = JSON.readTree(response.body()).get("access_token").asText();
        return token;
    }

    String token() {
        return token;
    }

    HttpRequest.Builder fhir(String path) {
        return fhir(path, token);
    }

    /** A FHIR request with this bearer token (the system client's, or a patient's). */
    HttpRequest.Builder fhir(String path, String bearer) {
        return HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON);
    }

    /** A blocking POST of a FHIR JSON body; fails unless the status is the expected one. */
    JsonNode post(String path, String body, int expectedStatus)
            throws IOException, InterruptedException {
        return post(path, body, expectedStatus, FHIR_JSON);
    }

    /** A blocking POST as the system client with this content type; fails unless the status is the expected one. */
    JsonNode post(String path, String body, int expectedStatus, String contentType)
            throws IOException, InterruptedException {
        HttpResponse<String> response =
                client.send(
                        fhir(path)
                                .timeout(Duration.ofSeconds(120))
                                .setHeader("Content-Type", contentType)
                                .setHeader("Accept", contentType)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(
                    "POST "
                            + path
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + abbreviate(response.body()));
        }
        return JSON.readTree(response.body());
    }

    static String abbreviate(String text) {
        return text == null ? "" : text.length() > 600 ? text.substring(0, 600) + "…" : text;
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
