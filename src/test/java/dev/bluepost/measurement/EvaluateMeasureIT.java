package dev.bluepost.measurement;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPool;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static dev.bluepost.testing.Builders.sentAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.KafkaRecords;
import dev.bluepost.testing.MessageEventsTopic;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code $evaluate-measure} as docs/fhir.md §14 describes it, end to end: directory, visits and messages
 * through the FHIR API, message facts through Kafka into the measurement tables, reports back.
 */
@QuarkusTest
class EvaluateMeasureIT {

    static final String Q1 = "periodStart=2014-01-01&periodEnd=2014-03-31";

    static String practice;
    static String epA;
    static String epB;
    static String p1;
    static String p2;
    static String p3;
    static String message;
    static String poolMessage;

    @BeforeEach
    void practice() {
        if (practice != null) {
            return;
        }
        practice = "Organization/" + Api.create(aPractice());
        String location = "Location/" + Api.create(aLocation(practice, true));
        epA = "Practitioner/" + Api.create(anEp(practice));
        epB = "Practitioner/" + Api.create(anEp(practice));
        String pool = "CareTeam/" + Api.create(aPool(practice, "Front desk"));
        p1 = "Patient/" + Api.create(aPatient(practice));
        p2 = "Patient/" + Api.create(aPatient(practice));
        p3 = "Patient/" + Api.create(aPatient(practice));
        Instant visit = Instant.parse("2014-02-10T15:00:00Z");
        for (String p : List.of(p1, p2, p3)) {
            Api.create(aVisit(p, epA, location, practice, visit));
        }
        Api.create(aVisit(p1, epB, location, practice, visit.plusSeconds(86_400)));
        Api.create(aVisit(p1, epA, location, practice, visit.plusSeconds(7 * 86_400)));
        message =
                "Communication/"
                        + Api.create(
                                sentAt(
                                        aMessage(p1, epA, "question"),
                                        Instant.parse("2014-02-12T15:00:00Z")));
        poolMessage =
                "Communication/"
                        + Api.create(
                                sentAt(
                                        aMessage(p2, pool, "refill"),
                                        Instant.parse("2014-02-13T15:00:00Z")));
        // every message event counted: the report no longer warns that some are on their way (the
        // automatic
        // replies' and the routing events' facts may follow the patient's message by a moment)
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            MeasureReport report = report("sm-s2", "practitioner=" + epA);
                            assertThat(counts(report)).containsEntry("numerator", 1);
                            assertThat(report.getContained())
                                    .noneMatch(
                                            r ->
                                                    r
                                                            instanceof
                                                            org.hl7.fhir.r4.model.OperationOutcome);
                        });
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

    static Map<String, Integer> counts(MeasureReport report) {
        return report.getGroupFirstRep().getPopulation().stream()
                .collect(
                        Collectors.toMap(
                                p -> p.getCode().getCodingFirstRep().getCode(),
                                MeasureReport.MeasureReportGroupPopulationComponent::getCount));
    }

    static boolean thresholdMet(MeasureReport report) {
        return ((BooleanType)
                        report.getGroupFirstRep()
                                .getExtensionByUrl(
                                        "https://fhir.bluepost.dev/StructureDefinition/threshold-met")
                                .getValue())
                .booleanValue();
    }

    @Test
    void shouldStoreTheConfiguredDefaultZoneForAPracticeRegisteredWithoutOne() {
        org.hl7.fhir.r4.model.Organization practice = aPractice();
        practice.getExtension().removeIf(e -> e.getUrl().endsWith("/time-zone"));
        String id = Api.create(practice);
        // the database knows every practice's zone, so the SQL summary (ADR 0027) can date its
        // messages
        assertThat(
                        dev.bluepost.testing.Sql.single(
                                "select time_zone from practice where id = ?",
                                java.util.UUID.fromString(id)))
                .isEqualTo("America/New_York");
        assertThat(
                        dev.bluepost.testing.Sql.count(
                                "select count(*) from practice where time_zone is null"))
                .isZero();
        fhir().get("/fhir/Organization/" + id)
                .then()
                .statusCode(200)
                .body(
                        not(
                                containsString(
                                        "time-zone"))); // what the integrator sent is what it reads
        // back
    }

    @Test
    void shouldReportOneEpWithCountsScoreThresholdAndPolicyFlags() {
        MeasureReport a = report("sm-s2", "practitioner=" + epA);
        assertThat(a.getSubject().getReference()).isEqualTo(epA);
        assertThat(a.getType()).isEqualTo(MeasureReport.MeasureReportType.SUMMARY);
        assertThat(counts(a))
                .containsEntry("initial-population", 3)
                .containsEntry("denominator", 3)
                .containsEntry("denominator-exclusion", 0)
                .containsEntry("numerator", 1);
        assertThat(a.getGroupFirstRep().getMeasureScore().getValue().doubleValue())
                .isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(thresholdMet(a)).isTrue();
        assertThat(a.getPeriod().getStartElement().getValueAsString()).isEqualTo("2014-01-01");
        List<String> flags =
                a
                        .getExtensionsByUrl(
                                "https://fhir.bluepost.dev/StructureDefinition/policy-flag")
                        .stream()
                        .map(
                                e ->
                                        e.getExtensionByUrl("name").getValue().primitiveValue()
                                                + "="
                                                + e.getExtensionByUrl("value")
                                                        .getValue()
                                                        .primitiveValue())
                        .toList();
        assertThat(flags)
                .contains(
                        "poolAttribution=ASSIGNED_EP",
                        "includeStaffOnlyVisits=false",
                        "includeNonCehrtEncountersEnteredInCehrt=false",
                        "countSystemMessagesAsEpSent=false");
        List<Extension> exclusions =
                a.getGroupFirstRep()
                        .getExtensionsByUrl(
                                "https://fhir.bluepost.dev/StructureDefinition/exclusion-eligibility");
        assertThat(exclusions)
                .extracting(e -> e.getExtensionByUrl("code").getValue().primitiveValue())
                .contains("NO_OFFICE_VISITS", "BROADBAND");

        MeasureReport b = report("sm-s2", "practitioner=" + epB);
        assertThat(counts(b)).containsEntry("denominator", 1).containsEntry("numerator", 0);
        assertThat(thresholdMet(b)).isFalse();
        assertThat(b.getGroupFirstRep().hasMeasureScore()).isTrue();
    }

    @Test
    void shouldListThePatientsOfEveryPopulationWithTheirEncountersAndMessages() {
        MeasureReport a = report("sm-s2", "practitioner=" + epA + "&reportType=subject-list");
        assertThat(a.getType()).isEqualTo(MeasureReport.MeasureReportType.SUBJECTLIST);
        Map<String, ListResource> lists =
                a.getContained().stream()
                        .map(ListResource.class::cast)
                        .collect(
                                Collectors.toMap(
                                        l -> l.getIdElement().getIdPart().replace("#", ""),
                                        Function.identity()));
        MeasureReport.MeasureReportGroupPopulationComponent numerator =
                a.getGroupFirstRep().getPopulation().stream()
                        .filter(p -> p.getCode().getCodingFirstRep().getCode().equals("numerator"))
                        .findFirst()
                        .orElseThrow();
        assertThat(numerator.getSubjectResults().getReference()).isEqualTo("#numerator");
        ListResource numeratorList = lists.get("numerator");
        assertThat(numeratorList.getEntry())
                .extracting(e -> e.getItem().getReference())
                .containsExactly(p1);
        List<String> events =
                numeratorList
                        .getEntryFirstRep()
                        .getExtensionsByUrl(
                                "https://fhir.bluepost.dev/StructureDefinition/qualifying-event")
                        .stream()
                        .map(e -> ((Reference) e.getValue()).getReference())
                        .toList();
        assertThat(events).containsExactly(message);
        assertThat(
                        numeratorList
                                .getEntryFirstRep()
                                .getExtensionsByUrl(
                                        "https://fhir.bluepost.dev/StructureDefinition/qualifying-encounter"))
                .hasSize(2);
        assertThat(lists.get("denominator").getEntry())
                .extracting(e -> e.getItem().getReference())
                .containsExactlyInAnyOrder(p1, p2, p3);
    }

    @Test
    void shouldAnswerACollectionWithOneReportPerEpOfThePractice() {
        String body =
                fhir().get(
                                "/fhir/Measure/sm-s2/$evaluate-measure?"
                                        + Q1
                                        + "&organization="
                                        + practice)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        Bundle bundle = Fhir.parse(body, Bundle.class);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        List<String> subjects =
                bundle.getEntry().stream()
                        .map(Bundle.BundleEntryComponent::getResource)
                        .map(r -> ((MeasureReport) r).getSubject().getReference())
                        .toList();
        assertThat(subjects).containsExactlyInAnyOrder(epA, epB);
        // the pool message credits nobody by default, every EP of the practice under PRACTICE_WIDE
        MeasureReport wide =
                report("sm-s2", "practitioner=" + epA + "&poolAttribution=PRACTICE_WIDE");
        assertThat(counts(wide)).containsEntry("numerator", 2);
    }

    @Test
    void shouldComputeEveryMeasureOfTheCatalogue() {
        for (String id :
                List.of(
                        "sm-s2",
                        "sm-ms2-2015",
                        "sm-ms2-2016",
                        "sm-ms2-2017",
                        "sm-s3",
                        "pea-s2-m1",
                        "pea-s2-m2")) {
            MeasureReport r = report(id, "practitioner=" + epA);
            assertThat(r.getMeasure()).isEqualTo("https://fhir.bluepost.dev/Measure/" + id);
            assertThat(counts(r)).containsEntry("denominator", 3);
        }
        // the Stage 2 measure for a 2014 period: no warning; MS2 2016 on a 2014 period: warned,
        // still reported
        assertThat(
                        report("sm-s2", "practitioner=" + epA)
                                .getExtensionsByUrl(
                                        "https://fhir.bluepost.dev/StructureDefinition/reporting-period-warning"))
                .isEmpty();
        assertThat(
                        report("sm-ms2-2016", "practitioner=" + epA)
                                .getExtensionsByUrl(
                                        "https://fhir.bluepost.dev/StructureDefinition/reporting-period-warning"))
                .isNotEmpty();
        fhir().get("/fhir/Measure")
                .then()
                .statusCode(200)
                .body(
                        "entry.resource.id",
                        hasItems(
                                "sm-s2",
                                "sm-ms2-2015",
                                "sm-ms2-2016",
                                "sm-ms2-2017",
                                "sm-s3",
                                "pea-s2-m1",
                                "pea-s2-m2"));
        fhir().get("/fhir/Measure/sm-s2")
                .then()
                .statusCode(200)
                .body("url", equalTo("https://fhir.bluepost.dev/Measure/sm-s2"));
        fhir().get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body(containsString("evaluate-measure"));
    }

    @Test
    void shouldNotCountARedeliveredMessageEventTwice() {
        String id = message.substring("Communication/".length());
        List<ConsumerRecord<String, String>> records =
                KafkaRecords.all(MessageEventsTopic.NAME).stream()
                        .filter(
                                r ->
                                        r.value() != null
                                                && id.equals(
                                                        MessageEventsTopic.field(r, "messageId"))
                                                && "message.created"
                                                        .equals(
                                                                MessageEventsTopic.field(
                                                                        r, "eventType")))
                        .toList();
        assertThat(records).isNotEmpty();
        KafkaRecords.send(MessageEventsTopic.NAME, records.get(0).key(), records.get(0).value());
        KafkaRecords.send(MessageEventsTopic.NAME, records.get(0).key(), records.get(0).value());
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            MeasureReport a =
                                    report(
                                            "sm-s2",
                                            "practitioner=" + epA + "&reportType=subject-list");
                            ListResource numerator =
                                    (ListResource)
                                            a.getContained().stream()
                                                    .filter(
                                                            r ->
                                                                    r.getIdElement()
                                                                            .getIdPart()
                                                                            .contains("numerator"))
                                                    .findFirst()
                                                    .orElseThrow();
                            assertThat(
                                            numerator
                                                    .getEntryFirstRep()
                                                    .getExtensionsByUrl(
                                                            "https://fhir.bluepost.dev/StructureDefinition/qualifying-event"))
                                    .hasSize(1);
                            assertThat(counts(a)).containsEntry("numerator", 1);
                        });
    }

    @Test
    void shouldAnswerBadRequestsWithOperationOutcome() {
        outcome(
                        fhir().get(
                                        "/fhir/Measure/sm-s2/$evaluate-measure?periodStart=2014-03-31&periodEnd=2014-01-01")
                                .then(),
                        400)
                .body("issue[0].diagnostics", containsString("reversed"));
        outcome(
                fhir().get(
                                "/fhir/Measure/sm-s2/$evaluate-measure?periodStart=2014-02-30&periodEnd=2014-03-31")
                        .then(),
                400);
        outcome(
                fhir().get(
                                "/fhir/Measure/sm-s2/$evaluate-measure?periodStart=Jan&periodEnd=2014-03-31")
                        .then(),
                400);
        outcome(
                fhir().get("/fhir/Measure/sm-s2/$evaluate-measure?periodEnd=2014-03-31").then(),
                400);
        outcome(fhir().get("/fhir/Measure/sm-s9/$evaluate-measure?" + Q1).then(), 404);
        outcome(
                fhir().get(
                                "/fhir/Measure/sm-s2/$evaluate-measure?"
                                        + Q1
                                        + "&practitioner=Practitioner/"
                                        + java.util.UUID.randomUUID())
                        .then(),
                404);
        outcome(
                fhir().get(
                                "/fhir/Measure/sm-s2/$evaluate-measure?"
                                        + Q1
                                        + "&practitioner=Practitioner/nobody")
                        .then(),
                404);
        outcome(
                fhir().get(
                                "/fhir/Measure/sm-s2/$evaluate-measure?"
                                        + Q1
                                        + "&organization=Organization/"
                                        + java.util.UUID.randomUUID())
                        .then(),
                404);
        outcome(
                fhir().get("/fhir/Measure/sm-s2/$evaluate-measure?" + Q1 + "&reportType=everything")
                        .then(),
                400);
        outcome(
                        fhir().get(
                                        "/fhir/Measure/sm-s2/$evaluate-measure?"
                                                + Q1
                                                + "&poolAttribution=ANYONE")
                                .then(),
                        400)
                .body("issue[0].diagnostics", containsString("PRACTICE_WIDE"));
        outcome(
                fhir().get(
                                "/fhir/Measure/sm-s2/$evaluate-measure?"
                                        + Q1
                                        + "&includeStaffOnlyVisits=maybe")
                        .then(),
                400);
        io.restassured.RestAssured.given()
                .get("/fhir/Measure/sm-s2/$evaluate-measure?" + Q1)
                .then()
                .statusCode(401);
    }

    @jakarta.inject.Inject dev.bluepost.identity.IdentityService identities;

    @Test
    void shouldShowTheComplianceDashboardDrillDownCsvAndPdf() {
        String login = "compliance-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new dev.bluepost.identity.IdentityService.NewUser(
                        login,
                        dev.bluepost.testing.PracticeFixture.PASSWORD,
                        "Compliance Officer",
                        java.util.Set.of(dev.bluepost.platform.security.Role.COMPLIANCE),
                        dev.bluepost.testing.PracticeFixture.id(practice),
                        null,
                        null,
                        java.util.Set.of()));
        dev.bluepost.testing.WebSession officer =
                dev.bluepost.testing.WebSession.signIn(
                        login, dev.bluepost.testing.PracticeFixture.PASSWORD);
        String query = "?measure=sm-s2&periodStart=2014-01-01&periodEnd=2014-03-31";
        String page =
                officer.getEncoded("/compliance" + query)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(page)
                .contains(
                        "ep-table",
                        "33.33 %",
                        "Met",
                        "threshold: more than 5 %",
                        "<svg",
                        "Messages to a shared inbox:</strong> Only the provider it was routed or assigned to (default)");
        String a = epA.substring("Practitioner/".length());
        String drill =
                officer.getEncoded("/compliance/ep/" + a + query)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(drill)
                .contains("1 of 3 (33.33 %)", "Wed, Feb 12, 2014, 10:00 AM")
                .as("ids stay in the CSV")
                .doesNotContain(
                        p1.substring("Patient/".length()),
                        message.substring("Communication/".length()));
        String csv =
                officer.getEncoded("/compliance/export.csv" + query)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(csv)
                .contains("# measure,sm-s2,period,2014-01-01,2014-03-31")
                .contains(",1,3,33.33 %,more than 5 %,met,");
        String numerator =
                officer.getEncoded("/compliance/ep/" + a + "/numerator.csv" + query)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(numerator)
                .contains(p1.substring("Patient/".length()))
                .contains(message.substring("Communication/".length()));
        byte[] pdf =
                officer.getEncoded("/compliance/ep/" + a + "/worksheet.pdf" + query)
                        .then()
                        .statusCode(200)
                        .contentType("application/pdf")
                        .extract()
                        .asByteArray();
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("%PDF-");
        String pool =
                officer.getEncoded("/compliance/unattributed" + query)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(pool)
                .contains("Thu, Feb 13, 2014, 10:00 AM")
                .doesNotContain(poolMessage.substring("Communication/".length()));
        assertThat(
                        officer.getEncoded("/compliance/unattributed.csv" + query)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .contains(poolMessage.substring("Communication/".length()));
        // bad input: a clear message on the page
        assertThat(
                        officer.getEncoded(
                                        "/compliance?measure=sm-s2&periodStart=2014-03-31&periodEnd=2014-01-01")
                                .then()
                                .statusCode(400)
                                .extract()
                                .asString())
                .contains("reversed");
        assertThat(
                        officer.getEncoded(
                                        "/compliance?measure=sm-s2&periodStart=2015-01-01&periodEnd=2015-06-30")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .contains("period-warnings");
    }

    static ValidatableResponse outcome(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .body("resourceType", equalTo("OperationOutcome"))
                .body(not(containsString("Exception")));
    }
}
