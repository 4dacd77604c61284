package dev.bluepost.resilience;

import static dev.bluepost.testing.MessageEventsTopic.recordsFor;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.testing.ExternalKafkaBroker;
import dev.bluepost.testing.FreePorts;
import dev.bluepost.testing.LogTailOnFailure;
import dev.bluepost.testing.PackagedApp;
import dev.bluepost.testing.PackagedStack;
import dev.bluepost.testing.RemotePractice;
import dev.bluepost.testing.RestartablePostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance: "With the broker stopped, sending still answers 201; when the broker is back the
 * queue catches up by itself." The packaged application keeps running throughout; the Kafka broker
 * (a child JVM) is stopped and started again on the same port with the same log directory.
 */
class BrokerOutageIT {

    private static final Path WORK = Path.of("target", "it", "broker-outage");
    private static final String KAFKA_CHECK = "checks.find { it.name == 'Kafka broker' }.status";

    @RegisterExtension static final LogTailOnFailure LOGS = new LogTailOnFailure();

    private static PackagedStack stack;
    private static RestartablePostgres postgres;
    private static ExternalKafkaBroker kafka;
    private static PackagedApp app;
    private static RemotePractice clinic;

    @BeforeAll
    static void start() {
        stack = PackagedStack.start(WORK, LOGS);
        postgres = stack.postgres;
        kafka = stack.kafka;
        app = stack.app;
        app.start();
        clinic = RemotePractice.create(app);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldAcceptMessagesWhileBrokerIsDownAndCatchUpWhenItIsBack() {
        kafka.stop();
        assertFalse(
                FreePorts.listening(Integer.parseInt(kafka.bootstrapServers().split(":")[1])),
                "the broker is down");

        String message = app.create(clinic.message());
        String messageId = RemotePractice.id(message);

        app.given()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body(KAFKA_CHECK, equalTo("DOWN"));
        app.fhir().get("/fhir/Task?focus=" + message).then().statusCode(200).body("total", is(0));
        await("the relay to try, fail and keep the event")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertEquals(
                                        1,
                                        postgres.queryForLong(
                                                "select count(*) from outbox_event where payload ->> 'messageId' = ?"
                                                        + " and published_at is null and attempts > 0",
                                                messageId)));
        // failed publishes make the application unready, never "dead": an orchestrator must not
        // restart it
        app.given().get("/q/health/live").then().statusCode(200);

        kafka.start();

        await("the queue to catch up")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                app.fhir()
                                        .get("/fhir/Task?focus=" + message)
                                        .then()
                                        .statusCode(200)
                                        .body("total", is(1))
                                        .body("entry[0].resource.status", equalTo("requested")));
        assertTrue(app.isRunning(), "the application was never restarted");
        assertEquals(
                1,
                postgres.queryForLong(
                        "select count(*) from triage_item where message_id = ?::uuid", messageId));
        assertEquals(
                0,
                postgres.queryForLong(
                        "select count(*) from outbox_event where payload ->> 'messageId' = ? and published_at is null",
                        messageId));
        assertFalse(
                recordsFor(kafka, messageId).isEmpty(),
                "the relay published the event once the broker was back");
        await("readiness to report the broker again")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                app.given()
                                        .get("/q/health/ready")
                                        .then()
                                        .statusCode(200)
                                        .body(KAFKA_CHECK, equalTo("UP")));
    }
}
