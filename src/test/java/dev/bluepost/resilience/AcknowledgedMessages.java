package dev.bluepost.resilience;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.testing.ExternalKafkaBroker;
import dev.bluepost.testing.MessageEventsTopic;
import dev.bluepost.testing.RestartablePostgres;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What must hold of every message a fault run acknowledged (201), read from the database and the
 * topic after the run: each has exactly one queue item (its Task) and was triaged once, every
 * outbox row is published, no thread has more automatic replies than its rules allow (one: a
 * new thread's first message gets the welcome, after-hours or acknowledgement reply, each once per
 * thread and each stopping the others), and no notification exists twice.
 */
final class AcknowledgedMessages {

    private AcknowledgedMessages() {}

    /** Waits (bounded) until every acknowledged message has its queue item, then checks the rest. */
    static Tally assertAllTriagedOnce(
            RestartablePostgres postgres,
            ExternalKafkaBroker kafka,
            List<String> acknowledged,
            Duration catchUp) {
        assertTrue(!acknowledged.isEmpty(), "the run acknowledged messages");
        String ids = String.join(",", acknowledged);
        long started = System.nanoTime();
        await("every acknowledged message's queue item")
                .atMost(catchUp)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () ->
                                assertEquals(
                                        acknowledged.size(),
                                        postgres.queryForLong(
                                                "select count(distinct message_id) from triage_item where message_id = any(string_to_array(?, ',')::uuid[])",
                                                ids),
                                        "acknowledged messages with a queue item"));
        long catchUpMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(
                acknowledged.size(),
                postgres.queryForLong(
                        "select count(*) from triage_item where message_id = any(string_to_array(?, ',')::uuid[])",
                        ids),
                "exactly one queue item (Task) per acknowledged message");
        assertEquals(
                acknowledged.size(),
                postgres.queryForLong(
                        """
                select count(*) from processed_event p join outbox_event o on o.event_id = p.event_id
                where p.consumer = 'triage' and o.event_type = 'message.created'
                  and o.payload ->> 'messageId' = any(string_to_array(?, ','))""",
                        ids),
                "triage applied each acknowledged message's event exactly once");
        await("the relay to publish every outbox row")
                .atMost(catchUp)
                .untilAsserted(
                        () ->
                                assertEquals(
                                        0,
                                        postgres.queryForLong(
                                                "select count(*) from outbox_event where published_at is null")));
        assertEquals(
                0,
                postgres.queryForLong(
                        """
                select count(*) from (select thread_id from message where automatic group by thread_id having count(*) > 1) t"""),
                "no thread has more than one automatic reply");
        assertEquals(
                0,
                postgres.queryForLong(
                        """
                select count(*) from (select user_id, kind, message_id, digest_day from notification
                                      group by user_id, kind, message_id, digest_day having count(*) > 1) t"""),
                "no notification twice");

        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, String> record : kafka.readAll(MessageEventsTopic.NAME)) {
            String messageId = MessageEventsTopic.field(record, "messageId");
            if (!messageId.isEmpty()) {
                copies.merge(messageId, 1, Integer::sum);
            }
        }
        long missing = acknowledged.stream().filter(id -> !copies.containsKey(id)).count();
        assertEquals(
                0, missing, "every acknowledged message's event is on " + MessageEventsTopic.NAME);
        long republished = acknowledged.stream().filter(id -> copies.get(id) > 1).count();
        assertEquals(
                0, kafka.readAll(MessageEventsTopic.DEAD_LETTERS).size(), "nothing dead-lettered");
        return new Tally(acknowledged.size(), catchUpMillis, republished);
    }

    /**
     * The numbers a fault run reports: acknowledged messages, how long the last of them took to be
     * triaged after the load ended, and how many events the relay published a second time (the
     * outbox's at-least-once delivery after a crash; triage applied each once all the same).
     */
    record Tally(int acknowledged, long catchUpMillis, long republished) {}
}
