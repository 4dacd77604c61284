package dev.bluepost.measurement;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

/**
 * Credit the measures must not give, and reports that say what they could not count yet, end to
 * end: PEA-S2-M1 without transmit (FHIR, dashboard, CSV, drill-down), and the freshness of a report's
 * message facts (FHIR extension and warning, dashboard, CSV).
 */
@QuarkusTest
class MeasureCreditIT {

    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final String BASE = "https://fhir.bluepost.dev/StructureDefinition/";

    @Inject IdentityService identities;

    @Test
    void peaM1CountsTimelyAccessNowThatPatientsCanTransmit() {
        PracticeFixture f = PracticeFixture.create(identities);
        String ep = "Practitioner/" + Api.create(anEp(f.practice));
        String patient = "Patient/" + Api.create(aPatient(f.practice));
        // the patient's portal account is active before the visit: timely online access to view,
        // download and transmit
        identities.createUser(
                new IdentityService.NewUser(
                        "m1-" + UUID.randomUUID().toString().substring(0, 8),
                        PracticeFixture.PASSWORD,
                        "M1 Patient",
                        Set.of(Role.PATIENT),
                        null,
                        null,
                        PracticeFixture.id(patient),
                        Set.of()));
        Api.create(
                aVisit(
                        patient,
                        ep,
                        f.location,
                        f.practice,
                        Instant.now().minus(1, ChronoUnit.DAYS)));
        String period = period();

        MeasureReport report =
                Fhir.parse(
                        fhir().get(
                                        "/fhir/Measure/pea-s2-m1/$evaluate-measure?"
                                                + period
                                                + "&practitioner="
                                                + ep)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString(),
                        MeasureReport.class);
        assertThat(EvaluateMeasureIT.counts(report))
                .containsEntry("denominator", 1)
                .containsEntry("numerator", 1);
        assertThat(EvaluateMeasureIT.thresholdMet(report)).isTrue();
        assertThat(report.getGroupFirstRep().getExtensionByUrl(BASE + "measure-not-available"))
                .isNull();

        WebSession officer = officer(f);
        String query = "measure=pea-s2-m1&" + period;
        String dashboard =
                officer.get("/compliance?" + query).then().statusCode(200).extract().asString();
        assertThat(dashboard)
                .doesNotContain("cannot be met on this portal", "Not met (not available)");
        String csv =
                officer.get("/compliance/export.csv?" + query)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(csv)
                .contains(",1,1,100.00 %,more than 50 %,met,")
                .doesNotContain("not yet transmit", "Not available:");
        String numeratorCsv =
                officer.get("/compliance/ep/" + PracticeFixture.id(ep) + "/numerator.csv?" + query)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(numeratorCsv).doesNotContain("# not available");
    }

