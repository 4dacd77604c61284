package dev.bluepost.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SampleFiles;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus: several hundred hostile or malformed requests across the FHIR API, the
 * JSON API, the token endpoint and the pages (oversized bodies and fields, invalid UTF-8, broken
 * JSON and FHIR, XSS and SQL-injection payloads, template expressions, path traversal in ids and
 * file names, wrong content types, a huge attachment). Every answer must be below 500, carry no
 * stack trace or class name, echo no markup unescaped into a page, and a refused request (4xx)
 * must leave every business table exactly as it was.
 */
@QuarkusTest
class BadInputCorpusIT {

    /** Tables a request writes synchronously (asynchronous ones, such as triage items and the audit log, are left out). */
    private static final List<String> TABLES =
            List.of(
                    "practice",
                    "location",
                    "practitioner",
                    "patient",
                    "related_person",
                    "care_team",
                    "device",
                    "encounter",
                    "user_account",
                    "user_role",
                    "message_thread",
                    "message",
                    "message_recipient",
                    "message_attachment",
                    "message_draft",
                    "notification_preference",
                    "app_consent",
                    "audit_recording",
                    "visit_document",
                    "mu_document_fact",
                    "mu_portal_access_fact",
                    "mu_broadband_county",
                    "mu_broadband_import");

    private static final Pattern LEAK =
            Pattern.compile(
                    "(\\bat (java|dev|io|org|com|ca|jdk)\\.[\\w.$]+\\()|(dev\\.bluepost\\.)"
                            + "|((java|javax|jakarta|org|io|com|ca)\\.[a-z0-9]+\\.[\\w.]*[A-Z]\\w*(Exception|Error)\\b)|(\\b\\w+(Exception|Error): )"
                            + "|(org\\.hibernate)|(io\\.vertx)|(io\\.quarkus)|(com\\.fasterxml)|(ca\\.uhn)|(org\\.postgresql)|(PSQLException)");

    static final List<String> STRINGS =
            List.of(
                    "<script>alert(1)</script>",
                    "\"><img src=x onerror=alert(1)>",
                    "javascript:alert(document.cookie)",
                    "<svg/onload=alert(1)>",
                    "'\"><iframe src=//evil.example>",
                    "{inject:csrf.token}",
                    "{#include layout}{/include}",
                    "${7*7}",
                    "{{7*7}}",
                    "' or '1'='1",
                    "'; drop table patient; --",
                    "1 union select password_hash from user_account--",
                    "%' or 1=1--",
                    "\\'; select pg_sleep(1); --",
                    "../../../../etc/passwd",
                    "..\\..\\..\\windows\\win.ini",
                    "....//....//etc/passwd",
                    "/etc/passwd\u0000.png",
                    "\u0000",
                    "\u202eexe.png",
                    "%s%n%x%d",
                    "null",
                    "-1",
                    "99999999999999999999999999",
                    "NaN",
                    "😀".repeat(50),
                    "A".repeat(5_000),
                    "B".repeat(200_000),
                    "\r\nSet-Cookie: x=1",
                    "Patient/00000000-0000-0000-0000-000000000000",
                    "\t \n ");

