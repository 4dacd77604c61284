package dev.bluepost.fhir.export;

import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aProxy;
import static dev.bluepost.testing.Builders.aVisit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.Sql;
import dev.bluepost.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FHIR Bulk Data export over the real stack (PostgreSQL, Kafka): kick-off, polling, manifest,
 * NDJSON files that parse with HAPI and match the database, {@code _type} and {@code _since},
 * DELETE, expiry, bad input that records nothing, the per-requester limit, and practice scoping.
 */
@QuarkusTest
class BulkExportIT {

    @Inject IdentityService identities;

    @Inject BulkExportService exports;

    @Inject TestClock clock;

    private PracticeFixture home;
    private PracticeFixture foreign;
    private String proxy;

    @BeforeEach
    void practices() {
        home = PracticeFixture.create(identities);
        foreign = PracticeFixture.create(identities);
        proxy = "RelatedPerson/" + Api.create(aProxy(home.patient));
        Api.create(
                aVisit(
                        home.otherPatient,
                        home.ep,
                        home.location,
                        home.practice,
                        Instant.now().minus(3, ChronoUnit.DAYS)));
        Api.create(aMessage(home.patient, home.pool, "Home question about my results"));
        Api.create(aMessage(home.otherPatient, home.pool, "Home question two"));
        Api.create(aMessage(foreign.patient, foreign.pool, "Foreign question"));
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static RequestSpecification kickOff() {
        return given().header("Authorization", "Bearer " + Api.token())
                .header("Prefer", "respond-async")
                .accept(Api.FHIR_JSON);
    }

    /** Polls the status URL until the export has finished; answers the manifest. */
    private static JsonPath finished(String status) {
        Response done =
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () ->
                                        given().header("Authorization", "Bearer " + Api.token())
                                                .get(status),
                                r -> r.statusCode() != 202);
        assertThat(done.statusCode()).as(done.asString()).isEqualTo(200);
        assertThat(done.contentType()).startsWith("application/json");
        return done.jsonPath();
    }

    /** Every line of the manifest's files, parsed with HAPI, by type. */
    private static Map<String, List<Resource>> download(JsonPath manifest) {
        Map<String, List<Resource>> byType = new HashMap<>();
        for (Map<String, Object> output : manifest.<Map<String, Object>>getList("output")) {
            Response file =
                    given().header("Authorization", "Bearer " + Api.token())
                            .accept("application/fhir+ndjson")
                            .get((String) output.get("url"));
            file.then().statusCode(200);
            assertThat(file.contentType()).startsWith("application/fhir+ndjson");
            String[] lines = file.asString().split("\n");
            assertThat(lines).hasSize(((Number) output.get("count")).intValue());
            for (String line : lines) {
                Resource resource = (Resource) Fhir.CONTEXT.newJsonParser().parseResource(line);
                assertThat(resource.fhirType()).isEqualTo(output.get("type"));
                byType.computeIfAbsent(resource.fhirType(), t -> new ArrayList<>()).add(resource);
            }
        }
        return byType;
    }

    private static Set<String> ids(List<Resource> resources) {
        Set<String> ids = new TreeSet<>();
        if (resources != null) {
            resources.forEach(r -> ids.add(r.getIdElement().getIdPart()));
        }
        return ids;
    }

