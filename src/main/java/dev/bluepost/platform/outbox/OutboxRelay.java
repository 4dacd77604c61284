package dev.bluepost.platform.outbox;

import dev.bluepost.platform.BackgroundLoop;
import dev.bluepost.platform.kafka.KafkaTopicAdmin;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes outbox rows to Kafka after their transaction committed, in row order per thread (record
 * key), one relay at a time across all instances (a PostgreSQL advisory lock). A batch is sent
 * without waiting between rows (the producer batches them), and a row is marked published only
 * after the broker acknowledged it, so a crash between the two publishes it again: consumers are
 * idempotent by event id. A broker outage leaves rows waiting; the relay retries with back-off.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Arbitrary constant naming the relay's advisory lock. */
    private static final long RELAY_LOCK = 0x626c7565706f7374L; // "bluepost"

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final EntityManager em;
    private final KafkaTopicAdmin topics;
    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final Clock clock;
    private BackgroundLoop loop;
    private Instant nextCleanup;

    public OutboxRelay(
            EntityManager em,
            KafkaTopicAdmin topics,
            @Channel("outbox") MutinyEmitter<String> emitter,
            OutboxConfig config,
            Clock clock) {
        this.em = em;
        this.topics = topics;
        this.emitter = emitter;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes @Priority(2000) StartupEvent event) {
        if (!config.relayEnabled()) {
            Log.warn(
                    "outbox relay disabled by configuration (bluepost.outbox.relay-enabled=false)");
            return;
        }
        nextCleanup = clock.instant();
        loop =
                new BackgroundLoop(
                        "outbox-relay",
                        "outbox relay",
                        config.pollInterval(),
                        MAX_BACKOFF,
                        config.pauseAfterRound(),
                        this::round);
        loop.start();
    }

    void stop(@Observes @Priority(10) ShutdownEvent event) throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
    }

    void onCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        if (loop != null) {
            loop.wakeUp();
        }
    }

    /** Publishes batches until one comes back short; once an hour, deletes rows published long ago. */
    private void round() {
        int published;
        do {
            published = relayBatch();
        } while (published == config.batchSize());
        if (clock.instant().isAfter(nextCleanup)) {
            deletePublishedBefore(clock.instant().minus(config.retention()));
            nextCleanup = clock.instant().plus(Duration.ofHours(1));
        }
    }

    /**
     * Publishes up to one batch and returns how many rows were published. The rows are sent without
     * waiting for each other, except that a row waits for the acknowledgement of the batch's earlier
     * row with the same topic and key (the same thread): a thread's events are never in flight
     * together, so none can overtake another. Then every acknowledgement is awaited and the
     * acknowledged rows are marked published in one statement. A row that failed is counted
     * ({@code attempts}, {@code last_failure}); the later rows of its thread were not sent and wait
     * for the next round. Rows acknowledged before a failure stay marked (the transaction commits);
     * the failure is then reported to the loop.
     */
    int relayBatch() {
        BatchResult result =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    Boolean locked =
                                            (Boolean)
                                                    em.createNativeQuery(
                                                                    "select pg_try_advisory_xact_lock(:lock)")
                                                            .setParameter("lock", RELAY_LOCK)
                                                            .getSingleResult();
                                    if (!Boolean.TRUE.equals(locked)) {
                                        return new BatchResult(
                                                0, null); // another instance is relaying
                                    }
                                    List<OutboxEvent> rows =
                                            em.createQuery(
                                                            "from OutboxEvent where publishedAt is null order by id",
                                                            OutboxEvent.class)
                                                    .setMaxResults(config.batchSize())
                                                    .getResultList();
                                    if (rows.isEmpty()) {
                                        return new BatchResult(0, null);
                                    }
                                    topics.ensureCreated();
                                    AtomicBoolean abandoned = new AtomicBoolean();
                                    // Sent and awaited with the transaction suspended (the advisory
                                    // lock stays held by its
                                    // connection): completions run on the producer's threads, and a
                                    // transaction context
                                    // propagated to them would still be "active" there when this
                                    // thread commits.
                                    List<CompletableFuture<Void>> acks =
                                            QuarkusTransaction.suspendingExisting()
                                                    .call(
                                                            () -> {
                                                                List<CompletableFuture<Void>> sent =
                                                                        sendAll(rows, abandoned);
                                                                awaitAll(sent, abandoned);
                                                                return sent;
                                                            });
                                    Instant publishedAt = clock.instant();
                                    List<Long> published = new ArrayList<>(rows.size());
                                    RuntimeException firstFailure = null;
                                    for (int i = 0; i < rows.size(); i++) {
                                        OutboxEvent row = rows.get(i);
                                        Throwable failure = failureOf(acks.get(i));
                                        if (failure == null) {
                                            published.add(row.id);
                                            Log.debugf(
                                                    "outbox eventId=%s type=%s key=%s published",
                                                    row.eventId, row.eventType, row.recordKey);
                                        } else if (!(failure instanceof NotSent)) {
                                            row.attempts++;
                                            row.lastFailure = failure.getClass().getName();
                                            Log.warnf(
                                                    "outbox eventId=%s type=%s not published (attempt %d): %s",
                                                    row.eventId,
                                                    row.eventType,
                                                    row.attempts,
                                                    failure.getClass().getSimpleName());
                                            if (firstFailure == null) {
                                                firstFailure =
                                                        failure instanceof RuntimeException r
                                                                ? r
                                                                : new IllegalStateException(
                                                                        failure);
                                            }
                                        }
                                    }
                                    if (!published.isEmpty()) {
                                        em.createQuery(
                                                        "update OutboxEvent set publishedAt = :at where id in :ids")
                                                .setParameter("at", publishedAt)
                                                .setParameter("ids", published)
                                                .executeUpdate();
                                    }
                                    return new BatchResult(published.size(), firstFailure);
                                });
        if (result.failure() != null) {
            throw new IllegalStateException(
                    "publishing interrupted after " + result.published() + " events",
                    result.failure());
        }
        return result.published();
    }

    private record BatchResult(int published, RuntimeException failure) {}

    /** The row was not sent because an earlier row of its thread failed (or the batch was given up). */
    static final class NotSent extends RuntimeException {
        NotSent() {
            super(null, null, false, false);
        }
    }

    /** Sends the rows in id order; a row waits for the previous row of the same topic and key. */
    private List<CompletableFuture<Void>> sendAll(List<OutboxEvent> rows, AtomicBoolean abandoned) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
        Map<String, CompletableFuture<Void>> lastOfKey = new HashMap<>();
        for (OutboxEvent row : rows) {
            String key = row.topic + '|' + row.recordKey;
            CompletableFuture<Void> previous = lastOfKey.get(key);
            CompletableFuture<Void> ack =
                    previous == null
                            ? publish(row, abandoned)
                            : previous.handle((ok, failure) -> failure)
                                    .thenCompose(
                                            failure ->
                                                    failure == null
                                                            ? publish(row, abandoned)
                                                            : CompletableFuture.<Void>failedFuture(
                                                                    new NotSent()));
            lastOfKey.put(key, ack);
            acks.add(ack);
        }
        return acks;
    }

    /** Waits for every send to complete, for at most the publish timeout; what is still open then counts as failed. */
    private void awaitAll(List<CompletableFuture<Void>> acks, AtomicBoolean abandoned) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned.set(true);
        } catch (TimeoutException e) {
            abandoned.set(
                    true); // rows not sent yet are not sent any more; the open ones are retried
            // next round
        } catch (ExecutionException e) {
            // a send failed: every future is complete (allOf completes only when all are),
            // inspected one by one
        }
    }

    private static Throwable failureOf(CompletableFuture<Void> ack) {
        if (!ack.isDone()) {
            return new TimeoutException("no acknowledgement in time");
        }
        try {
            ack.getNow(null);
            return null;
        } catch (CompletionException | CancellationException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    private CompletableFuture<Void> publish(OutboxEvent row, AtomicBoolean abandoned) {
        if (abandoned.get()) {
            return CompletableFuture.failedFuture(new NotSent());
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add("event-id", row.eventId.toString().getBytes(StandardCharsets.UTF_8));
        headers.add("event-type", row.eventType.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata =
                OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(topics.nameOf(row.topic))
                        .withKey(row.recordKey)
                        .withHeaders(headers)
                        .build();
        try {
            return emitter.sendMessage(Message.of(row.payload).addMetadata(metadata))
                    .subscribeAsCompletionStage();
        } catch (RuntimeException e) { // e.g. the emitter's buffer is full
            return CompletableFuture.failedFuture(e);
        }
    }

    private void deletePublishedBefore(Instant cutoff) {
        QuarkusTransaction.requiringNew()
                .run(
                        () ->
                                em.createQuery(
                                                "delete from OutboxEvent where publishedAt < :cutoff")
                                        .setParameter("cutoff", cutoff)
                                        .executeUpdate());
    }
}
