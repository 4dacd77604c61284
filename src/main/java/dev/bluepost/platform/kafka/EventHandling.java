package dev.bluepost.platform.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.platform.errors.ErrorClassifier;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The one skeleton of Bluepost's event listeners (docs/adr/0032-message-path-under-load.md):
 * <ul>
 *   <li>the envelope ({@code eventType}, {@code eventId}, {@code schemaVersion}) and the version check;</li>
 *   <li>a poll's records applied in <em>one</em> transaction, in order (per partition, as Kafka delivers them);</li>
 *   <li>a database outage waited out with back-off, the batch retried as a whole;</li>
 *   <li>a record that cannot be understood or applied moved to the consumer's dead-letter topic, alone:
 *       after a failed batch, each record is applied in a transaction of its own, and only the one that
 *       fails again is dead-lettered (with its reason, topic, partition and offset in headers; never its
 *       payload in a log);</li>
 *   <li>during shutdown nothing is dead-lettered or acknowledged: the batch stays uncommitted and is
 *       delivered again after the restart (consumers are idempotent by event id).</li>
 * </ul>
 */
@ApplicationScoped
public class EventHandling {

    /** Turns one event into the work it asks for; null when this consumer does not act on its type. */
    @FunctionalInterface
    public interface Decoder {
        Runnable decode(JsonNode envelope) throws IOException;
    }

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    private static final long DEAD_LETTER_TIMEOUT_MS = 15_000;

    private final ObjectMapper json;
    private final EntityManager em;
    private final KafkaTopicAdmin topics;
    private final MutinyEmitter<String> deadLetters;
    private volatile boolean shuttingDown;