    @Test
    void aReportSaysUpToWhenItsMessagesAreCountedAndWarnsWhileSomeAreOnTheirWay() {
        PracticeFixture f = PracticeFixture.create(identities);
        String period = period();
        String evaluate =
                "/fhir/Measure/sm-s2/$evaluate-measure?" + period + "&practitioner=" + f.ep;

        // right after a message is accepted (201), the report either counts it or says it is still
        // on its way
        Instant before = Instant.now();
        Api.create(aMessage(f.patient, f.ep, "Is my prescription ready?"));
        MeasureReport right = report(evaluate);
        InstantType upTo =
                (InstantType) right.getExtensionByUrl(BASE + "facts-complete-up-to").getValue();
        if (EvaluateMeasureIT.counts(right).get("numerator") == 0) {
            assertThat(pendingMessages(right)).isGreaterThanOrEqualTo(1);
            assertThat(upTo.getValue().toInstant()).isBefore(Instant.now());
        } else {
            assertThat(upTo.getValue().toInstant()).isAfterOrEqualTo(before);
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(EvaluateMeasureIT.counts(report(evaluate)))
                                        .containsEntry("numerator", 1));

        // a message the platform accepted whose event has not reached the measures (the listener is
        // behind)
        Instant received = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        UUID event = UUID.randomUUID();
        sql(
                "insert into outbox_event (event_id, topic, record_key, event_type, payload, created_at, published_at) "
                        + "values (?, 'message-events', 'k', 'message.created', cast(? as jsonb), ?, now())",
                event,
                "{\"messageId\":\"" + UUID.randomUUID() + "\",\"receivedAt\":\"" + received + "\"}",
                Timestamp.from(received));
        try {
            MeasureReport pending = report(evaluate);
            assertThat(
                            ((InstantType)
                                            pending.getExtensionByUrl(BASE + "facts-complete-up-to")
                                                    .getValue())
                                    .getValue()
                                    .toInstant())
                    .isBeforeOrEqualTo(received);
            assertThat(pendingMessages(pending)).isGreaterThanOrEqualTo(1);
            OperationOutcome warning =
                    (OperationOutcome)
                            pending.getContained().stream()
                                    .filter(r -> r instanceof OperationOutcome)
                                    .findFirst()
                                    .orElseThrow();
            assertThat(warning.getIssueFirstRep().getSeverity())
                    .isEqualTo(OperationOutcome.IssueSeverity.WARNING);
            assertThat(warning.getIssueFirstRep().getCode())
                    .isEqualTo(OperationOutcome.IssueType.INCOMPLETE);
            assertThat(warning.getIssueFirstRep().getDiagnostics())
                    .contains("already accepted but", "not counted yet");
            // the Bundle of every EP carries the same on each report
            String bundle =
                    fhir().get(
                                    "/fhir/Measure/sm-s2/$evaluate-measure?"
                                            + period
                                            + "&organization="
                                            + f.practice)
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString();
            assertThat(bundle).contains(BASE + "facts-complete-up-to", BASE + "facts-pending");

            WebSession officer = officer(f);
            String dashboard =
                    officer.get("/compliance?measure=sm-s2&" + period)
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString();
            assertThat(dashboard)
                    .contains(
                            "Messages counted up to",
                            "Some messages are not counted yet",
                            "were accepted a moment ago and are not counted yet",
                            "Show the results again in a few seconds");
            String csv =
                    officer.get("/compliance/export.csv?measure=sm-s2&" + period)
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString();
            assertThat(csv).contains("# facts_complete_up_to,", "# warning,");
            assertThat(
                            officer.get(
                                            "/compliance/ep/"
                                                    + PracticeFixture.id(f.ep)
                                                    + "?measure=sm-s2&"
                                                    + period)
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .asString())
                    .contains("Messages counted up to", "not counted yet");
        } finally {
            sql("delete from outbox_event where event_id = ?", event);
        }

        // nothing on its way any more: complete up to the report, no warning
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            MeasureReport complete = report(evaluate);
                            assertThat(complete.getExtensionByUrl(BASE + "facts-pending")).isNull();
                            assertThat(complete.getContained())
                                    .noneMatch(r -> r instanceof OperationOutcome);
                        });
        WebSession officer = officer(f);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                officer.get("/compliance?measure=sm-s2&" + period)
                                                        .then()
                                                        .statusCode(200)
                                                        .extract()
                                                        .asString())
                                        .contains("Messages counted up to")
                                        .doesNotContain("Some messages are not counted yet"));
    }

    // ---------------------------------------------------------------------------------------------

    private static String period() {
        LocalDate today = LocalDate.now(ZONE);
        return "periodStart=" + today.minusDays(30) + "&periodEnd=" + today;
    }

    private static MeasureReport report(String path) {
        return Fhir.parse(
                fhir().get(path).then().statusCode(200).extract().asString(), MeasureReport.class);
    }

    private static int pendingMessages(MeasureReport report) {
        Extension pending = report.getExtensionByUrl(BASE + "facts-pending");
        assertThat(pending).as("facts-pending").isNotNull();
        String outcome =
                ((org.hl7.fhir.r4.model.Reference) pending.getExtensionByUrl("outcome").getValue())
                        .getReference();
        assertThat(report.getContained())
                .extracting(r -> r.getIdElement().getIdPart().replace("#", ""))
                .contains(outcome.substring(1));
        return Integer.parseInt(pending.getExtensionByUrl("messages").getValue().primitiveValue());
    }

    private WebSession officer(PracticeFixture f) {
        String login = "officer-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Compliance Officer",
                        Set.of(Role.COMPLIANCE),
                        PracticeFixture.id(f.practice),
                        null,
                        null,
                        Set.of()));
        return WebSession.signIn(login, PracticeFixture.PASSWORD);
    }

    private static void sql(String statement, Object... parameters) {
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