    private static Set<String> column(String sql, Object... parameters) throws Exception {
        Set<String> values = new TreeSet<>();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
        }
        return values;
    }

    @Test
    void shouldExportAPracticeAsAGroupMatchingTheDatabase() throws Exception {
        UUID practice = PracticeFixture.id(home.practice);
        // a visit document of the home patient: exported with its content, as a read answers it
        String visit =
                "Encounter/"
                        + Api.create(
                                aVisit(
                                        home.patient,
                                        home.ep,
                                        home.location,
                                        home.practice,
                                        Instant.now().minus(2, ChronoUnit.DAYS)));
        String document =
                Api.create(
                        dev.bluepost.measurement.PatientElectronicAccessIT.document(
                                home.patient,
                                visit,
                                Instant.now().minus(1, ChronoUnit.HOURS),
                                "Visit summary",
                                "Rest and drink plenty of fluids."));
        Response accepted = kickOff().get("/fhir/Group/" + practice + "/$export");
        accepted.then().statusCode(202);
        String status = accepted.header("Content-Location");
        assertThat(status).contains("/fhir/bulk-export/");

        JsonPath manifest = finished(status);
        assertThat(manifest.getBoolean("requiresAccessToken")).isTrue();
        assertThat(manifest.getString("request")).endsWith("/fhir/Group/" + practice + "/$export");
        assertThat(Instant.parse(manifest.getString("transactionTime")))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(manifest.getList("error")).isEmpty();
        assertThat(manifest.<String>getList("output.type"))
                .containsExactly(
                        "Communication",
                        "DocumentReference",
                        "Encounter",
                        "Patient",
                        "RelatedPerson");

        Map<String, List<Resource>> exported = download(manifest);
        assertThat(ids(exported.get("DocumentReference")))
                .containsExactly(document)
                .isEqualTo(column("select id from visit_document where practice_id = ?", practice));
        org.hl7.fhir.r4.model.DocumentReference exportedDocument =
                (org.hl7.fhir.r4.model.DocumentReference) exported.get("DocumentReference").get(0);
        assertThat(
                        new String(
                                exportedDocument.getContentFirstRep().getAttachment().getData(),
                                StandardCharsets.UTF_8))
                .isEqualTo("Rest and drink plenty of fluids.");
        assertThat(exportedDocument.getSubject().getReference()).isEqualTo(home.patient);
        assertThat(ids(exported.get("Patient")))
                .isEqualTo(column("select id from patient where practice_id = ?", practice))
                .contains(
                        PracticeFixture.id(home.patient).toString(),
                        PracticeFixture.id(home.otherPatient).toString())
                .doesNotContain(PracticeFixture.id(foreign.patient).toString());
        assertThat(ids(exported.get("Encounter")))
                .hasSize(3)
                .isEqualTo(column("select id from encounter where practice_id = ?", practice));
        assertThat(ids(exported.get("Communication")))
                .hasSize(2)
                .isEqualTo(column("select id from message where practice_id = ?", practice));
        assertThat(ids(exported.get("RelatedPerson")))
                .containsExactly(PracticeFixture.id(proxy).toString());

        // a few fields: as a read answers them (decrypted text, subject, stored name and version)
        Patient patient =
                (Patient)
                        exported.get("Patient").stream()
                                .filter(
                                        p ->
                                                p.getIdElement()
                                                        .getIdPart()
                                                        .equals(
                                                                PracticeFixture.id(home.patient)
                                                                        .toString()))
                                .findFirst()
                                .orElseThrow();
        Patient read = Api.read(Patient.class, home.patient);
        assertThat(patient.getNameFirstRep().getFamily())
                .isEqualTo(read.getNameFirstRep().getFamily());
        assertThat(patient.getMeta().getVersionId()).isEqualTo(read.getMeta().getVersionId());
        assertThat(
                        exported.get("Communication").stream()
                                .map(
                                        c ->
                                                ((Communication) c)
                                                        .getPayloadFirstRep()
                                                        .getContentStringType()
                                                        .getValue()))
                .containsExactlyInAnyOrder("Home question about my results", "Home question two");
        assertThat(
                        exported.get("Encounter").stream()
                                .map(e -> ((Encounter) e).getServiceProvider().getReference()))
                .containsOnly(home.practice);
        assertThat(
                        ((RelatedPerson) exported.get("RelatedPerson").get(0))
                                .getPatient()
                                .getReference())
                .isEqualTo(home.patient);
        // at rest the files are sealed: no message text in the stored chunks
        UUID exportId = UUID.fromString(status.substring(status.lastIndexOf('/') + 1));
        assertThat(
                        Sql.count(
                                "select count(*) from bulk_export_chunk k join bulk_export_file f on f.id = k.file_id "
                                        + "where f.export_id = ?",
                                exportId))
                .isPositive();
        assertThat(
                        Sql.count(
                                "select count(*) from bulk_export_chunk k join bulk_export_file f on f.id = k.file_id "
                                        + "where f.export_id = ? and position(convert_to('Home question', 'UTF8') in k.data) > 0",
                                exportId))
                .isZero();
        // one audit entry for the kick-off
        dev.bluepost.testing.AuditJournal.settle();
        assertThat(
                        Sql.count(
                                "select count(*) from audit_event where action = 'EXPORT' and resource_id = ?",
                                status.substring(status.lastIndexOf('/') + 1)))
                .isEqualTo(1);
    }

    @Test
    void shouldReadAPracticeAsAGroupOfItsPatientsAndDeclareTheOperations() throws Exception {
        Group group = Api.read(Group.class, "Group/" + PracticeFixture.id(home.practice));
        assertThat(group.getActual()).isTrue();
        assertThat(group.getMember().stream().map(m -> m.getEntity().getReference()))
                .containsExactlyInAnyOrder(home.patient, home.otherPatient);
        given().get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body(
                        containsString(
                                "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"))
                .body(
                        containsString(
                                "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"));
        kickOff()
                .get("/fhir/Group/" + UUID.randomUUID() + "/$export")
                .then()
                .statusCode(404)
                .body(containsString("OperationOutcome"));
    }

    @Test
    void shouldExportEveryPracticesPatientsHonouringTypeAndSince() throws Exception {
        Instant since = Instant.now();
        String later =
                Api.create(
                        aVisit(
                                foreign.patient,
                                foreign.ep,
                                foreign.location,
                                foreign.practice,
                                Instant.now()));
        String afterMark = Api.create(aMessage(home.patient, home.pool, "After the mark"));

        Response accepted =
                kickOff()
                        .queryParam("_type", "Encounter,Communication")
                        .queryParam("_since", since.toString())
                        .queryParam("_outputFormat", "application/fhir+ndjson")
                        .get("/fhir/Patient/$export");
        accepted.then().statusCode(202);
        JsonPath manifest = finished(accepted.header("Content-Location"));
        assertThat(manifest.<String>getList("output.type"))
                .containsExactly("Communication", "Encounter");
        Map<String, List<Resource>> exported = download(manifest);
        assertThat(ids(exported.get("Encounter"))).containsExactly(later);
        // the message after the mark, and whatever else the platform stored since (automatic
        // replies, other
        // tests' messages: the export covers every practice), never a message stored before the
        // mark
        java.sql.Timestamp mark = java.sql.Timestamp.from(since);
        assertThat(ids(exported.get("Communication")))
                .contains(afterMark)
                .isSubsetOf(
                        column(
                                "select id from message where created_at >= ? or retracted_at >= ?",
                                mark,
                                mark))
                .doesNotContainAnyElementsOf(
                        column(
                                "select id from message where created_at < ? and (retracted_at is null "
                                        + "or retracted_at < ?)",
                                mark,
                                mark));
        assertThat(
                        exported.get("Communication").stream()
                                .filter(c -> c.getIdElement().getIdPart().equals(afterMark))
                                .map(
                                        c ->
                                                ((Communication) c)
                                                        .getPayloadFirstRep()
                                                        .getContentStringType()
                                                        .getValue()))
                .containsExactly("After the mark");

        // without _since: every practice's rows of the type
        Response all =
                kickOff()
                        .queryParam("_type", "Encounter")
                        .queryParam("_outputFormat", "ndjson")
                        .get("/fhir/Patient/$export");
        all.then().statusCode(202);
        Map<String, List<Resource>> everything = download(finished(all.header("Content-Location")));
        assertThat(ids(everything.get("Encounter"))).isEqualTo(column("select id from encounter"));
        assertThat(everything).containsOnlyKeys("Encounter");
    }

    @Test
    void shouldDeleteAnExportAndItsFilesAndExpireOldOnes() throws Exception {
        Response accepted =
                kickOff().get("/fhir/Group/" + PracticeFixture.id(home.practice) + "/$export");
        String status = accepted.header("Content-Location");
        String export = status.substring(status.lastIndexOf('/') + 1);
        JsonPath manifest = finished(status);
        String file = manifest.getString("output[0].url");
        assertThat(
                        Sql.count(
                                "select count(*) from bulk_export_chunk c join bulk_export_file f on f.id = c.file_id "
                                        + "where f.export_id = ?",
                                UUID.fromString(export)))
                .isPositive();

        given().header("Authorization", "Bearer " + Api.token())
                .delete(status)
                .then()
                .statusCode(202);
        given().header("Authorization", "Bearer " + Api.token())
                .get(status)
                .then()
                .statusCode(404)
                .body(containsString("OperationOutcome"));
        given().header("Authorization", "Bearer " + Api.token()).get(file).then().statusCode(404);
        assertThat(
                        Sql.count(
                                "select count(*) from bulk_export_file where export_id = ?",
                                UUID.fromString(export)))
                .isZero();
        dev.bluepost.testing.AuditJournal.settle();
        assertThat(
                        Sql.count(
                                "select count(*) from audit_event where action = 'DELETE' and resource_id = ?",
                                export))
                .isEqualTo(1);

        // another finished export, then the clock passes its retention: 404 at once, and the purge
        // removes its rows
        Response second =
                kickOff()
                        .queryParam("_type", "Patient")
                        .get("/fhir/Group/" + PracticeFixture.id(home.practice) + "/$export");
        String secondStatus = second.header("Content-Location");
        UUID secondId = UUID.fromString(secondStatus.substring(secondStatus.lastIndexOf('/') + 1));
        finished(secondStatus);
        clock.set(Instant.now().plus(Duration.ofHours(25)));
        given().header("Authorization", "Bearer " + Api.token())
                .get(secondStatus)
                .then()
                .statusCode(404);
        assertThat(exports.purge()).isPositive();
        assertThat(Sql.count("select count(*) from bulk_export where id = ?", secondId)).isZero();
        assertThat(Sql.count("select count(*) from bulk_export_file where export_id = ?", secondId))
                .isZero();
    }

    @Test
    void shouldRefuseBadKickOffsWithAnOperationOutcomeRecordingNothing() {
        long before = Sql.count("select count(*) from bulk_export");
        String group = "/fhir/Group/" + PracticeFixture.id(home.practice) + "/$export";
        Map<String, RequestSpecification> bad = new java.util.LinkedHashMap<>();
        bad.put("unknown type", kickOff().queryParam("_type", "Patient,Spaceship"));
        bad.put("type not exported", kickOff().queryParam("_type", "AuditEvent"));
        bad.put("bad _since", kickOff().queryParam("_since", "last tuesday"));
        bad.put("_since without zone", kickOff().queryParam("_since", "2026-01-01T00:00:00"));
        bad.put("wrong _outputFormat", kickOff().queryParam("_outputFormat", "text/csv"));
        bad.put("_typeFilter", kickOff().queryParam("_typeFilter", "Encounter?status=finished"));
        bad.put("_elements", kickOff().queryParam("_elements", "id"));
        bad.put("patient", kickOff().queryParam("patient", home.patient));
        bad.put(
                "missing Prefer",
                given().header("Authorization", "Bearer " + Api.token()).accept(Api.FHIR_JSON));
        bad.put(
                "Accept not FHIR JSON",
                given().header("Authorization", "Bearer " + Api.token())
                        .header("Prefer", "respond-async")
                        .accept("text/csv"));
        bad.forEach(
                (what, request) -> {
                    Response response = request.get(group);
                    assertThat(response.statusCode()).as(what).isIn(400, 406);
                    if (response.statusCode() == 400) {
                        OperationOutcome outcome =
                                Fhir.parse(response.asString(), OperationOutcome.class);
                        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                                .as(what)
                                .isNotBlank()
                                .doesNotContain("Exception");
                    }
                });
        assertThat(bad.get("missing Prefer").get(group).statusCode()).isEqualTo(400);
        assertThat(Sql.count("select count(*) from bulk_export")).isEqualTo(before);

        // lenient: an unsupported parameter and an unknown type are ignored
        Response lenient =
                given().header("Authorization", "Bearer " + Api.token())
                        .header("Prefer", "respond-async, handling=lenient")
                        .queryParam("_typeFilter", "x")
                        .queryParam("_type", "Patient,Spaceship")
                        .get(group);
        lenient.then().statusCode(202);
        assertThat(finished(lenient.header("Content-Location")).<String>getList("output.type"))
                .containsExactly("Patient");
    }

    @Test
    void shouldRefuseAnotherRequesterAndNonClientsAndLimitConcurrentExports() throws Exception {
        UUID practice = PracticeFixture.id(home.practice);
        Response accepted = kickOff().get("/fhir/Group/" + practice + "/$export");
        String status = accepted.header("Content-Location");
        UUID export = UUID.fromString(status.substring(status.lastIndexOf('/') + 1));
        JsonPath manifest = finished(status);
        UUID file = UUID.fromString(manifest.getString("output[0].url").replaceAll(".*/", ""));

        // another client: neither the status nor a file exists for it
        Actor other = Actor.system("another-client");
        assertThatThrownBy(() -> exports.status(export, other))
                .isInstanceOf(BluepostException.class)
                .extracting(e -> ((BluepostException) e).kind().status())
                .isEqualTo(404);
        assertThatThrownBy(() -> exports.file(export, file, other))
                .isInstanceOf(BluepostException.class)
                .extracting(e -> ((BluepostException) e).kind().status())
                .isEqualTo(404);
        // a patient's app, staff: 403
        String appToken =
                dev.bluepost.testing.SmartApp.tokenFor(
                        dev.bluepost.testing.WebSession.signIn(
                                home.patientLogin, PracticeFixture.PASSWORD),
                        dev.bluepost.testing.SmartApp.ALL_SCOPES);
        given().header("Authorization", "Bearer " + appToken)
                .header("Prefer", "respond-async")
                .get("/fhir/Patient/$export")
                .then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + appToken)
                .get(manifest.getString("output[0].url"))
                .then()
                .statusCode(403);

        // the limit per requester: two queued already → 429 with Retry-After, nothing recorded
        Actor limited = Actor.system("limit-" + UUID.randomUUID());
        for (int i = 0; i < 2; i++) {
            Sql.update(
                    "insert into bulk_export (id, requester, types, request_url, state, transaction_time, submitted_at, heartbeat_at, "
                            + "expires_at, dek_kek_id, dek_wrapped) values (gen_random_uuid(), ?, '{Patient}', 'x', 'QUEUED', now(), now(), now(), "
                            + "now() + interval '1 day', 'x', '\\x00')",
                    limited.logId());
        }
        assertThatThrownBy(
                        () ->
                                exports.kickOff(
                                        new BulkExportService.Request(
                                                practice, Map.of(), false, "x"),
                                        limited))
                .isInstanceOf(BluepostException.class)
                .extracting(e -> ((BluepostException) e).kind().status())
                .isEqualTo(429);
        assertThat(
                        Sql.count(
                                "select count(*) from bulk_export where requester = ?",
                                limited.logId()))
                .isEqualTo(2);

        // over HTTP: the system client with two exports queued gets 429 and Retry-After, and no
        // third
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            queued.add(
                    Sql.single(
                            "insert into bulk_export (id, requester, types, request_url, state, transaction_time, submitted_at, "
                                    + "heartbeat_at, expires_at, dek_kek_id, dek_wrapped) values (gen_random_uuid(), ?, '{Patient}', 'x', 'QUEUED', now(), "
                                    + "now(), now(), now() + interval '1 day', 'x', '\\x00') returning id",
                            "client:" + Api.CLIENT_ID));
        }
        try {
            long before = Sql.count("select count(*) from bulk_export");
            Response refused = kickOff().get("/fhir/Patient/$export");
            refused.then().statusCode(429).body(containsString("OperationOutcome"));
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertThat(Sql.count("select count(*) from bulk_export")).isEqualTo(before);
        } finally {
            for (String id : queued) {
                Sql.update("delete from bulk_export where id = ?", UUID.fromString(id));
            }
        }
    }

    @Test
    void shouldConfineAPracticeClientToItsOwnPractice() throws Exception {
        UUID practice = PracticeFixture.id(home.practice);
        UUID other = PracticeFixture.id(foreign.practice);
        Actor client = Actor.practiceClient("practice-client-" + UUID.randomUUID(), practice);

        // another practice's Group: 404, as if unknown; a patient: 403
        assertThatThrownBy(
                        () ->
                                exports.kickOff(
                                        new BulkExportService.Request(other, Map.of(), false, "x"),
                                        client))
                .isInstanceOf(BluepostException.class)
                .extracting(e -> ((BluepostException) e).kind().status())
                .isEqualTo(404);
        Actor patient =
                identities
                        .actorFor(
                                identities.findByUsername(home.patientLogin).orElseThrow().id(),
                                null)
                        .orElseThrow();
        assertThatThrownBy(
                        () ->
                                exports.kickOff(
                                        new BulkExportService.Request(null, Map.of(), false, "x"),
                                        patient))
                .isInstanceOf(BluepostException.class)
                .extracting(e -> ((BluepostException) e).kind().status())
                .isEqualTo(403);

        // Patient/$export of a practice client = its practice's data only
        UUID export =
                exports.kickOff(new BulkExportService.Request(null, Map.of(), false, "x"), client);
        BulkExportService.ExportView view =
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> exports.status(export, client),
                                v ->
                                        v.state() == BulkExportService.State.COMPLETED
                                                || v.state() == BulkExportService.State.FAILED);
        assertThat(view.state()).isEqualTo(BulkExportService.State.COMPLETED);
        assertThat(view.practiceId()).isEqualTo(practice);
        Map<String, Set<String>> exported = new HashMap<>();
        for (BulkExportService.FileView file : view.files()) {
            exports.file(export, file.id(), client);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            exports.write(file.id(), out);
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                Resource resource = (Resource) Fhir.CONTEXT.newJsonParser().parseResource(line);
                exported.computeIfAbsent(resource.fhirType(), t -> new TreeSet<>())
                        .add(resource.getIdElement().getIdPart());
            }
        }
        assertThat(exported.get("Patient"))
                .isEqualTo(column("select id from patient where practice_id = ?", practice));
        assertThat(exported.get("Encounter"))
                .isEqualTo(column("select id from encounter where practice_id = ?", practice));
        assertThat(exported.get("Communication"))
                .isEqualTo(column("select id from message where practice_id = ?", practice))
                .hasSize(2);
        assertThat(exported.get("RelatedPerson"))
                .containsExactly(PracticeFixture.id(proxy).toString());
        assertThat(exported.values().stream().flatMap(Set::stream))
                .doesNotContainAnyElementsOf(
                        column(
                                "select id::text from patient where practice_id = ? union select id::text from encounter where practice_id = ? "
                                        + "union select id::text from message where practice_id = ?",
                                other,
                                other,
                                other));
    }

    /** A practice client's access token for {@code practice}: registered by the practice's admin, signed assertion, read scopes. */
    private String practiceClientToken(UUID practice) {
        String login = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Admin",
                        Set.of(dev.bluepost.platform.security.Role.ADMIN),
                        practice,
                        null,
                        null,
                        Set.of()));
        return dev.bluepost.testing.PracticeSystem.rsa(2048)
                .registeredBy(
                        dev.bluepost.testing.WebSession.signIn(login, PracticeFixture.PASSWORD),
                        "EHR " + login)
                .token("system/*.rs");
    }

    @Test
    void shouldConfineAPracticeClientToItsOwnPracticeOverHttp() throws Exception {
        UUID practice = PracticeFixture.id(home.practice);
        String token = practiceClientToken(practice);
        RequestSpecification client =
                given().header("Authorization", "Bearer " + token)
                        .header("Prefer", "respond-async");
        client.get("/fhir/Group/" + PracticeFixture.id(foreign.practice) + "/$export")
                .then()
                .statusCode(404);
        Response own = client.get("/fhir/Patient/$export");
        own.then().statusCode(202);
        String status = own.header("Content-Location");
        // another requester (the system client) does not see it
        given().header("Authorization", "Bearer " + Api.token()).get(status).then().statusCode(404);
        Response done =
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        given().header("Authorization", "Bearer " + token)
                                                .get(status),
                                r -> r.statusCode() != 202);
        assertThat(done.statusCode()).isEqualTo(200);
        Set<String> patients = new TreeSet<>();
        for (Map<String, Object> output : done.jsonPath().<Map<String, Object>>getList("output")) {
            String body =
                    given().header("Authorization", "Bearer " + token)
                            .get((String) output.get("url"))
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString();
            given().header("Authorization", "Bearer " + Api.token())
                    .get((String) output.get("url"))
                    .then()
                    .statusCode(404);
            if ("Patient".equals(output.get("type"))) {
                for (String line : body.split("\n")) {
                    patients.add(
                            Fhir.CONTEXT
                                    .newJsonParser()
                                    .parseResource(line)
                                    .getIdElement()
                                    .getIdPart());
                }
            }
        }
        assertThat(patients)
                .isEqualTo(column("select id from patient where practice_id = ?", practice));
    }
}
