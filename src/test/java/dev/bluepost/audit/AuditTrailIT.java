package dev.bluepost.audit;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Fhir.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.AuditJournal;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SampleFiles;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the features record in the audit log as people and the system client use Bluepost: sign-in
 * (also refused), sign-out, thread reads by patients and staff, message creation, FHIR reads,
 * searches and creates, integrity failures of stored ciphertext, and refused access to patient
 * information (recorded in one place, once per refusal).
 */
@QuarkusTest
class AuditTrailIT {

    @Inject IdentityService identities;

    private PracticeFixture practice;

    @BeforeEach
    void createPractice() {
        practice = PracticeFixture.create(identities);
    }

    @Test
    void shouldRecordSignInsRefusalsAndSignOutsWithoutTheTypedName() throws Exception {
        UUID patientUser = userId(practice.patientLogin);
        long before = lastSequence();
        WebSession anonymous = new WebSession();
        anonymous.get("/login");
        anonymous
                .submit(
                        "/login",
                        Map.of("username", practice.patientLogin, "password", "not-the-password"))
                .then()
                .statusCode(401);
        String unknownName = "nobody-" + UUID.randomUUID();
        anonymous.get("/login");
        anonymous
                .submit("/login", Map.of("username", unknownName, "password", "whatever-1"))
                .then()
                .statusCode(401);
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient").then().statusCode(200);
        patient.submit("/logout", Map.of()).then().statusCode(303);

        List<Entry> entries = entriesAfter(before);
        assertThat(entries)
                .anySatisfy(
                        e -> {
                            assertThat(e.action).isEqualTo("LOGIN_FAILED");
                            assertThat(e.actorUserId).isEqualTo(patientUser.toString());
                            assertThat(e.outcome).isEqualTo("failure");
                            assertThat(e.reason).isEqualTo("invalid-credentials");
                        });
        assertThat(entries)
                .anySatisfy(
                        e -> {
                            assertThat(e.action).isEqualTo("LOGIN_FAILED");
                            assertThat(e.actorUserId).isNull();
                            assertThat(e.reason).isEqualTo("unknown-user");
                        });
        assertThat(entries)
                .anySatisfy(
                        e -> {
                            assertThat(e.action).isEqualTo("LOGIN");
                            assertThat(e.actorUserId).isEqualTo(patientUser.toString());
                            assertThat(e.roles).isEqualTo("PATIENT");
                            assertThat(e.outcome).isEqualTo("success");
                            assertThat(e.sourceIp).isEqualTo("127.0.0.1");
                            assertThat(e.requestId).isNotBlank();
                        });
        assertThat(entries)
                .anySatisfy(
                        e -> {
                            assertThat(e.action).isEqualTo("LOGOUT");
                            assertThat(e.actorUserId).isEqualTo(patientUser.toString());
                            assertThat(e.resourceType).isEqualTo("Session");
                            assertThat(e.reason).isEqualTo("signed-out");
                        });
        assertThat(entries).allSatisfy(e -> assertThat(e.toString()).doesNotContain(unknownName));
    }

    @Test
    void shouldRecordThreadReadsAndMessageCreationWithThePatient() throws Exception {
        UUID patientId = PracticeFixture.id(practice.patient);
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
                                        "Next visit",
                                        "text",
                                        "Can I come on Monday?"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String threadId = location.substring(location.lastIndexOf('/') + 1);
        patient.get("/patient/threads/" + threadId).then().statusCode(200);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + threadId).then().statusCode(200);

