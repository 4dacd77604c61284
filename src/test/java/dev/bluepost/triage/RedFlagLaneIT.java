package dev.bluepost.triage;

import static dev.bluepost.testing.Api.create;
import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.KafkaRecords;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The red-flag lane (docs/adr/0032-message-path-under-load.md): a patient's message that names an
 * emergency is triaged — escalated, urgent, with its emergency reply — while 10,000 routine events
 * still wait in the routine lane. Proved by order, not by time: when the red flag's Task exists,
 * a routine message sent before it, behind the backlog, has none yet; afterwards every message has
 * exactly one Task. While the routine lane is behind, the backlog shows in the metrics, in
 * {@code /q/health} (which stays UP) and on the queue page; once it caught up, no longer.
 */
@QuarkusTest
class RedFlagLaneIT {

    private static final String ROUTINE_TOPIC = "bluepost.message-events.v1";
    private static final String URGENT_TOPIC = "bluepost.message-events.urgent.v1";
    private static final int BACKLOG = 10_000;

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject TriageBacklog triageBacklog;

    /** Metrics are on the management interface (docs/operations.md), not the main port: its /q/metrics. */
    @TestHTTPResource(value = "metrics", management = true)
    java.net.URL metrics;

    @Test
    void shouldTriageARedFlagBeforeTheRoutineBacklog() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        setup.installDefaults(PracticeFixture.id(practice.practice));
        String first =
                create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "Could you renew my allergy prescription?"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + first)
                                        .then()
                                        .body("total", is(1)));

        // a backlog in the routine lane: redeliveries of that event under new event ids, over every
        // partition
        ConsumerRecord<String, String> original =
                KafkaRecords.all(ROUTINE_TOPIC).stream()
                        .filter(r -> r.value().contains(first))
                        .findFirst()
                        .orElseThrow();
        List<Map.Entry<String, String>> backlog = new ArrayList<>(BACKLOG);
        for (int i = 0; i < BACKLOG; i++) {
            backlog.add(
                    Map.entry(
                            UUID.randomUUID().toString(),
                            original.value()
                                    .replaceFirst(
                                            "\"eventId\":\\s*\"[0-9a-f-]+\"",
                                            "\"eventId\": \"" + UUID.randomUUID() + "\"")));
        }
        KafkaRecords.sendAll(ROUTINE_TOPIC, backlog);

        String routine =
                create(aMessage(practice.patient, practice.pool, "When is my next check-up due?"));
        String redFlag =
                create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "I have chest pain and my left arm feels numb"));

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + redFlag)
                                        .then()
                                        .body("total", is(1)));
        fhir().get("/fhir/Task?focus=Communication/" + routine).then().body("total", is(0));
        assertThat(KafkaRecords.all(URGENT_TOPIC)).anyMatch(r -> r.value().contains(redFlag));
        assertThat(KafkaRecords.all(URGENT_TOPIC)).noneMatch(r -> r.value().contains(routine));
        fhir().get("/fhir/Task?focus=Communication/" + redFlag)
                .then()
                .body("entry[0].resource.priority", is("urgent"));
        assertThat(automaticRepliesInThreadOf(redFlag)).isEqualTo(1);

        // while the routine lane is behind, it says so: metrics, /q/health (still UP) and the queue
        // page
        triageBacklog.measure();
        TriageBacklog.Backlog behind = triageBacklog.current();
        assertThat(behind.routine().messages())
                .as("routine lane's lag")
                .isGreaterThanOrEqualTo(100);
        assertThat(behind.behind()).isTrue();
        given().get("/q/health/live")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'triage backlog' }.status", is("UP"))
                .body("checks.find { it.name == 'triage backlog' }.data.behind", is(true));
        given().get(metrics)
                .then()
                .statusCode(200)
                .body(containsString("bluepost_triage_backlog_messages{lane=\"routine\"}"));
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/queue")
                .then()
                .statusCode(200)
                .body(containsString("messages are still being sorted (oldest "));

        await().atMost(Duration.ofSeconds(180))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + routine)
                                        .then()
                                        .body("total", is(1)));
        fhir().get("/fhir/Task?focus=Communication/" + first).then().body("total", is(1));
        fhir().get("/fhir/Task?focus=Communication/" + redFlag).then().body("total", is(1));
        assertThat(automaticRepliesInThreadOf(redFlag)).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            triageBacklog.measure(); // offsets are committed every few seconds
                            assertThat(triageBacklog.current().behind()).isFalse();
                        });
        desk.get("/staff/queue")
                .then()
                .statusCode(200)
                .body(not(containsString("still being sorted")));
    }

    private static int automaticRepliesInThreadOf(String messageId) throws Exception {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                "select count(*) from message r join message m on m.thread_id = r.thread_id "
                                        + "where m.id = ? and r.automatic")) {
            query.setObject(1, UUID.fromString(messageId));
            try (ResultSet r = query.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
