package dev.bluepost.resilience;

import static dev.bluepost.testing.MessageEventsTopic.recordsFor;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.testing.ChildProcesses;
import dev.bluepost.testing.ExternalKafkaBroker;
import dev.bluepost.testing.FreePorts;
import dev.bluepost.testing.LogTailOnFailure;
import dev.bluepost.testing.MessageEventsTopic;
import dev.bluepost.testing.PackagedApp;
import dev.bluepost.testing.PackagedStack;
import dev.bluepost.testing.RemotePractice;
import dev.bluepost.testing.RestartablePostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance: "The app killed with SIGKILL after answering 201 and before the relay ran: after
 * restart the event is published once and exactly one Task exists" — and the other side of the
 * outbox's at-least-once delivery, a crash after the broker acknowledged an event but before the
 * relay marked it published. Runs the packaged application against a real PostgreSQL server and a
 * real Kafka broker, all child processes of this test.
 */
class CrashRecoveryIT {

    private static final Path WORK = Path.of("target", "it", "crash-recovery");
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final int SIGKILL_EXIT_STATUS = 128 + 9;

    @RegisterExtension static final LogTailOnFailure LOGS = new LogTailOnFailure();

    private static PackagedStack stack;
    private static RestartablePostgres postgres;
    private static ExternalKafkaBroker kafka;
    private static PackagedApp app;

    @BeforeAll
    static void startInfrastructure() {
        stack = PackagedStack.start(WORK, LOGS);
        postgres = stack.postgres;
        kafka = stack.kafka;
        app = stack.app;
    }

    @AfterAll
    static void stopInfrastructure() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldPublishOnceAndCreateOneTaskWhenKilledAfter201BeforeRelaying() {
        app.ensureRunning("bluepost.outbox.relay-enabled=false");
        RemotePractice clinic = RemotePractice.create(app);
        String message = app.create(clinic.message());
        String messageId = RemotePractice.id(message);

        assertEquals(
                1,
                unpublishedOutboxRows(messageId),
                "the 201 committed the outbox row, not yet relayed");
        assertEquals(0, triageItems(messageId));
        assertEquals(0, recordsFor(kafka, messageId).size());

        PackagedApp.Killed killed = app.kill();
        assertEquals(SIGKILL_EXIT_STATUS, killed.exitStatus(), "the application died of SIGKILL");
        assertFalse(
                ChildProcesses.alive(killed.pid()),
                "no process with the application's pid is left");
        assertFalse(FreePorts.listening(app.port()), "nothing answers on the application's port");
        assertEquals(1, unpublishedOutboxRows(messageId), "the outbox row survived the crash");

        app.start();

        await("the relay and triage to catch up after the restart")
                .atMost(CATCH_UP)
                .untilAsserted(
                        () -> {
                            assertEquals(
                                    0,
                                    unpublishedOutboxRows(messageId),
                                    "the relay marked the row published");
                            assertEquals(
                                    1,
                                    recordsFor(kafka, messageId).size(),
                                    "one event on " + MessageEventsTopic.NAME);
                            assertEquals(1, triageItems(messageId));
                            assertOneTask(message);
                        });
        // the row is marked published, so the relay will not send the event again
        assertEquals(
                1, recordsFor(kafka, messageId).size(), "the event was published exactly once");
        assertEquals(0, recordsFor(kafka, MessageEventsTopic.DEAD_LETTERS, messageId).size());
    }

    /**
     * A crash between the broker's acknowledgement and the commit that marks the row published
     * leaves exactly this behind: the event on the topic, and its outbox row unpublished. The test
     * produces that state deterministically (SIGKILL, then the row's mark undone, as the lost commit
     * would have left it); after the restart the relay publishes the event a second time, and
     * triage, idempotent by event id, still makes exactly one Task.
     */
    @Test
    void shouldCreateOneTaskWhenEventIsPublishedAgainAfterCrashBeforeMarkingIt() {
        app.ensureRunning();
        RemotePractice clinic = RemotePractice.create(app);
        String message = app.create(clinic.message());
        String messageId = RemotePractice.id(message);
        await("the first delivery")
                .atMost(CATCH_UP)
                .untilAsserted(
                        () -> {
                            assertEquals(0, unpublishedOutboxRows(messageId));
                            assertOneTask(message);
                        });
        ConsumerRecord<String, String> first = recordsFor(kafka, messageId).get(0);
        String eventId = MessageEventsTopic.field(first, "eventId");

        assertEquals(SIGKILL_EXIT_STATUS, app.kill().exitStatus());
        assertEquals(
                1,
                postgres.update(
                        "update outbox_event set published_at = null where event_id = ?::uuid",
                        eventId),
                "the crash lost the commit that marked the row published");

        app.start();

        await("the relay to publish the event again")
                .atMost(CATCH_UP)
                .untilAsserted(
                        () -> {
                            assertEquals(0, unpublishedOutboxRows(messageId));
                            assertEquals(2, recordsFor(kafka, messageId).size());
                        });
        List<ConsumerRecord<String, String>> copies = recordsFor(kafka, messageId);
        ConsumerRecord<String, String> duplicate = copies.get(1);
        assertEquals(
                eventId,
                MessageEventsTopic.field(duplicate, "eventId"),
                "the same event, not a new one");
        assertEquals(
                eventId,
                new String(
                        duplicate.headers().lastHeader("event-id").value(),
                        StandardCharsets.UTF_8));
        assertEquals(first.key(), duplicate.key());

        TopicPartition partition = new TopicPartition(duplicate.topic(), duplicate.partition());
        await("triage to consume past the duplicate")
                .atMost(CATCH_UP)
                .untilAsserted(
                        () -> {
                            OffsetAndMetadata committed =
                                    kafka.committedOffsets(MessageEventsTopic.TRIAGE_GROUP)
                                            .get(partition);
                            assertNotNull(
                                    committed, "triage has committed an offset on " + partition);
                            assertTrue(
                                    committed.offset() > duplicate.offset(),
                                    "triage consumed the duplicate at offset "
                                            + duplicate.offset());
                        });
        assertOneTask(message);
        assertEquals(1, triageItems(messageId));
        assertEquals(
                1,
                postgres.queryForLong(
                        "select count(*) from processed_event where consumer = 'triage' and event_id = ?::uuid",
                        eventId));
        assertEquals(
                0,
                recordsFor(kafka, MessageEventsTopic.DEAD_LETTERS, messageId).size(),
                "the duplicate was skipped, not dead-lettered");
    }

    private static void assertOneTask(String message) {
        app.fhir()
                .get("/fhir/Task?focus=" + message)
                .then()
                .statusCode(200)
                .body("total", is(1))
                .body("entry[0].resource.focus.reference", equalTo(message));
    }

    private static long unpublishedOutboxRows(String messageId) {
        return postgres.queryForLong(
                "select count(*) from outbox_event where payload ->> 'messageId' = ? and published_at is null",
                messageId);
    }

    private static long triageItems(String messageId) {
        return postgres.queryForLong(
                "select count(*) from triage_item where message_id = ?::uuid", messageId);
    }
}
