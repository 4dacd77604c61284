package dev.bluepost.platform.security;

import static dev.bluepost.testing.Builders.aProxy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.DraftService;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SampleFiles;
import dev.bluepost.testing.SmartApp;
import dev.bluepost.testing.WebSession;
import dev.bluepost.testing.WebSession.Upload;
import dev.bluepost.triage.TriageSetup;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The authorization proof: every JAX-RS endpoint of the application (found by reflection over the
 * compiled classes, so a new endpoint cannot be missed) is called as every kind of caller: signed
 * out, each role of the home practice, the system client, a patient app, a foreign practice's
 * staff member and another patient. Each answer must be what {@code docs/access-matrix.csv} (the
 * matrix docs/security.md shows) allows: reached, refused (401, 403, 404, or sent to sign in), or
 * reached but showing only the caller's own data. The test fails on any endpoint without a row,
 * any row without an endpoint, and every disagreement, all listed at once.
 */
@QuarkusTest
class AuthorizationProofIT {

    private static final Set<Class<? extends java.lang.annotation.Annotation>> VERBS =
            Set.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class, HEAD.class);

    @Inject IdentityService identities;

    @Inject DraftService drafts;

    @Inject TriageSetup triageSetup;

    private final HttpClient http =
            HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();

    /** How a kind of caller authenticates: a browser session, a bearer token, or nothing. */
    private record Caller(String name, Supplier<WebSession> session, String token) {}

    private record Answer(int status, String location, String body) {

        boolean reached() {
            return status != 401
                    && status != 403
                    && status != 404
                    && !(status / 100 == 3
                            && location != null
                            && location.contains("/login?next="));
        }

        @Override
        public String toString() {
            return status + (location == null ? "" : " → " + location);
        }
    }

    @Test
    void shouldAllowEveryEndpointToExactlyTheCallersTheMatrixAllows() throws Exception {
        AccessMatrix matrix = AccessMatrix.read();

        // the endpoints the application has, by reflection, and the rows the matrix has
        Set<String> endpoints = endpoints();
        Set<String> rows =
                matrix.rows().stream()
                        .map(AccessMatrix.Row::key)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(endpoints))
                .as("endpoints of the application without a row in docs/access-matrix.csv")
                .isSubsetOf(rows);
        assertThat(rows)
                .as("rows of docs/access-matrix.csv for endpoints the application does not have")
                .isSubsetOf(endpoints);

        // the home practice with a thread, a file and a draft; a foreign practice
        PracticeFixture home = PracticeFixture.create(identities);
        PracticeFixture foreign = PracticeFixture.create(identities);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String compliance = "compliance-" + suffix;
        String admin = "admin-" + suffix;
        String proxyLogin = "proxy-" + suffix;
        identities.createUser(
                new IdentityService.NewUser(
                        compliance,
                        PracticeFixture.PASSWORD,
                        "Compliance",
                        Set.of(Role.COMPLIANCE),
                        PracticeFixture.id(home.practice),
                        null,
                        null,
                        Set.of()));
        identities.createUser(
                new IdentityService.NewUser(
                        admin,
                        PracticeFixture.PASSWORD,
                        "Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(home.practice),
                        null,
                        null,
                        Set.of()));
        String relatedPerson = Api.create(aProxy(home.patient));
        identities.createUser(
                new IdentityService.NewUser(
                        proxyLogin,
                        PracticeFixture.PASSWORD,
                        "A Parent",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(UUID.fromString(relatedPerson))));

        WebSession patient = WebSession.signIn(home.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submitMultipart(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        home.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Proof",
                                        "text",
                                        "Authorization proof",
                                        "action",
                                        "send"),
                                List.of(new Upload("proof.png", "image/png", SampleFiles.png())))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String thread = location.substring(location.lastIndexOf('/') + 1);
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("{thread}", thread);
        ids.put(
                "{attachment}",
                single("select id from message_attachment where thread_id = ?", thread));
        ids.put(
                "{message}",
                single(
                        "select id from message where thread_id = ? order by created_at limit 1",
                        thread));
        ids.put("{patient}", PracticeFixture.id(home.patient).toString());
        ids.put("{relatedPerson}", relatedPerson);
        ids.put("{pool}", home.pool);
        ids.put("{poolId}", PracticeFixture.id(home.pool).toString());
        ids.put("{location}", PracticeFixture.id(home.location).toString());
        ids.put(
                "{backendClient}",
                single(
                        "insert into backend_client (id, client_id, practice_id, name, jwks, created_at, updated_at) "
                                + "values (gen_random_uuid(), 'bp-proof-"
                                + suffix
                                + "', ?, 'Proof EHR', '{\"keys\":[]}', now(), now()) returning id",
                        PracticeFixture.id(home.practice).toString()));
        ids.put("{patientLogin}", home.patientLogin);
        ids.put("{adminLogin}", admin);
        ids.put("{password}", PracticeFixture.PASSWORD);
        ids.put("{practiceId}", PracticeFixture.id(home.practice).toString());
        ids.put("{ep}", PracticeFixture.id(home.ep).toString());
        ids.put("{item}", triageItemOf(thread));
        String visit =
                single(
                        "select id from encounter where patient_id = ? limit 1",
                        PracticeFixture.id(home.patient).toString());
        ids.put("{visit}", visit);
        ids.put(
                "{document}",
                Api.create(
                        dev.bluepost.measurement.PatientElectronicAccessIT.document(
                                home.patient,
                                "Encounter/" + visit,
                                java.time.Instant.now().minusSeconds(3600),
                                "Proof document",
                                "Authorization proof")));
        triageSetup.installDefaults(
                PracticeFixture.id(home.practice)); // the tests' practices start without rules
        ids.put(
                "{rule}",
                single(
                        "select rule_key from triage_rule where practice_id = ? and current order by position limit 1",
                        PracticeFixture.id(home.practice).toString()));
        ids.put("{importJob}", importJobOf(PracticeFixture.id(home.practice)));
        String[] export = exportOf(PracticeFixture.id(home.practice));
        ids.put("{exportJob}", export[0]);
        ids.put("{exportFile}", export[1]);
        ids.put(
                "{emergencyAccess}",
                single(
                        "insert into emergency_access (id, practice_id, patient_id, user_id, practitioner_id, "
                                + "reason, granted_at, expires_at) select gen_random_uuid(), t.practice_id, t.patient_id, u.id, u.practitioner_id, "
                                + "'life-threatening', now() - interval '2 hours', now() - interval '1 hour' from message_thread t join user_account u "
                                + "on u.practice_id = t.practice_id and u.username = '"
                                + home.providerLogin
                                + "' where t.id = ? returning id",
                        thread));
        WebSession desk = WebSession.signIn(home.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + thread).then().statusCode(200);
        desk.submit("/staff/threads/" + thread + "/reply", Map.of("text", "We will call you"))
                .then()
                .statusCode(303);
        ids.put(
                "{staffMessage}",
                single(
                        "select id from message where thread_id = ? order by created_at desc limit 1",
                        thread));
        UUID patientUser = identities.findByUsername(home.patientLogin).orElseThrow().id();
        Actor patientActor = identities.actorFor(patientUser, null).orElseThrow();

        String appToken =
                SmartApp.tokenFor(
                        WebSession.signIn(home.patientLogin, PracticeFixture.PASSWORD),
                        SmartApp.ALL_SCOPES);
        Map<String, Caller> callers = new LinkedHashMap<>();
        callers.put(
                "anonymous",
                new Caller(
                        "anonymous",
                        () -> {
                            WebSession anonymous = new WebSession();
                            anonymous.get("/login");
                            return anonymous;
                        },
                        null));
        callers.put("patient", person("patient", home.patientLogin));
        callers.put("proxy", person("proxy", proxyLogin));
        callers.put("provider", person("provider", home.providerLogin));
        callers.put("front_desk", person("front_desk", home.frontDeskLogin));
        callers.put("compliance", person("compliance", compliance));
        callers.put("admin", person("admin", admin));
        callers.put("system", new Caller("system", null, Api.token()));
        callers.put("patient_app", new Caller("patient_app", null, appToken));
        callers.put("foreign_staff", person("foreign_staff", foreign.frontDeskLogin));
        callers.put("other_patient", person("other_patient", home.otherPatientLogin));
        assertThat(matrix.callers()).containsExactlyElementsOf(callers.keySet());

        Map<String, WebSession> sessions = new LinkedHashMap<>();
        List<String> disagreements = new ArrayList<>();
        int calls = 0;
        for (AccessMatrix.Row row : matrix.rows()) {
            for (Caller caller : callers.values()) {
                WebSession session = null;
                if (caller.session() != null) {
                    // signing out ends the session: that row gets a session of its own
                    session =
                            row.path().equals("/logout")
                                    ? caller.session().get()
                                    : sessions.computeIfAbsent(
                                            caller.name(), n -> caller.session().get());
                }
                Map<String, String> values = new LinkedHashMap<>(ids);
                if (row.sample().contains("{draft}")) {
                    values.put(
                            "{draft}",
                            drafts.save(
                                            new DraftService.Draft(
                                                    null,
                                                    patientActor.patientId(),
                                                    null,
                                                    home.pool,
                                                    "appointment",
                                                    "Draft",
                                                    "A draft",
                                                    null),
                                            patientActor)
                                    .toString());
                }
                Answer answer = call(row, values, session, caller.token());
                calls++;
                String expected = row.expected().get(caller.name());
                boolean ok =
                        switch (expected) {
                            case "allow" -> answer.reached();
                            case "deny" -> !answer.reached();
                            default ->
                                    answer.reached()
                                            && !answer.body().contains(thread)
                                            && !answer.body().contains(ids.get("{patient}"));
                        };
                if (answer.status() >= 500) {
                    ok = false;
                }
                if (!ok) {
                    disagreements.add(
                            row.key()
                                    + " ["
                                    + fill(row.sample(), values)
                                    + "] as "
                                    + caller.name()
                                    + ": expected "
                                    + expected
                                    + ", got "
                                    + answer);
                }
            }
        }
        assertThat(calls).isEqualTo(matrix.rows().size() * callers.size());
        assertThat(disagreements)
                .as("calls whose outcome the access matrix does not allow")
                .isEmpty();
    }

    private static Caller person(String column, String login) {
        return new Caller(column, () -> WebSession.signIn(login, PracticeFixture.PASSWORD), null);
    }

    /** Every JAX-RS resource method of the application as {@code VERB /path/{template}}. */
    static Set<String> endpoints() throws Exception {
        Path classes = Path.of("target/classes");
        Set<String> endpoints = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes.resolve("dev/bluepost"))) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String name =
                    classes.relativize(file)
                            .toString()
                            .replace('/', '.')
                            .replaceAll("\\.class$", "");
            Class<?> type =
                    Class.forName(name, false, Thread.currentThread().getContextClassLoader());
            jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                for (var verb : VERBS) {
                    if (method.isAnnotationPresent(verb)) {
                        jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                        String path =
                                ("/" + root.value() + "/" + (sub == null ? "" : sub.value()))
                                        .replaceAll("/+", "/");
                        if (path.length() > 1 && path.endsWith("/")) {
                            path = path.substring(0, path.length() - 1);
                        }
                        endpoints.add(verb.getSimpleName() + " " + path);
                    }
                }
            }
        }
        return endpoints;
    }

    private Answer call(
            AccessMatrix.Row row, Map<String, String> values, WebSession session, String token)
            throws Exception {
        String path = fill(row.sample(), values);
        URI uri = URI.create("http://localhost:" + RestAssured.port + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        boolean fhir = path.startsWith("/fhir");
        request.header(
                "Accept",
                fhir
                        ? "application/fhir+json"
                        : path.endsWith("/events") ? "text/event-stream" : "text/html, */*");
        String cookies = session == null ? "" : session.cookieHeader();
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        switch (row.method()) {
            case "GET" -> request.GET();
            case "POST", "PUT" -> {
                String contentType;
                String body;
                String type = fhir ? fhirType(path) : null;
                if (fhir && !path.endsWith("/_search")) {
                    contentType = "application/fhir+json";
                    body =
                            type == null
                                    ? "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[]}"
                                    : row.method().equals("PUT")
                                            ? "{\"resourceType\":\""
                                                    + type
                                                    + "\",\"id\":\""
                                                    + path.substring(path.lastIndexOf('/') + 1)
                                                    + "\"}"
                                            : "{\"resourceType\":\"" + type + "\"}";
                    if (row.method().equals("PUT")) {
                        request.header(
                                "If-Match",
                                "W/\"999999\""); // never changes anything: a version that does not
                        // exist
                    }
                } else if (path.startsWith("/api/")) {
                    contentType = "application/json";
                    body = "{}";
                } else {
                    contentType = "application/x-www-form-urlencoded";
                    List<String> fields = new ArrayList<>();
                    csrf(cookies)
                            .ifPresent(
                                    t ->
                                            fields.add(
                                                    "_csrf="
                                                            + URLEncoder.encode(
                                                                    t, StandardCharsets.UTF_8)));
                    if (!row.form().isEmpty()) {
                        for (String pair : fill(row.form(), values).split("&")) {
                            int eq = pair.indexOf('=');
                            fields.add(
                                    pair.substring(0, eq)
                                            + "="
                                            + URLEncoder.encode(
                                                    pair.substring(eq + 1),
                                                    StandardCharsets.UTF_8));
                        }
                    }
                    body = String.join("&", fields);
                }
                request.header("Content-Type", contentType);
                request.method(row.method(), HttpRequest.BodyPublishers.ofString(body));
            }
            default -> request.method(row.method(), HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<InputStream> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        String body;
        try (InputStream in = response.body()) {
            boolean stream =
                    response.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .startsWith("text/event-stream");
            body = stream ? "" : new String(in.readNBytes(4_000_000), StandardCharsets.UTF_8);
        }
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Location").orElse(null),
                body);
    }

    private static String fhirType(String path) {
        String[] parts = path.split("\\?")[0].split("/");
        return parts.length > 2 ? parts[2] : null;
    }

    private static java.util.Optional<String> csrf(String cookies) {
        return java.util.Arrays.stream(cookies.split(";\\s*"))
                .filter(c -> c.startsWith("bp_csrf="))
                .map(c -> c.substring("bp_csrf=".length()))
                .findFirst();
    }

    private static String fill(String template, Map<String, String> values) {
        String filled = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            filled = filled.replace(value.getKey(), value.getValue());
        }
        return filled;
    }

    /** A finished encounter import job of the practice (as its compliance officer's upload leaves it). */
    private static String importJobOf(UUID practice) throws Exception {
        UUID job = UUID.randomUUID();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement insert =
                        db.prepareStatement(
                                "insert into encounter_import_job (id, source, state, file_name, bytes, "
                                        + "requested_by, practice_id, submitted_at, finished_at) values (?, 'PAGE', 'COMPLETED', 'proof.ndjson', 0, "
                                        + "'proof', ?, now(), now())")) {
            insert.setObject(1, job);
            insert.setObject(2, practice);
            insert.executeUpdate();
        }
        return job.toString();
    }

    /** A finished bulk export of the home practice by the system client, with one (empty) file: its ids. */
    private static String[] exportOf(UUID practice) throws Exception {
        UUID export = UUID.randomUUID();
        UUID file = UUID.randomUUID();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection()) {
            try (PreparedStatement insert =
                    db.prepareStatement(
                            "insert into bulk_export (id, requester, practice_id, group_id, types, "
                                    + "request_url, state, progress, transaction_time, submitted_at, heartbeat_at, finished_at, expires_at, dek_kek_id, "
                                    + "dek_wrapped) values (?, ?, ?, ?, '{Patient}', 'proof', 'COMPLETED', 'Complete', now(), now(), now(), now(), "
                                    + "now() + interval '1 day', 'proof', '\\x00')")) {
                insert.setObject(1, export);
                insert.setString(2, "client:" + dev.bluepost.testing.Api.CLIENT_ID);
                insert.setObject(3, practice);
                insert.setObject(4, practice);
                insert.executeUpdate();
            }
            try (PreparedStatement insert =
                    db.prepareStatement(
                            "insert into bulk_export_file (id, export_id, type, position, is_error, "
                                    + "lines, bytes) values (?, ?, 'Patient', 1, false, 0, 0)")) {
                insert.setObject(1, file);
                insert.setObject(2, export);
                insert.executeUpdate();
            }
        }
        return new String[] {export.toString(), file.toString()};
    }

    /** The thread's triage item: the triage consumer files it from the message's event, so it may take a moment. */
    private static String triageItemOf(String thread) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                    PreparedStatement query =
                            db.prepareStatement(
                                    "select id from triage_item where thread_id = ? order by received_at limit 1")) {
                query.setObject(1, UUID.fromString(thread));
                try (ResultSet r = query.executeQuery()) {
                    if (r.next()) {
                        return r.getString(1);
                    }
                }
            }
            assertThat(System.nanoTime())
                    .as("a triage item for the proof's thread")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String single(String sql, String threadId) throws Exception {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, UUID.fromString(threadId));
            try (ResultSet r = query.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }
}
