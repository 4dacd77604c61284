package dev.bluepost.platform;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.KafkaRecords;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A message body, a subject line and a patient's name never reach the log, a Kafka record or an
 * unencrypted database column, whichever way the message came in (page or FHIR API).
 */
@QuarkusTest
class PhiNeverLeavesIT {

    private static final List<String> TOPICS =
            List.of(
                    "bluepost.message-events.v1",
                    "bluepost.triage-events.v1",
                    "bluepost.message-events.v1.dlq",
                    "bluepost.message-events.v1.notifications.dlq",
                    "bluepost.triage-events.v1.dlq");

    @Inject IdentityService identities;

    @Test
    void shouldKeepBodiesSubjectsAndNamesOutOfLogsKafkaAndPlainColumns() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        String bodyMarker = "BODYMARKER" + UUID.randomUUID().toString().replace("-", "");
        String subjectMarker = "SUBJECTMARKER" + UUID.randomUUID().toString().replace("-", "");
        String apiMarker = "APIMARKER" + UUID.randomUUID().toString().replace("-", "");

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        // "chest tightness" is a red flag: the patient has seen the urgent-help panel and sends
        // anyway
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "medical-question",
                                "subject",
                                subjectMarker,
                                "text",
                                "I have chest tightness " + bodyMarker,
                                "action",
                                "send",
                                "acknowledgedUrgent",
                                "yes"))
                .then()
                .statusCode(303);
        fhir().body(
                        dev.bluepost.testing.Fhir.json(
                                aMessage(
                                        practice.patient,
                                        practice.ep,
                                        "Through the API " + apiMarker)))
                .post("/fhir/Communication")
                .then()
                .statusCode(201);
        // a refused message (too long) must not leak either
        fhir().body(
                        dev.bluepost.testing.Fhir.json(
                                aMessage(
                                        practice.patient,
                                        practice.ep,
                                        apiMarker + "x".repeat(70_000))))
                .post("/fhir/Communication")
                .then()
                .statusCode(413);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?patient=" + practice.patient)
                                        .then()
                                        .body("total", is(2)));
        String patientFamily =
                dev.bluepost.testing.Api.read(org.hl7.fhir.r4.model.Patient.class, practice.patient)
                        .getNameFirstRep()
                        .getFamily();

        List<String> secrets = List.of(bodyMarker, subjectMarker, apiMarker, patientFamily);
        String log = Files.readString(Path.of("target/quarkus-test.log"), StandardCharsets.UTF_8);
        assertThat(log).as("the application log").contains("message created");
        for (String secret : secrets) {
            assertThat(log).as("the application log").doesNotContain(secret);
        }
        int records = 0;
        for (String topic : TOPICS) {
            for (ConsumerRecord<String, String> record : KafkaRecords.all(topic)) {
                records++;
                for (String secret : secrets) {
                    assertThat(record.value()).as("a record on " + topic).doesNotContain(secret);
                    assertThat(record.key() == null ? "" : record.key()).doesNotContain(secret);
                    record.headers()
                            .forEach(
                                    h ->
                                            assertThat(
                                                            new String(
                                                                    h.value(),
                                                                    StandardCharsets.UTF_8))
                                                    .doesNotContain(secret));
                }
            }
        }
        assertThat(records).as("records inspected").isGreaterThanOrEqualTo(4);

        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                ResultSet outbox =
                        db.createStatement()
                                .executeQuery("select payload::text from outbox_event")) {
            while (outbox.next()) {
                for (String secret : List.of(bodyMarker, subjectMarker, apiMarker)) {
                    assertThat(outbox.getString(1)).doesNotContain(secret);
                }
            }
        }
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                ResultSet rows =
                        db.createStatement()
                                .executeQuery(
                                        "select encode(body_ciphertext, 'escape') || encode(coalesce(t.topic_ciphertext, ''::bytea), 'escape') "
                                                + "from message m join message_thread t on t.id = m.thread_id")) {
            while (rows.next()) {
                for (String secret : List.of(bodyMarker, subjectMarker, apiMarker)) {
                    assertThat(rows.getString(1)).doesNotContain(secret);
                }
            }
        }
    }
}
