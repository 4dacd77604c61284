package dev.bluepost.encounters.feed;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.Sql;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bulk NDJSON encounter import over the real database: from the compliance page (upload,
 * progress, line errors) and from a system client ({@code POST /fhir/Encounter/$import}); bad lines
 * reported by number while the rest loads; importing again creates nothing twice; imported visits
 * count in the measures.
 */
@QuarkusTest
class EncounterImportIT {

    static final String Q1 = "periodStart=2014-01-01&periodEnd=2014-03-31";
    static final Instant VISIT = Instant.parse("2014-02-10T15:00:00Z");

    @Inject IdentityService identities;

    @Inject EncounterImportService imports;

    String practice;
    String location;
    String ep;
    List<String> patients;
    String complianceLogin;

    @BeforeEach
    void practice() {
        practice = "Organization/" + Api.create(aPractice());
        location = "Location/" + Api.create(aLocation(practice, true));
        ep = "Practitioner/" + Api.create(anEp(practice));
        patients =
                List.of(
                        "Patient/" + Api.create(aPatient(practice)),
                        "Patient/" + Api.create(aPatient(practice)),
                        "Patient/" + Api.create(aPatient(practice)));
        complianceLogin = "import-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        complianceLogin,
                        PracticeFixture.PASSWORD,
                        "Compliance Officer",
                        Set.of(Role.COMPLIANCE),
                        PracticeFixture.id(practice),
                        null,
                        null,
                        Set.of()));
    }

    private Encounter visit(String patient, String identifier) {
        Encounter visit = aVisit(patient, ep, location, practice, VISIT);
        visit.getIdentifierFirstRep().setValue(identifier);
        return visit;
    }

    private static String line(Encounter encounter) {
        return Fhir.json(encounter);
    }

    @Test
    void shouldImportFromThePageReportingBadLinesByNumberWhileTheRestLoads() {
        String run = UUID.randomUUID().toString();
        Encounter unknownEp = visit(patients.get(1), run + "-x");
        unknownEp
                .getParticipantFirstRep()
                .setIndividual(new Reference("Practitioner/" + UUID.randomUUID()));
        Encounter noIdentifier = visit(patients.get(1), run + "-y");
        noIdentifier.getIdentifier().clear();
        Encounter unknownLocation = visit(patients.get(1), run + "-z");
        unknownLocation
                .getLocationFirstRep()
                .setLocation(new Reference("Location/" + UUID.randomUUID()));
        String file =
                String.join(
                                "\n",
                                line(visit(patients.get(0), run + "-1")), // 1 loads
                                "{this is not json", // 2 not JSON
                                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Secret\"}]}", // 3 not an Encounter
                                line(unknownEp), // 4 unknown practitioner
                                "", // 5 blank: skipped
                                line(noIdentifier), // 6 no identifier
                                line(unknownLocation), // 7 unknown location
                                line(visit(patients.get(1), run + "-2")))
                        + "\n"; // 8 loads

        WebSession officer = WebSession.signIn(complianceLogin, PracticeFixture.PASSWORD);
        officer.get("/compliance/encounter-imports")
                .then()
                .statusCode(200)
                .body(
                        containsString("enctype=\"multipart/form-data\""),
                        containsString("name=\"_csrf\""));
        Response uploaded =
                officer.submitMultipart(
                        "/compliance/encounter-imports",
                        Map.of(),
                        List.of(
                                new WebSession.Upload(
                                        "visits.ndjson",
                                        "application/x-ndjson",
                                        file.getBytes(StandardCharsets.UTF_8))));
        uploaded.then().statusCode(303);
        String jobPath = java.net.URI.create(uploaded.getHeader("Location")).getPath();
        officer.get(jobPath)
                .then()
                .statusCode(200)
                .body(containsString("<progress"), containsString("/js/encounter-import.js"));

        JsonPath status =
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        officer.get(jobPath + "/status")
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .jsonPath(),
                                s -> s.getBoolean("finished"));
        assertThat(status.getString("state")).isEqualTo("COMPLETED");
        assertThat(status.getInt("percent")).isEqualTo(100);
        assertThat(status.getInt("linesRead")).isEqualTo(8);
        assertThat(status.getInt("loaded")).isEqualTo(2);
        assertThat(status.getInt("created")).isEqualTo(2);
        assertThat(status.getInt("failed")).isEqualTo(5);
        Map<Integer, String> errors =
                status.getList("errors", Map.class).stream()
                        .collect(
                                Collectors.toMap(
                                        e -> ((Number) e.get("line")).intValue(),
                                        e -> (String) e.get("reason")));
        assertThat(errors.keySet()).containsExactlyInAnyOrder(2, 3, 4, 6, 7);
        assertThat(errors.get(2)).contains("not JSON");
        assertThat(errors.get(3)).contains("not an Encounter");
        assertThat(errors.get(4)).contains("Encounter.participant").contains("not known");
        assertThat(errors.get(6)).contains("Encounter.identifier");
        assertThat(errors.get(7)).contains("Encounter.location").contains("not known");
        assertThat(String.join(" ", errors.values())).doesNotContain("Secret");

        String page = officer.get(jobPath).then().statusCode(200).extract().asString();
        assertThat(page)
                .contains("Lines not loaded")
                .contains("<td>4</td>")
                .contains("value=\"100\"");
        assertThat(count(run + "-1")).isEqualTo(1);
        assertThat(count(run + "-2")).isEqualTo(1);

        MeasureReport report = report("sm-s2", "practitioner=" + ep);
        assertThat(population(report, "denominator")).isEqualTo(2);
    }

    @Test
    void shouldImportFromASystemClientAndNotDuplicateOnReimportButUpdateAChangedLine() {
        String run = UUID.randomUUID().toString();
        Encounter first = visit(patients.get(0), run + "-1");
        Encounter second = visit(patients.get(1), run + "-2");
        String file = line(first) + "\n" + line(second) + "\n";

        JsonPath status = importAsSystem(file);
        assertThat(status.getInt("created")).isEqualTo(2);
        assertThat(population(report("sm-s2", "practitioner=" + ep), "denominator")).isEqualTo(2);

        JsonPath again = importAsSystem(file);
        assertThat(again.getInt("created")).isZero();
        assertThat(again.getInt("updated")).isZero();
        assertThat(again.getInt("unchanged")).isEqualTo(2);
        assertThat(count(run + "-1")).isEqualTo(1);

        second.setSubject(new Reference(patients.get(2)));
        Encounter cancelled = first.copy().setStatus(Encounter.EncounterStatus.CANCELLED);
        JsonPath changed = importAsSystem(line(cancelled) + "\n" + line(second) + "\n");
        assertThat(changed.getInt("updated")).isEqualTo(2);
        assertThat(count(run + "-2")).isEqualTo(1);
        assertThat(count(run + "-1")).isEqualTo(1);
        // patient 0's only visit is cancelled now, patient 1's moved to patient 2
        MeasureReport report = report("sm-s2", "practitioner=" + ep + "&reportType=subject-list");
        assertThat(population(report, "denominator")).isEqualTo(1);
        assertThat(Fhir.json(report)).contains(patients.get(2)).doesNotContain(patients.get(1));

        // the FHIR read of an imported encounter still answers at /fhir/Encounter/{id}
        String id =
                fhir().get("/fhir/Encounter?identifier=urn:test:encounter|" + run + "-2")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("entry[0].resource.id");
        fhir().get("/fhir/Encounter/" + id)
                .then()
                .statusCode(200)
                .body(containsString(patients.get(2)));
    }

    @Test
    void shouldImportSeveralChunksInFileOrderTheLastLineForAnIdentifierWinning() {
        // 2,500 lines are three chunks of 1,000: each is prepared while the previous one is written
        String run = UUID.randomUUID().toString();
        String absolutePatient = "https://ehr.example/fhir/" + patients.get(1);
        StringBuilder file = new StringBuilder();
        for (int i = 1; i <= 2500; i++) {
            Encounter visit = visit(patients.get(i % 2), run + "-" + i);
            if (i == 10) {
                visit.setId("ehr-10"); // the EHR's own id and version: not Bluepost's
                visit.getMeta().setVersionId("3").setSource("ehr");
            } else if (i == 11) {
                visit.setSubject(new Reference(absolutePatient));
            } else if (i == 2400) {
                visit =
                        visit(patients.get(2), run + "-5")
                                .setStatus(Encounter.EncounterStatus.CANCELLED);
            }
            file.append(i == 1500 ? "{not json" : line(visit)).append('\n');
        }
        JsonPath status = importAsSystem(file.toString());
        assertThat(status.getInt("linesRead")).isEqualTo(2500);
        assertThat(status.getInt("created")).isEqualTo(2497);
        assertThat(status.getInt("updated")).isEqualTo(1);
        assertThat(status.getInt("failed")).isEqualTo(2);
        // another server's patient is never read as the local patient with the same id
        assertThat(status.getList("errors.line", Integer.class))
                .containsExactlyInAnyOrder(11, 1500);
        assertThat(status.getString("errors.find { it.line == 11 }.reason"))
                .contains("Encounter.subject", "another server")
                .doesNotContain("ehr.example");
        assertThat(status.getInt("percent")).isEqualTo(100);
        // the job refreshed the measure aggregates it deferred before it said COMPLETED (ADR 0031):
        // every finished visit is counted, none is left stale
        String ofThisRun =
                " from encounter e where e.resource -> 'identifier' -> 0 ->> 'value' like ?";
        assertThat(
                        Sql.count(
                                "select count(*) from mu_visit v where v.encounter_id in (select e.id"
                                        + ofThisRun
                                        + ")",
                                run + "-%"))
                .isEqualTo(2496);
        assertThat(
                        Sql.count(
                                "select count(*) from mu_stale_encounter s where s.encounter_id in (select e.id"
                                        + ofThisRun
                                        + ")",
                                run + "-%"))
                .isZero();

        Encounter fifth = read(run + "-5"); // line 2400 came after line 5
        assertThat(fifth.getStatus()).isEqualTo(Encounter.EncounterStatus.CANCELLED);
        assertThat(fifth.getSubject().getReference()).isEqualTo(patients.get(2));
        assertThat(fifth.getMeta().getVersionId()).isEqualTo("2");
        Encounter tenth = read(run + "-10");
        assertThat(tenth.getIdElement().getIdPart()).isNotEqualTo("ehr-10");
        assertThat(tenth.getMeta().getVersionId()).isEqualTo("1");
        assertThat(tenth.getMeta().getSource()).isEqualTo("ehr");
        assertThat(read(run + "-2499").getSubject().getReference()).isEqualTo(patients.get(1));
    }

    @Test
    void shouldStoreTheLinesOfAChunkTheDatabaseRefusesOneByOne() {
        // one stored encounter carries two identifiers; two lines name it by one each: one
        // statement cannot update it twice
        String run = UUID.randomUUID().toString();
        Encounter both = visit(patients.get(0), run + "-a");
        both.addIdentifier().setSystem("urn:test:encounter").setValue(run + "-b");
        Api.create(both);
        Encounter byA = visit(patients.get(1), run + "-a");
        Encounter byB = visit(patients.get(2), run + "-b");
        JsonPath status = importAsSystem(line(byA) + "\n" + line(byB) + "\n");
        assertThat(status.getInt("updated")).isEqualTo(2);
        assertThat(status.getInt("failed")).isZero();
        // both lines updated the one encounter, in file order: it now is what the second line says
        assertThat(count(run + "-a")).isZero();
        assertThat(count(run + "-b")).isEqualTo(1);
        Encounter stored = read(run + "-b");
        assertThat(stored.getSubject().getReference()).isEqualTo(patients.get(2));
        assertThat(stored.getMeta().getVersionId()).isEqualTo("3");
    }

    private static Encounter read(String identifierValue) {
        String bundle =
                fhir().get("/fhir/Encounter?identifier=urn:test:encounter|" + identifierValue)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        org.hl7.fhir.r4.model.Bundle found = Fhir.parse(bundle, org.hl7.fhir.r4.model.Bundle.class);
        assertThat(found.getEntry()).hasSize(1);
        return (Encounter) found.getEntryFirstRep().getResource();
    }

    @Test
    void shouldRefuseOtherMediaTypesAndUnknownJobs() {
        given().header("Authorization", "Bearer " + Api.token())
                .contentType("application/fhir+json")
                .body("{}")
                .post("/fhir/Encounter/$import")
                .then()
                .statusCode(415)
                .body(containsString("OperationOutcome"));
        given().header("Authorization", "Bearer " + Api.token())
                .get("/fhir/Encounter/$import/" + UUID.randomUUID())
                .then()
                .statusCode(404);
        WebSession officer = WebSession.signIn(complianceLogin, PracticeFixture.PASSWORD);
        officer.get("/compliance/encounter-imports").then().statusCode(200);
        officer.submitMultipart("/compliance/encounter-imports", Map.of(), List.of())
                .then()
                .statusCode(400)
                .body(containsString("Choose an NDJSON file"));
    }

    @Test
    void shouldNotLetAComplianceOfficerImportAnotherPracticesEncounters() {
        String otherPractice = "Organization/" + Api.create(aPractice());
        String otherPatient = "Patient/" + Api.create(aPatient(otherPractice));
        Encounter foreign = aVisit(otherPatient, ep, null, otherPractice, VISIT);
        WebSession officer = WebSession.signIn(complianceLogin, PracticeFixture.PASSWORD);
        officer.get("/compliance/encounter-imports").then().statusCode(200);
        Response uploaded =
                officer.submitMultipart(
                        "/compliance/encounter-imports",
                        Map.of(),
                        List.of(
                                new WebSession.Upload(
                                        "f.ndjson",
                                        "application/x-ndjson",
                                        (line(foreign) + "\n").getBytes(StandardCharsets.UTF_8))));
        String jobPath = java.net.URI.create(uploaded.getHeader("Location")).getPath();
        JsonPath status =
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        officer.get(jobPath + "/status")
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .jsonPath(),
                                s -> s.getBoolean("finished"));
        assertThat(status.getInt("failed")).isEqualTo(1);
        assertThat(status.getString("errors[0].reason"))
                .contains("not the practice of the person importing");
    }

    @Test
    void shouldMarkAJobLeftRunningByAStoppedServerAsInterruptedAtTheNextStart() throws Exception {
        UUID job = UUID.randomUUID();
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "insert into encounter_import_job (id, source, state, bytes, requested_by, "
                                        + "practice_id, submitted_at, started_at) values (?, 'PAGE', 'RUNNING', 10, 'test', ?, now(), now())")) {
            s.setObject(1, job);
            s.setObject(2, PracticeFixture.id(practice));
            s.executeUpdate();
        }
        imports.onStart(null); // what the next start-up does

        WebSession officer = WebSession.signIn(complianceLogin, PracticeFixture.PASSWORD);
        JsonPath status =
                officer.get("/compliance/encounter-imports/" + job + "/status")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(status.getString("state")).isEqualTo("INTERRUPTED");
        assertThat(status.getBoolean("finished")).isTrue();
        assertThat(status.getString("failure")).contains("Import the file again");
        assertThat(status.getString("finishedAt")).isNotNull();
    }

    private static JsonPath importAsSystem(String ndjson) {
        Response accepted =
                given().header("Authorization", "Bearer " + Api.token())
                        .contentType("application/fhir+ndjson")
                        .body(ndjson.getBytes(StandardCharsets.UTF_8))
                        .post("/fhir/Encounter/$import");
        accepted.then().statusCode(202);
        String location = accepted.getHeader("Content-Location");
        assertThat(location).contains("/fhir/Encounter/$import/");
        String path = java.net.URI.create(location).getPath();
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            Response r =
                                    given().header("Authorization", "Bearer " + Api.token())
                                            .get(path);
                            return r.statusCode() == 200 ? r.jsonPath() : null;
                        },
                        s -> s != null && s.getString("state").equals("COMPLETED"));
    }

    static MeasureReport report(String measure, String query) {
        String body =
                fhir().get("/fhir/Measure/" + measure + "/$evaluate-measure?" + Q1 + "&" + query)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        return Fhir.parse(body, MeasureReport.class);
    }

    static int population(MeasureReport report, String code) {
        return report.getGroupFirstRep().getPopulation().stream()
                .filter(p -> p.getCode().getCodingFirstRep().getCode().equals(code))
                .findFirst()
                .orElseThrow()
                .getCount();
    }

    static int count(String identifierValue) {
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "select count(*) from encounter where identifier_tokens @> array[?]::varchar[]")) {
            s.setString(1, "urn:test:encounter|" + identifierValue);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
