package dev.bluepost.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser-like session for page tests: keeps cookies and submits forms with their CSRF token. */
public final class WebSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrf;

    private static final Pattern SECRET = Pattern.compile("id=\"mfa-secret\">([A-Z2-7]+)<");
    private static final Pattern CONTINUE = Pattern.compile("href=\"([^\"]+)\" id=\"continue\"");

    /**
     * Signs in as a person would: the password, then the second factor when the login has one
     * (codes from {@link SecondFactor}); a staff login without one enrols it on the way, through
     * the enrolment page, as its first sign-in requires.
     */
    public static WebSession signIn(String username, String password) {
        WebSession session = new WebSession();
        session.get("/login").then().statusCode(200);
        Response answer =
                session.submit("/login", Map.of("username", username, "password", password));
        answer.then().statusCode(303);
        String location = answer.getHeader("Location");
        if (location.contains("/login/mfa/enrol")) {
            session.enrolSecondFactor(username, location);
        } else if (location.contains("/login/mfa")) {
            session.getEncoded(path(location)).then().statusCode(200);
            session.submit("/login/mfa", Map.of("code", SecondFactor.code(username)))
                    .then()
                    .statusCode(303);
        }
        return session;
    }

    /** Enrols a TOTP secret from the enrolment page (scanning the key) and confirms it; answers the recovery codes. */
    public List<String> enrolSecondFactor(String username, String enrolPath) {
        Response page = getEncoded(path(enrolPath));
        page.then().statusCode(200);
        Matcher secret = SECRET.matcher(page.asString());
        if (!secret.find()) {
            throw new AssertionError("no key on the enrolment page");
        }
        SecondFactor.remember(username, secret.group(1));
        Response codes = submit("/login/mfa/enrol", Map.of("code", SecondFactor.code(username)));
        codes.then().statusCode(200);
        Matcher next = CONTINUE.matcher(codes.asString());
        if (next.find()) {
            get(next.group(1).replace("&amp;", "&"));
        }
        return Pattern.compile("<li><code>([a-z0-9-]+)</code></li>")
                .matcher(codes.asString())
                .results()
                .map(m -> m.group(1))
                .toList();
    }

    private static String path(String location) {
        java.net.URI uri = java.net.URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    public Response get(String path) {
        return read(given().cookies(cookies).redirects().follow(false).get(path));
    }

    /**
     * A GET a page's script would send by itself (a heartbeat, a refresh): marked as a background
     * request, which never counts as the person's activity.
     */
    public Response getInBackground(String path) {
        return keep(
                given().cookies(cookies)
                        .header("X-Bluepost-Background", "1")
                        .redirects()
                        .follow(false)
                        .get(path));
    }

    /** A form post a page's script would send by itself, marked as a background request. */
    public Response submitInBackground(String path, Map<String, String> fields) {
        RequestSpecification request =
                given().cookies(cookies)
                        .header("X-Bluepost-Background", "1")
                        .redirects()
                        .follow(false)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("_csrf", csrf);
        fields.forEach(request::formParam);
        return keep(request.post(path));
    }

    /** Like {@link #get} for a path whose query is already percent-encoded (such as a Location header). */
    public Response getEncoded(String pathAndQuery) {
        return read(
                given().urlEncodingEnabled(false)
                        .cookies(cookies)
                        .redirects()
                        .follow(false)
                        .get(pathAndQuery));
    }

    private Response read(Response sent) {
        Response response = keep(sent);
        Matcher m = CSRF.matcher(response.asString());
        if (m.find()) {
            csrf = m.group(1);
        }
        return response;
    }

    /** Posts a form with the CSRF token of the last page read (as a browser would). */
    public Response submit(String path, Map<String, String> fields) {
        RequestSpecification request =
                given().cookies(cookies)
                        .redirects()
                        .follow(false)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("_csrf", csrf);
        fields.forEach(request::formParam);
        return keep(request.post(path));
    }

    /** Posts a form as {@link #submit} from a browser that sends this User-Agent header. */
    public Response submitAs(String userAgent, String path, Map<String, String> fields) {
        RequestSpecification request =
                given().cookies(cookies)
                        .header("User-Agent", userAgent)
                        .redirects()
                        .follow(false)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("_csrf", csrf);
        fields.forEach(request::formParam);
        return keep(request.post(path));
    }

    /** Posts a form whose fields may repeat (several checkboxes of one name), with the CSRF token of the last page read. */
    public Response submitRepeated(String path, Map<String, List<String>> fields) {
        RequestSpecification request =
                given().cookies(cookies)
                        .redirects()
                        .follow(false)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("_csrf", csrf);
        fields.forEach((name, values) -> request.formParam(name, values.toArray()));
        return keep(request.post(path));
    }

    /** A file for {@link #submitMultipart}: what a browser sends for one chosen file. */
    public record Upload(String fileName, String contentType, byte[] content) {}

    /**
     * Posts a {@code multipart/form-data} form as a browser does for a form with a file input
     * ({@code files}): the text fields, the CSRF token of the last page read, and each file; with no
     * file chosen, the empty part a browser sends for an empty file input.
     */
    public Response submitMultipart(String path, Map<String, String> fields, List<Upload> files) {
        return keep(multipart(path, fields, files, true).post(path));
    }

    /** The same without the CSRF token (to prove it is refused). */
    public Response submitMultipartWithoutToken(
            String path, Map<String, String> fields, List<Upload> files) {
        return keep(multipart(path, fields, files, false).post(path));
    }

    /** The body exactly as a browser builds it: text parts without a file name, one part per file. */
    private RequestSpecification multipart(
            String path, Map<String, String> fields, List<Upload> files, boolean withToken) {
        String boundary =
                "----BluepostTestBoundary"
                        + java.util.UUID.randomUUID().toString().replace("-", "");
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>();
        if (withToken) {
            all.put("_csrf", csrf);
        }
        all.putAll(fields);
        all.forEach(
                (name, value) -> {
                    body.writeBytes(
                            ("--"
                                            + boundary
                                            + "\r\nContent-Disposition: form-data; name=\""
                                            + name
                                            + "\"\r\n\r\n")
                                    .getBytes(StandardCharsets.UTF_8));
                    body.writeBytes(value.getBytes(StandardCharsets.UTF_8));
                    body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
                });
        List<Upload> parts =
                files.isEmpty()
                        ? List.of(new Upload("", "application/octet-stream", new byte[0]))
                        : files;
        for (Upload file : parts) {
            body.writeBytes(
                    ("--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                                    + file.fileName().replace("\"", "%22")
                                    + "\"\r\nContent-Type: "
                                    + file.contentType()
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return given().cookies(cookies)
                .redirects()
                .follow(false)
                .contentType("multipart/form-data; boundary=" + boundary)
                .body(body.toByteArray());
    }

    /** The CSRF token of the last page read (for hand-built bodies). */
    public String csrfToken() {
        return csrf;
    }

    /** Posts a hand-built body exactly as given (e.g. bytes that are not valid UTF-8). */
    public Response submitRaw(String path, String contentType, byte[] body) {
        // REST Assured would re-encode a form body: send these bytes as they are
        var config =
                io.restassured.RestAssured.config()
                        .encoderConfig(
                                io.restassured.config.EncoderConfig.encoderConfig()
                                        .encodeContentTypeAs(
                                                contentType, io.restassured.http.ContentType.BINARY)
                                        .appendDefaultContentCharsetToContentTypeIfUndefined(
                                                false));
        return keep(
                given().config(config)
                        .cookies(cookies)
                        .redirects()
                        .follow(false)
                        .contentType(contentType)
                        .body(body)
                        .post(path));
    }

    /** Posts a form without any CSRF token (to prove it is refused). */
    public Response submitWithoutToken(String path, Map<String, String> fields) {
        RequestSpecification request =
                given().cookies(cookies)
                        .redirects()
                        .follow(false)
                        .contentType("application/x-www-form-urlencoded");
        fields.forEach(request::formParam);
        return keep(request.post(path));
    }

    /** The Cookie header value, for clients other than REST Assured (e.g. a server-sent events reader). */
    public String cookieHeader() {
        return cookies.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
    }

    private Response keep(Response response) {
        for (Cookie cookie : response.getDetailedCookies()) {
            if (cookie.getValue() == null
                    || cookie.getValue().isEmpty()
                    || cookie.getMaxAge() == 0) {
                cookies.remove(cookie.getName());
            } else {
                cookies.put(cookie.getName(), cookie.getValue());
            }
        }
        return response;
    }
}