        List<Entry> reads = entriesFor("Thread", threadId);
        assertThat(reads).extracting(e -> e.action).containsOnly("READ");
        assertThat(reads)
                .extracting(e -> e.actorUserId)
                .contains(
                        userId(practice.patientLogin).toString(),
                        userId(practice.frontDeskLogin).toString());
        assertThat(reads)
                .allSatisfy(
                        e -> {
                            assertThat(e.patientId).isEqualTo(patientId.toString());
                            assertThat(e.practiceId)
                                    .isEqualTo(PracticeFixture.id(practice.practice).toString());
                        });
        String messageId = messageIdsOf(patientId).get(0);
        assertThat(entriesFor("Communication", messageId))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.action).isEqualTo("CREATE");
                            assertThat(e.actorUserId)
                                    .isEqualTo(userId(practice.patientLogin).toString());
                            assertThat(e.patientId).isEqualTo(patientId.toString());
                        });
    }

    @Test
    void shouldRecordFhirReadsSearchesAndCreatesOfTheSystemClientOncePerEvent() throws Exception {
        UUID patientId = PracticeFixture.id(practice.patient);
        fhir().get("/fhir/" + practice.patient).then().statusCode(200);
        String created =
                fhir().body(json(aMessage(practice.patient, practice.pool, "Refill please")))
                        .post("/fhir/Communication")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id");
        long before = lastSequence();
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().statusCode(200);

        assertThat(entriesFor("Patient", patientId.toString()))
                .extracting(e -> e.action)
                .containsExactly("CREATE", "READ");
        assertThat(entriesFor("Patient", patientId.toString()))
                .filteredOn(e -> e.action.equals("READ"))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.clientId).isEqualTo("bluepost-system");
                            assertThat(e.roles).isEqualTo("SYSTEM");
                            assertThat(e.patientId).isEqualTo(patientId.toString());
                        });
        assertThat(entriesFor("Communication", created))
                .as("the FHIR create and the messaging service record one entry")
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.action).isEqualTo("CREATE");
                            assertThat(e.patientId).isEqualTo(patientId.toString());
                        });
        assertThat(entriesAfter(before))
                .filteredOn(e -> e.action.equals("SEARCH"))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.resourceType).isEqualTo("Communication");
                            assertThat(e.resourceId).isNull();
                            assertThat(e.patientId).isEqualTo(patientId.toString());
                        });
    }

    @Test
    void shouldRefuseATamperedBodyWithoutShowingItAndRecordTheIntegrityFailure() throws Exception {
        UUID patientId = PracticeFixture.id(practice.patient);
        String text = "Blood sugar readings were high this week " + UUID.randomUUID();
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Readings",
                                        "text",
                                        text))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String threadId = location.substring(location.lastIndexOf('/') + 1);
        String messageId = messageIdsOf(patientId).get(0);
        int readsBefore = entriesFor("Thread", threadId).size();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement flip =
                        db.prepareStatement(
                                "update message set body_ciphertext = set_byte(body_ciphertext, 5, get_byte(body_ciphertext, 5) # 1) where id = ?")) {
            flip.setObject(1, UUID.fromString(messageId));
            assertThat(flip.executeUpdate()).isEqualTo(1);
        }

        // the friendly error page: what happened in plain words and a reference for support (the
        // start of the
        // request id its log lines carry), never an id
        var failed = patient.get("/patient/threads/" + threadId);
        String requestId = failed.header("X-Request-Id");
        failed.then()
                .statusCode(500)
                .body(
                        containsString("Something went wrong on our side"),
                        containsString("give them this reference: " + requestId.substring(0, 8)),
                        not(containsString(requestId)),
                        not(containsString(messageId)))
                .body(
                        not(containsString(text)),
                        not(containsString("Blood sugar")),
                        not(containsString("TamperedDataException")),
                        not(containsString("dev.bluepost")),
                        not(containsString("at java.")));

        assertThat(entriesFor("Communication", messageId))
                .filteredOn(e -> e.action.equals("INTEGRITY_FAILURE"))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.outcome).isEqualTo("failure");
                            assertThat(e.reason).isEqualTo("integrity-check-failed");
                            assertThat(e.patientId).isEqualTo(patientId.toString());
                            assertThat(e.actorUserId)
                                    .isEqualTo(userId(practice.patientLogin).toString());
                        });
        assertThat(entriesFor("Thread", threadId))
                .as("the failed read showed nothing, so no READ was recorded")
                .hasSize(readsBefore);

        // a FHIR search that meets the tampered message still answers, leaving it out with a
        // warning
        fhir().get("/fhir/Communication?subject=" + practice.patient)
                .then()
                .statusCode(200)
                .body(
                        "entry.findAll { it.search.mode == 'match' }.resource.id",
                        not(hasItem(messageId)))
                .body(
                        "entry.find { it.search.mode == 'outcome' }.resource.resourceType",
                        equalTo("OperationOutcome"))
                .body(
                        "entry.find { it.search.mode == 'outcome' }.resource.issue[0].severity",
                        equalTo("warning"))
                .body(
                        "entry.find { it.search.mode == 'outcome' }.resource.issue[0].diagnostics",
                        containsString("Communication/" + messageId))
                .body(
                        not(containsString("Blood sugar")),
                        not(containsString("TamperedDataException")));
        assertThat(entriesFor("Communication", messageId))
                .filteredOn(e -> e.action.equals("INTEGRITY_FAILURE"))
                .as("the search's integrity failure is recorded too")
                .hasSize(2);
        String log = Files.readString(Path.of("target/quarkus-test.log"), StandardCharsets.UTF_8);
        assertThat(log)
                .contains("integrity check failed threadId=" + threadId + " messageId=" + messageId)
                .doesNotContain("Blood sugar");
    }

    @Test
    void shouldRecordEveryRefusedAccessToPatientInformationOnceWithTheRecordsPatient()
            throws Exception {
        UUID patientId = PracticeFixture.id(practice.patient);
        String practiceId = PracticeFixture.id(practice.practice).toString();
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submitMultipart(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Rash",
                                        "text",
                                        "A photo of the rash",
                                        "action",
                                        "send"),
                                List.of(
                                        new WebSession.Upload(
                                                "rash.png", "image/png", SampleFiles.png())))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String thread = location.substring(location.lastIndexOf('/') + 1);
        String message = messageIdsOf(patientId).get(0);
        String attachment =
                single(
                        "select id::text from message_attachment where thread_id = ?",
                        UUID.fromString(thread));
        String visit =
                single("select id::text from encounter where patient_id = ? limit 1", patientId);
        String document =
                dev.bluepost.testing.Api.create(
                        dev.bluepost.measurement.PatientElectronicAccessIT.document(
                                practice.patient,
                                "Encounter/" + visit,
                                java.time.Instant.now().minusSeconds(3600),
                                "Visit summary",
                                "Refused-access proof"));
        UUID other = userId(practice.otherPatientLogin);
        WebSession otherPatient =
                WebSession.signIn(practice.otherPatientLogin, PracticeFixture.PASSWORD);
        String otherApp =
                dev.bluepost.testing.SmartApp.tokenFor(
                        WebSession.signIn(practice.otherPatientLogin, PracticeFixture.PASSWORD),
                        dev.bluepost.testing.SmartApp.ALL_SCOPES);

        // another patient's app reaches for the message by id: answered as unknown, recorded as
        // refused
        long before = lastSequence();
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + otherApp)
                .accept("application/fhir+json")
                .get("/fhir/Communication/" + message)
                .then()
                .statusCode(404);
        assertThat(refusalsAfter(before))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.action).isEqualTo("READ");
                            assertThat(e.actorUserId).isEqualTo(other.toString());
                            assertThat(e.resourceType + "/" + e.resourceId)
                                    .isEqualTo("Communication/" + message);
                            assertThat(e.patientId).isEqualTo(patientId.toString());
                            assertThat(e.practiceId).isEqualTo(practiceId);
                            assertThat(e.reason).isEqualTo("access-denied");
                            assertThat(e.sourceIp).isEqualTo("127.0.0.1");
                        });

        // the attachment through the other patient's pages: the thread's own refusal is the only
        // entry (no duplicate)
        before = lastSequence();
        otherPatient
                .get("/patient/threads/" + thread + "/attachments/" + attachment)
                .then()
                .statusCode(404);
        assertThat(refusalsAfter(before))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.resourceType + "/" + e.resourceId)
                                    .isEqualTo("Thread/" + thread);
                            assertThat(e.actorUserId).isEqualTo(other.toString());
                            assertThat(e.patientId).isEqualTo(patientId.toString());
                        });

        // the patient's visit document, viewed and downloaded by the other patient
        before = lastSequence();
        otherPatient.get("/patient/documents/" + document).then().statusCode(404);
        otherPatient.get("/patient/documents/" + document + "/download").then().statusCode(404);
        assertThat(refusalsAfter(before))
                .extracting(
                        e ->
                                e.action
                                        + " "
                                        + e.reason
                                        + " "
                                        + e.resourceType
                                        + "/"
                                        + e.resourceId
                                        + " patient="
                                        + e.patientId
                                        + " by="
                                        + e.actorUserId)
                .containsExactly(
                        "READ access-denied DocumentReference/"
                                + document
                                + " patient="
                                + patientId
                                + " by="
                                + other,
                        "DOWNLOAD access-denied DocumentReference/"
                                + document
                                + " patient="
                                + patientId
                                + " by="
                                + other);

        // a document that does not exist is not found, not refused: nothing to record
        before = lastSequence();
        otherPatient.get("/patient/documents/" + UUID.randomUUID()).then().statusCode(404);
        assertThat(refusalsAfter(before)).isEmpty();

        // a foreign practice's staff member: the thread (recorded once) and its triage item
        PracticeFixture foreign = PracticeFixture.create(identities);
        UUID foreignDesk = userId(foreign.frontDeskLogin);
        String item = triageItemOf(thread);
        WebSession foreignStaff =
                WebSession.signIn(foreign.frontDeskLogin, PracticeFixture.PASSWORD);
        before = lastSequence();
        foreignStaff.get("/staff/threads/" + thread).then().statusCode(404);
        foreignStaff.get("/staff/queue");
        foreignStaff.submit("/staff/items/" + item + "/claim", Map.of()).then().statusCode(404);
        assertThat(refusalsAfter(before))
                .extracting(
                        e ->
                                e.action
                                        + " "
                                        + e.resourceType
                                        + "/"
                                        + e.resourceId
                                        + " patient="
                                        + e.patientId
                                        + " practice="
                                        + e.practiceId
                                        + " by="
                                        + e.actorUserId)
                .containsExactly(
                        "READ Thread/"
                                + thread
                                + " patient="
                                + patientId
                                + " practice="
                                + practiceId
                                + " by="
                                + foreignDesk,
                        "UPDATE TriageItem/"
                                + item
                                + " patient="
                                + patientId
                                + " practice="
                                + practiceId
                                + " by="
                                + foreignDesk);

        // nobody signed in: refused as unauthenticated, with nobody named
        before = lastSequence();
        io.restassured.RestAssured.given()
                .accept("application/fhir+json")
                .get("/fhir/Communication/" + message)
                .then()
                .statusCode(401);
        long from = before;
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(refusalsAfter(from))
                                        .singleElement()
                                        .satisfies(
                                                e -> {
                                                    assertThat(e.actorUserId).isNull();
                                                    assertThat(e.clientId).isNull();
                                                    assertThat(e.reason)
                                                            .isEqualTo("unauthenticated");
                                                    assertThat(e.resourceType + "/" + e.resourceId)
                                                            .isEqualTo("Communication/" + message);
                                                    assertThat(e.patientId)
                                                            .isEqualTo(patientId.toString());
                                                }));
    }

    private static List<Entry> refusalsAfter(long sequence) throws SQLException {
        return entries(
                "sequence_number > ? and outcome = 'failure' and reason_code in ('access-denied', 'unauthenticated')",
                sequence);
    }

    private static String single(String sql, UUID parameter) throws SQLException {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet r = query.executeQuery()) {
                assertThat(r.next()).as(sql).isTrue();
                return r.getString(1);
            }
        }
    }

    /** The thread's triage item: the triage consumer files it from the message's event, so it may take a moment. */
    private static String triageItemOf(String thread) {
        return org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(
                        () -> {
                            try (Connection db =
                                            EmbeddedPostgresResource.dataSource().getConnection();
                                    PreparedStatement query =
                                            db.prepareStatement(
                                                    "select id::text from triage_item where thread_id = ? limit 1")) {
                                query.setObject(1, UUID.fromString(thread));
                                try (ResultSet r = query.executeQuery()) {
                                    return r.next() ? r.getString(1) : null;
                                }
                            }
                        },
                        java.util.Objects::nonNull);
    }

    private record Entry(
            long sequence,
            String action,
            String actorUserId,
            String clientId,
            String roles,
            String resourceType,
            String resourceId,
            String patientId,
            String practiceId,
            String outcome,
            String reason,
            String sourceIp,
            String requestId) {}

    private UUID userId(String login) {
        return identities.findByUsername(login).orElseThrow().id();
    }

    private static long lastSequence() throws SQLException {
        AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                ResultSet r =
                        db.createStatement()
                                .executeQuery(
                                        "select coalesce(max(sequence_number), 0) from audit_event")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<Entry> entriesAfter(long sequence) throws SQLException {
        return entries("sequence_number > ?", sequence);
    }

    private static List<Entry> entriesFor(String type, String id) throws SQLException {
        return entries("resource_type = ? and resource_id = ?", type, id);
    }

    private static List<String> messageIdsOf(UUID patientId) throws SQLException {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                "select id from message where patient_id = ? order by created_at")) {
            query.setObject(1, patientId);
            List<String> ids = new ArrayList<>();
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            return ids;
        }
    }

    private static List<Entry> entries(String where, Object... parameters) throws SQLException {
        AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                """
                     select sequence_number, action, actor_user_id, actor_client_id, actor_roles, resource_type, resource_id,
                            patient_id, practice_id, outcome, reason_code, source_ip, request_id
                     from audit_event where"""
                                        + " "
                                        + where
                                        + " order by sequence_number")) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            List<Entry> entries = new ArrayList<>();
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    entries.add(
                            new Entry(
                                    r.getLong(1),
                                    r.getString(2),
                                    r.getString(3),
                                    r.getString(4),
                                    r.getString(5),
                                    r.getString(6),
                                    r.getString(7),
                                    r.getString(8),
                                    r.getString(9),
                                    r.getString(10),
                                    r.getString(11),
                                    r.getString(12),
                                    r.getString(13)));
                }
            }
            return entries;
        }
    }
}