    public EventHandling(
            ObjectMapper json,
            EntityManager em,
            KafkaTopicAdmin topics,
            @Channel("dead-letters") MutinyEmitter<String> deadLetters) {
        this.json = json;
        this.em = em;
        this.topics = topics;
        this.deadLetters = deadLetters;
    }

    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        shuttingDown = true;
    }

    /** Whether the application is shutting down (listeners that handle failures themselves hold their record then). */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    /** The record's event envelope; a record that is not a Bluepost event is refused. */
    public JsonNode envelope(String payload) throws IOException {
        JsonNode tree = payload == null ? null : json.readTree(payload);
        if (tree == null
                || !tree.hasNonNull("eventType")
                || !tree.hasNonNull("eventId")
                || !tree.hasNonNull("schemaVersion")) {
            throw new IllegalArgumentException("not a Bluepost event");
        }
        return tree;
    }

    public static String type(JsonNode envelope) {
        return envelope.get("eventType").asText();
    }

    /** The event as {@code type}, refused unless it has the schema version this code understands. */
    public <E> E read(JsonNode envelope, Class<E> type, int version) throws IOException {
        requireVersion(envelope, version);
        return json.treeToValue(envelope, type);
    }

    public static void requireVersion(JsonNode envelope, int version) {
        if (envelope.get("schemaVersion").asInt() != version) {
            throw new IllegalArgumentException("unsupported version of " + type(envelope));
        }
    }

    private record Work(
            KafkaRecord<String, String> record, String eventId, String type, Runnable apply) {}

    /**
     * Applies a poll's events for {@code consumer}; records that fail go to {@code deadLetterTopic}.
     * Completes when the batch may be acknowledged; never completes for a batch held at shutdown.
     */
    public CompletionStage<Void> consume(
            String consumer,
            KafkaRecordBatch<String, String> batch,
            Topics deadLetterTopic,
            Decoder decoder)
            throws InterruptedException {
        List<Work> work = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, String> record : batch) {
            try {
                JsonNode envelope = envelope(record.getPayload());
                Runnable apply = decoder.decode(envelope);
                if (apply != null) {
                    work.add(
                            new Work(
                                    record,
                                    envelope.get("eventId").asText(),
                                    type(envelope),
                                    apply));
                }
            } catch (IOException | RuntimeException e) {
                deadLetter(consumer, record, null, e, deadLetterTopic);
            }
        }
        if (work.isEmpty()) {
            return batch.ack();
        }
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                QuarkusTransaction.requiringNew().run(() -> work.forEach(this::applyAndClear));
                return batch.ack();
            } catch (RuntimeException e) {
                if (shuttingDown) {
                    return held(consumer, work.get(0).eventId());
                }
                if (!ErrorClassifier.isDatabaseUnavailable(e)) {
                    break; // one of the records fails: find it, one transaction per record
                }
                backoff = waitForDatabase(consumer, work.get(0).eventId(), backoff);
            }
        }
        for (Work one : work) {
            backoff = FIRST_BACKOFF;
            while (true) {
                try {
                    QuarkusTransaction.requiringNew().run(one.apply()::run);
                    break;
                } catch (RuntimeException e) {
                    if (shuttingDown) {
                        return held(consumer, one.eventId());
                    }
                    if (!ErrorClassifier.isDatabaseUnavailable(e)) {
                        deadLetter(consumer, one.record(), one, e, deadLetterTopic);
                        break;
                    }
                    backoff = waitForDatabase(consumer, one.eventId(), backoff);
                }
            }
        }
        return batch.ack();
    }

    /** Runs one record's work inside the batch's transaction; its entities leave the persistence context after. */
    private void applyAndClear(Work one) {
        one.apply().run();
        em.flush();
        em.clear();
    }

    private Duration waitForDatabase(String consumer, String eventId, Duration backoff)
            throws InterruptedException {
        Log.warnf(
                "%s waiting for the database eventId=%s retryIn=%dms",
                consumer, eventId, backoff.toMillis());
        Thread.sleep(backoff.toMillis());
        return backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
    }

    private static CompletionStage<Void> held(String consumer, String eventId) {
        Log.infof(
                "%s leaves eventId=%s and the rest of its batch for after the restart",
                consumer, eventId);
        return new CompletableFuture<>(); // neither acknowledged nor dead-lettered: the offsets
        // stay where they are
    }

    /** Publishes the record to the dead-letter topic and waits for the broker; logs ids and the failure's class only. */
    private void deadLetter(
            String consumer,
            KafkaRecord<String, String> record,
            Work work,
            Exception failure,
            Topics topic)
            throws InterruptedException {
        Log.errorf(
                "%s failed topic=%s partition=%d offset=%d eventType=%s eventId=%s: %s (to dead-letter topic)",
                consumer,
                record.getTopic(),
                record.getPartition(),
                offset(record),
                work == null ? "?" : work.type(),
                work == null ? "?" : work.eventId(),
                failure.getClass().getName());
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                "dead-letter-reason",
                bytes(
                        failure.getClass().getSimpleName()
                                + (failure instanceof IllegalArgumentException
                                                && failure.getMessage() != null
                                        ? ": " + failure.getMessage()
                                        : "")));
        headers.add("dead-letter-topic", bytes(record.getTopic()));
        headers.add("dead-letter-partition", bytes(String.valueOf(record.getPartition())));
        headers.add("dead-letter-offset", bytes(String.valueOf(offset(record))));
        headers.add("dead-letter-consumer", bytes(consumer));
        OutgoingKafkaRecordMetadata<String> metadata =
                OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(topics.nameOf(topic))
                        .withKey(record.getKey())
                        .withHeaders(headers)
                        .build();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                deadLetters
                        .sendMessage(
                                Message.of(record.getPayload() == null ? "" : record.getPayload())
                                        .addMetadata(metadata))
                        .subscribeAsCompletionStage()
                        .toCompletableFuture()
                        .get(DEAD_LETTER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // the broker is away: the record is moved aside once it is back, never dropped
                Log.warnf(
                        "%s waiting for the dead-letter topic %s retryIn=%dms",
                        consumer, topic.key(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff =
                        backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                                ? MAX_BACKOFF
                                : backoff.multipliedBy(2);
            }
        }
    }

    private static long offset(KafkaRecord<String, String> record) {
        return record.getMetadata(
                        io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata.class)
                .map(m -> m.getOffset())
                .orElse(-1L);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