    static final List<byte[]> INVALID_UTF8 =
            List.of(
                    new byte[] {(byte) 0xC3, 0x28},
                    new byte[] {(byte) 0xFF, (byte) 0xFE},
                    new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    new byte[] {(byte) 0xC0, (byte) 0xAF},
                    new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});

    @Inject IdentityService identities;

    private final HttpClient http =
            HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
    private final List<String> failures = new ArrayList<>();
    private int sent;
    private int refused;

    private record Call(
            String description,
            String method,
            String path,
            String contentType,
            byte[] body,
            String cookies,
            String token,
            String accept) {}

    @Test
    void shouldAnswerEveryHostileOrMalformedRequestCleanlyAndWriteNothingForRefusedOnes()
            throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        String admin = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        String compliance = "compliance-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        admin,
                        PracticeFixture.PASSWORD,
                        "Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(practice.practice),
                        null,
                        null,
                        Set.of()));
        identities.createUser(
                new IdentityService.NewUser(
                        compliance,
                        PracticeFixture.PASSWORD,
                        "Compliance",
                        Set.of(Role.COMPLIANCE),
                        PracticeFixture.id(practice.practice),
                        null,
                        null,
                        Set.of()));
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "appointment",
                                        "subject",
                                        "Corpus",
                                        "text",
                                        "A thread to aim at"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String thread = location.substring(location.lastIndexOf('/') + 1);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + thread).then().statusCode(200);
        WebSession adminSession = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        adminSession.get("/admin/logins");
        WebSession complianceSession = WebSession.signIn(compliance, PracticeFixture.PASSWORD);
        WebSession anonymous = new WebSession();
        anonymous.get("/login");
        String token = Api.token();
        String patientId = PracticeFixture.id(practice.patient).toString();

        // ---- FHIR bodies: broken JSON, broken FHIR, invalid UTF-8, hostile values, wrong content
        // types
        List<byte[]> bodies = new ArrayList<>();
        for (String json :
                List.of(
                        "",
                        "{",
                        "}",
                        "[]",
                        "null",
                        "42",
                        "\"Patient\"",
                        "{\"resourceType\":",
                        "{\"resourceType\":\"Patient\"",
                        "{\"resourceType\":\"Patient\",}",
                        "{\"resourceType\":\"NoSuchType\"}",
                        "{\"resourceType\":\"Observation\"}",
                        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":{\"x\":1}}]}",
                        "{\"resourceType\":\"Patient\",\"birthDate\":\"2020-13-45\"}",
                        "{\"resourceType\":\"Patient\",\"gender\":\"banana\"}",
                        "{\"resourceType\":\"Patient\",\"id\":\"../../etc\"}",
                        "{\"resourceType\":\"Patient\",\"resourceType\":\"Practitioner\"}",
                        "{\"resourceType\":\"Patient\",\"active\":\"yes\"}",
                        "{\"resourceType\":\"Communication\",\"status\":\"completed\",\"subject\":{\"reference\":\"Patient/../../x\"}}",
                        "{\"resourceType\":\"Communication\",\"status\":\"completed\",\"subject\":{\"reference\":\"Patient/"
                                + patientId
                                + "\"},\"payload\":[{\"contentAttachment\":{\"contentType\":\"image/png\",\"title\":\"../../etc/passwd\","
                                + "\"data\":\"!!!not-base64!!!\"}}]}",
                        "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/x\"}}]}",
                        "[".repeat(5_000) + "]".repeat(5_000),
                        "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000),
                        "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\""
                                + "x".repeat(2_000_000)
                                + "\"}]}")) {
            bodies.add(json.getBytes(StandardCharsets.UTF_8));
        }
        for (String value : STRINGS) {
            bodies.add(
                    ("{\"resourceType\":\"Patient\",\"name\":[{\"family\":"
                                    + jsonString(value)
                                    + "}],\"birthDate\":"
                                    + jsonString(value)
                                    + "}")
                            .getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] invalid : INVALID_UTF8) {
            bodies.add(
                    concat(
                            "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\""
                                    .getBytes(StandardCharsets.UTF_8),
                            invalid,
                            "\"}]}".getBytes(StandardCharsets.UTF_8)));
        }
        for (byte[] body : bodies) {
            send(
                    new Call(
                            "FHIR create Patient",
                            "POST",
                            "/fhir/Patient",
                            "application/fhir+json",
                            body,
                            null,
                            token,
                            null));
            send(
                    new Call(
                            "FHIR create Communication",
                            "POST",
                            "/fhir/Communication",
                            "application/fhir+json",
                            body,
                            null,
                            token,
                            null));
            send(
                    new Call(
                            "FHIR transaction",
                            "POST",
                            "/fhir",
                            "application/fhir+json",
                            body,
                            null,
                            token,
                            null));
            send(
                    new Call(
                            "FHIR update Patient",
                            "PUT",
                            "/fhir/" + practice.patient,
                            "application/fhir+json",
                            body,
                            null,
                            token,
                            null));
            send(
                    new Call(
                            "FHIR create DocumentReference",
                            "POST",
                            "/fhir/DocumentReference",
                            "application/fhir+json",
                            body,
                            null,
                            token,
                            null));
        }
        String documentBase =
                "{\"resourceType\":\"DocumentReference\",\"status\":\"current\",\"subject\":{\"reference\":\""
                        + practice.patient
                        + "\"},\"date\":\"2026-01-01T10:00:00Z\",\"context\":{\"encounter\":[{\"reference\":\"Encounter/";
        for (String value : STRINGS.subList(0, 20)) {
            String document =
                    documentBase
                            + UUID.randomUUID()
                            + "\"}]},\"content\":[{\"attachment\":{\"contentType\":"
                            + jsonString(value)
                            + ",\"title\":"
                            + jsonString(value)
                            + ",\"data\":"
                            + jsonString(value)
                            + "}}]}";
            send(
                    new Call(
                            "FHIR DocumentReference with hostile values",
                            "POST",
                            "/fhir/DocumentReference",
                            "application/fhir+json",
                            document.getBytes(StandardCharsets.UTF_8),
                            null,
                            token,
                            null));
            send(
                    get(
                            "FHIR DocumentReference search",
                            "/fhir/DocumentReference?subject=" + enc(value) + "&date=" + enc(value),
                            token));
        }
        for (String type :
                List.of(
                        "text/plain",
                        "application/xml",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data",
                        "image/png",
                        "application/fhir+json; charset=latin1",
                        "garbage")) {
            send(
                    new Call(
                            "FHIR wrong content type " + type,
                            "POST",
                            "/fhir/Patient",
                            type,
                            "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8),
                            null,
                            token,
                            null));
        }

        // ---- FHIR searches and ids: hostile parameter values and path segments
        for (String value : STRINGS.subList(0, STRINGS.size() - 2)) {
            String q = enc(value);
            send(get("FHIR search name", "/fhir/Patient?name=" + q, token));
            send(get("FHIR search subject", "/fhir/Communication?subject=" + q, token));
            send(get("FHIR search date", "/fhir/Encounter?date=" + q, token));
            send(get("FHIR search _count", "/fhir/Patient?_count=" + q, token));
            send(get("FHIR AuditEvent entity", "/fhir/AuditEvent?entity=" + q, token));
            send(get("FHIR read", "/fhir/Patient/" + q, token));
        }
        for (String path :
                List.of(
                        "/fhir/Patient/..%2F..%2Fetc%2Fpasswd",
                        "/fhir/..%2F..%2Fetc%2Fpasswd",
                        "/fhir/Patient/%00",
                        "/fhir/Patient?name:not=x",
                        "/fhir/Patient?_sort=name;drop",
                        "/fhir/Patient?%C3%28=1",
                        "/fhir/Patient?name=%C3%28",
                        "/fhir/Patient?name=%C0%AF",
                        "/fhir/Patient?name=%ED%A0%80",
                        "/fhir/Binary/..%2F..%2Fetc%2Fpasswd",
                        "/fhir/Binary/" + UUID.randomUUID(),
                        "/fhir/AuditEvent?date=ge2026-99-99",
                        "/fhir/AuditEvent?_count=-5",
                        "/fhir/metadata?_format=xml",
                        "/fhir/Patient?_format=%3Cscript%3E")) {
            send(get("FHIR path " + path, path, token));
        }

        // ---- pages: sign-in
        for (String value : STRINGS) {
            send(
                    form(
                            "login with hostile user name",
                            "/login",
                            anonymous,
                            Map.of("username", value, "password", value)));
        }
        for (byte[] invalid : INVALID_UTF8) {
            send(
                    new Call(
                            "login with invalid UTF-8",
                            "POST",
                            "/login",
                            "application/x-www-form-urlencoded",
                            concat(
                                    ("_csrf=" + csrf(anonymous) + "&password=x&username=")
                                            .getBytes(StandardCharsets.UTF_8),
                                    invalid),
                            anonymous.cookieHeader(),
                            null,
                            "text/html"));
        }
        send(
                new Call(
                        "login as JSON",
                        "POST",
                        "/login",
                        "application/json",
                        "{\"username\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                        anonymous.cookieHeader(),
                        null,
                        "text/html"));

        // ---- pages: a patient's new message, reply and thread ids
        for (String value : STRINGS) {
            send(
                    form(
                            "new message with hostile subject",
                            "/patient/messages",
                            patient,
                            Map.of(
                                    "recipient",
                                    value,
                                    "category",
                                    value,
                                    "subject",
                                    value,
                                    "text",
                                    "x")));
            send(
                    form(
                            "reply with hostile text",
                            "/patient/threads/" + thread + "/reply",
                            patient,
                            Map.of("text", value.isBlank() ? "" : value + "\u0000")));
            send(
                    new Call(
                            "thread id",
                            "GET",
                            "/patient/threads/" + enc(value),
                            null,
                            null,
                            patient.cookieHeader(),
                            null,
                            "text/html"));
        }
        send(
                new Call(
                        "new message with invalid UTF-8",
                        "POST",
                        "/patient/messages",
                        "application/x-www-form-urlencoded",
                        concat(
                                ("_csrf="
                                                + csrf(patient)
                                                + "&recipient="
                                                + enc(practice.pool)
                                                + "&category=appointment&subject=x&text=")
                                        .getBytes(StandardCharsets.UTF_8),
                                INVALID_UTF8.get(0)),
                        patient.cookieHeader(),
                        null,
                        "text/html"));
        send(
                form(
                        "text over the limit",
                        "/patient/messages",
                        patient,
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "appointment",
                                "subject",
                                "Long",
                                "text",
                                "x".repeat(70_000))));

        // ---- pages: uploads with hostile file names, wrong types, a huge file
        for (String name :
                List.of(
                        "../../etc/passwd.png",
                        "..\\..\\boot.ini.png",
                        "/etc/shadow.png",
                        "con.png",
                        "a\u0000.exe.png",
                        "<script>alert(1)</script>.png",
                        "\u202egnp.exe",
                        "x".repeat(5_000) + ".png",
                        "",
                        ".png")) {
            send(
                    multipart(
                            "upload named " + name.substring(0, Math.min(name.length(), 30)),
                            "/patient/messages",
                            patient,
                            Map.of(
                                    "recipient",
                                    practice.pool,
                                    "category",
                                    "medical-question",
                                    "subject",
                                    "Upload",
                                    "text",
                                    "file",
                                    "action",
                                    "send"),
                            name,
                            "image/png",
                            SampleFiles.png()));
        }
        for (byte[] file :
                List.of(
                        SampleFiles.windowsExecutable(),
                        SampleFiles.elfExecutable(),
                        SampleFiles.shellScript(),
                        "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8),
                        new byte[0],
                        SampleFiles.pdfWithJavaScript("JavaScript"))) {
            send(
                    multipart(
                            "upload of a disguised file",
                            "/patient/messages",
                            patient,
                            Map.of(
                                    "recipient",
                                    practice.pool,
                                    "category",
                                    "medical-question",
                                    "subject",
                                    "Upload",
                                    "text",
                                    "file",
                                    "action",
                                    "send"),
                            "photo.png",
                            "image/png",
                            file));
        }
        byte[] huge = new byte[11 * 1024 * 1024];
        System.arraycopy(SampleFiles.png(), 0, huge, 0, SampleFiles.png().length);
        send(
                multipart(
                        "huge attachment",
                        "/patient/messages",
                        patient,
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "medical-question",
                                "subject",
                                "Huge",
                                "text",
                                "file",
                                "action",
                                "send"),
                        "huge.png",
                        "image/png",
                        huge));
        send(
                new Call(
                        "body over the request limit",
                        "POST",
                        "/fhir/Communication",
                        "application/fhir+json",
                        new byte[41 * 1024 * 1024],
                        null,
                        token,
                        null));
        send(
                new Call(
                        "patient form as JSON",
                        "POST",
                        "/patient/messages",
                        "application/json",
                        "{\"subject\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                        patient.cookieHeader(),
                        null,
                        "text/html"));
        send(
                new Call(
                        "patient form as XML",
                        "POST",
                        "/patient/messages",
                        "application/xml",
                        "<x/>".getBytes(StandardCharsets.UTF_8),
                        patient.cookieHeader(),
                        null,
                        "text/html"));

        // ---- pages: staff thread ids and attachment names; compliance report filters; admin
        // logins; preferences
        for (String value : STRINGS.subList(0, 20)) {
            send(
                    new Call(
                            "staff thread id",
                            "GET",
                            "/staff/threads/" + enc(value),
                            null,
                            null,
                            desk.cookieHeader(),
                            null,
                            "text/html"));
            send(
                    new Call(
                            "staff attachment id",
                            "GET",
                            "/staff/threads/" + thread + "/attachments/" + enc(value),
                            null,
                            null,
                            desk.cookieHeader(),
                            null,
                            "text/html"));
            send(
                    new Call(
                            "audit report filter",
                            "GET",
                            "/compliance/audit?actor="
                                    + enc(value)
                                    + "&patient="
                                    + enc(value)
                                    + "&sort="
                                    + enc(value)
                                    + "&page="
                                    + enc(value),
                            null,
                            null,
                            complianceSession.cookieHeader(),
                            null,
                            "text/html"));
            send(
                    form(
                            "admin creates a hostile login",
                            "/admin/logins",
                            adminSession,
                            Map.of(
                                    "username",
                                    value,
                                    "displayName",
                                    value,
                                    "role",
                                    value,
                                    "record",
                                    value,
                                    "password",
                                    value,
                                    "email",
                                    value)));
            send(
                    form(
                            "hostile notification address",
                            "/account/notifications",
                            patient,
                            Map.of("email", value, "frequency", value)));
        }

        // ---- pages: visit documents, online access, broadband import
        adminSession.get("/admin/broadband");
        for (String value : STRINGS.subList(0, 20)) {
            send(
                    new Call(
                            "visit document id",
                            "GET",
                            "/patient/documents/" + enc(value),
                            null,
                            null,
                            patient.cookieHeader(),
                            null,
                            "text/html"));
            send(
                    new Call(
                            "visit document download id",
                            "GET",
                            "/patient/documents/" + enc(value) + "/download",
                            null,
                            null,
                            patient.cookieHeader(),
                            null,
                            "text/html"));
            send(
                    form(
                            "credentials given to a hostile patient id",
                            "/staff/online-access/" + enc(value) + "/credentials-given",
                            desk,
                            Map.of()));
            send(
                    new Call(
                            "online access search",
                            "GET",
                            "/staff/online-access?q=" + enc(value) + "&recorded=" + enc(value),
                            null,
                            null,
                            desk.cookieHeader(),
                            null,
                            "text/html"));
            send(
                    multipart(
                            "broadband import with a hostile as-of date",
                            "/admin/broadband",
                            adminSession,
                            Map.of("asOf", value),
                            "counties.csv",
                            "text/csv",
                            "state,county,share_3mbps,share_4mbps\nKS,A,0.5,0.5\n"
                                    .getBytes(StandardCharsets.UTF_8)));
            send(
                    multipart(
                            "broadband import of only hostile lines",
                            "/admin/broadband",
                            adminSession,
                            Map.of("asOf", "2001-01-01"),
                            value + ".csv",
                            "text/csv",
                            ("state,county,share_3mbps,share_4mbps\n"
                                            + value
                                            + ","
                                            + value
                                            + ","
                                            + value
                                            + ","
                                            + value
                                            + "\n")
                                    .getBytes(StandardCharsets.UTF_8)));
        }
        for (byte[] file :
                List.of(
                        SampleFiles.windowsExecutable(),
                        SampleFiles.png(),
                        new byte[0],
                        "\n\n\n".getBytes(StandardCharsets.UTF_8),
                        concat(
                                "state,county,share_3mbps,share_4mbps\nKS,"
                                        .getBytes(StandardCharsets.UTF_8),
                                INVALID_UTF8.get(0)),
                        ("state,county,share_3mbps,share_4mbps\n\"KS,A,0.1,0.1\n")
                                .getBytes(StandardCharsets.UTF_8))) {
            send(
                    multipart(
                            "broadband import of a file that is no CSV",
                            "/admin/broadband",
                            adminSession,
                            Map.of("asOf", "2001-01-02"),
                            "counties.csv",
                            "text/csv",
                            file));
        }
        send(
                form(
                        "broadband import without a file",
                        "/admin/broadband",
                        adminSession,
                        Map.of("asOf", "2001-01-03")));

        // ---- JSON API and token endpoint
        for (String json :
                List.of(
                        "",
                        "{",
                        "[]",
                        "null",
                        "{\"username\":1}",
                        "{\"username\":\"../../x\",\"password\":\"x\"}",
                        "{\"username\":\"<script>\",\"password\":\"longenough1\",\"displayName\":\"x\",\"roles\":[\"SYSTEM\"]}",
                        "{\"username\":\"ok-name\",\"password\":\"longenough1\",\"displayName\":\"x\",\"roles\":[\"NOPE\"]}",
                        "{\"username\":\"ok-name\",\"password\":\"longenough1\",\"displayName\":\"x\",\"roles\":\"PATIENT\"}",
                        "{\"username\":\"' or 1=1--\",\"password\":\"longenough1\",\"displayName\":\"x\",\"roles\":[\"ADMIN\"],\"practiceId\":\"x\"}")) {
            send(
                    new Call(
                            "provisioning API",
                            "POST",
                            "/api/logins",
                            "application/json",
                            json.getBytes(StandardCharsets.UTF_8),
                            null,
                            token,
                            "application/json"));
        }
        send(
                get(
                        "provisioning list with a hostile practice",
                        "/api/logins?practice=" + enc("' or 1=1--"),
                        token));
        for (String value : STRINGS.subList(0, 15)) {
            send(
                    new Call(
                            "token request",
                            "POST",
                            "/oauth/token",
                            "application/x-www-form-urlencoded",
                            ("grant_type="
                                            + enc(value)
                                            + "&client_id="
                                            + enc(value)
                                            + "&code="
                                            + enc(value))
                                    .getBytes(StandardCharsets.UTF_8),
                            null,
                            null,
                            "application/json"));
            send(
                    new Call(
                            "authorization request",
                            "GET",
                            "/oauth/authorize?response_type=code&client_id="
                                    + enc(value)
                                    + "&redirect_uri="
                                    + enc(value)
                                    + "&state="
                                    + enc(value),
                            null,
                            null,
                            patient.cookieHeader(),
                            null,
                            "text/html"));
        }
        send(
                new Call(
                        "token request as JSON",
                        "POST",
                        "/oauth/token",
                        "application/json",
                        "{}".getBytes(StandardCharsets.UTF_8),
                        null,
                        null,
                        "application/json"));

        assertThat(sent).as("requests in the corpus").isGreaterThanOrEqualTo(300);
        assertThat(refused).as("refused requests whose writes were checked").isGreaterThan(200);
        assertThat(failures)
                .as("requests answered with a 5xx, a leak, unescaped markup, or a partial write")
                .isEmpty();
    }

    // ------------------------------------------------------------------ sending and checking

    private void send(Call call) throws Exception {
        Map<String, Long> before = counts();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + RestAssured.port + call.path()))
                        .timeout(Duration.ofSeconds(120));
        request.header(
                "Accept",
                call.accept() != null
                        ? call.accept()
                        : call.path().startsWith("/fhir") ? "application/fhir+json" : "*/*");
        if (call.cookies() != null && !call.cookies().isEmpty()) {
            request.header("Cookie", call.cookies());
        }
        if (call.token() != null) {
            request.header("Authorization", "Bearer " + call.token());
        }
        if (call.body() != null) {
            if (call.contentType() != null) {
                request.header("Content-Type", call.contentType());
            }
            request.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
        } else {
            request.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        sent++;
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.io.IOException e) {
            // the HTTP layer may close the connection on a request it refuses before reading it: a
            // body over the
            // limit, or a request line over quarkus.http.limits.max-initial-line-length (4096)
            if (call.body() != null && call.body().length > 30 * 1024 * 1024
                    || call.path().length() > 4_096) {
                refused++;
                checkNothingWritten(call, before);
                return;
            }
            failures.add(
                    call.description()
                            + " "
                            + call.method()
                            + " "
                            + shortPath(call)
                            + ": connection failed ("
                            + e.getClass().getSimpleName()
                            + ")");
            return;
        }
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(8_000_000), StandardCharsets.UTF_8);
        }
        int status = response.statusCode();
        String where =
                call.description() + " " + call.method() + " " + shortPath(call) + " → " + status;
        if (status >= 500) {
            failures.add(
                    where + ": server error " + body.substring(0, Math.min(200, body.length())));
        }
        var leak = LEAK.matcher(body);
        if (leak.find()) {
            failures.add(where + ": leaks '" + leak.group() + "'");
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("text/html")) {
            for (String markup :
                    List.of(
                            "<script>alert(1)</script>",
                            "<img src=x onerror",
                            "<svg/onload",
                            "<iframe src=//evil")) {
                if (body.contains(markup)) {
                    failures.add(where + ": echoes unescaped markup " + markup);
                }
            }
        }
        if (status >= 400) {
            refused++;
            checkNothingWritten(call, before);
        }
    }

    private void checkNothingWritten(Call call, Map<String, Long> before) throws Exception {
        Map<String, Long> after = counts();
        if (!after.equals(before)) {
            Map<String, String> changed = new LinkedHashMap<>();
            before.forEach(
                    (table, count) -> {
                        if (!count.equals(after.get(table))) {
                            changed.put(table, count + "→" + after.get(table));
                        }
                    });
            failures.add(
                    call.description()
                            + " "
                            + call.method()
                            + " "
                            + shortPath(call)
                            + ": refused but wrote "
                            + changed);
        }
    }

    private static Map<String, Long> counts() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                Statement sql = db.createStatement();
                ResultSet r =
                        sql.executeQuery(
                                String.join(
                                        " union all ",
                                        TABLES.stream()
                                                .map(t -> "select '" + t + "', count(*) from " + t)
                                                .toList()))) {
            while (r.next()) {
                counts.put(r.getString(1), r.getLong(2));
            }
        }
        return counts;
    }

    private static String shortPath(Call call) {
        return call.path().length() > 80 ? call.path().substring(0, 80) + "…" : call.path();
    }

    private static Call get(String description, String path, String token) {
        return new Call(description, "GET", path, null, null, null, token, null);
    }

    private static Call form(
            String description, String path, WebSession session, Map<String, String> fields) {
        StringBuilder body = new StringBuilder("_csrf=").append(enc(csrf(session)));
        fields.forEach((k, v) -> body.append('&').append(k).append('=').append(enc(v)));
        return new Call(
                description,
                "POST",
                path,
                "application/x-www-form-urlencoded",
                body.toString().getBytes(StandardCharsets.UTF_8),
                session.cookieHeader(),
                null,
                "text/html");
    }

    private static Call multipart(
            String description,
            String path,
            WebSession session,
            Map<String, String> fields,
            String fileName,
            String contentType,
            byte[] content) {
        String boundary = "----BluepostCorpus" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("_csrf", csrf(session));
        all.putAll(fields);
        all.forEach(
                (name, value) ->
                        body.writeBytes(
                                ("--"
                                                + boundary
                                                + "\r\nContent-Disposition: form-data; name=\""
                                                + name
                                                + "\"\r\n\r\n"
                                                + value
                                                + "\r\n")
                                        .getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                                + fileName.replace("\"", "%22")
                                + "\"\r\nContent-Type: "
                                + contentType
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Call(
                description,
                "POST",
                path,
                "multipart/form-data; boundary=" + boundary,
                body.toByteArray(),
                session.cookieHeader(),
                null,
                "text/html");
    }

    private static String csrf(WebSession session) {
        for (String cookie : session.cookieHeader().split(";\\s*")) {
            if (cookie.startsWith("bp_csrf=")) {
                return cookie.substring("bp_csrf=".length());
            }
        }
        return "";
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String jsonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
