package dev.bluepost.platform.outbox;

import dev.bluepost.platform.errors.SafeThrowables;
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
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes outbox rows to Kafka after their transaction committed, in row order, one relay at a
 * time across all instances (a PostgreSQL advisory lock). A row is marked published only after
 * the broker acknowledged it, so a crash between the two publishes it again: consumers are
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
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;

    public OutboxRelay(EntityManager em, KafkaTopicAdmin topics, @Channel("outbox") MutinyEmitter<String> emitter,
                       OutboxConfig config, Clock clock) {
        this.em = em;
        this.topics = topics;
        this.emitter = emitter;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes @Priority(2000) StartupEvent event) {
        if (!config.relayEnabled()) {
            Log.warn("outbox relay disabled by configuration (bluepost.outbox.relay-enabled=false)");
            return;
        }
        running = true;
        worker = new Thread(this::loop, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes @Priority(10) ShutdownEvent event) throws InterruptedException {
        running = false;
        if (worker != null) {
            wakeUp.release();
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    void onCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        wakeUp.release();
    }

    private void loop() {
        Duration backoff = config.pollInterval();
        Instant nextCleanup = clock.instant();
        while (running) {
            try {
                wakeUp.tryAcquire(backoff.toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
                if (!running) {
                    break;
                }
                int published;
                do {
                    published = relayBatch();
                } while (running && published == config.batchSize());
                if (clock.instant().isAfter(nextCleanup)) {
                    deletePublishedBefore(clock.instant().minus(config.retention()));
                    nextCleanup = clock.instant().plus(Duration.ofHours(1));
                }
                backoff = config.pollInterval();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                Log.warnf("outbox relay paused for %d ms: %s", backoff.toMillis(),
                        SafeThrowables.describe(e).lines().findFirst().orElse(""));
            }
        }
    }

    /**
     * Publishes up to one batch and returns how many rows were published. Rows acknowledged before
     * a failure stay marked (the transaction commits); the failure is then reported to the loop.
     */
    int relayBatch() {
        BatchResult result = QuarkusTransaction.requiringNew().call(() -> {
            Boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(:lock)")
                    .setParameter("lock", RELAY_LOCK).getSingleResult();
            if (!Boolean.TRUE.equals(locked)) {
                return new BatchResult(0, null); // another instance is relaying
            }
            List<OutboxEvent> rows = em.createQuery(
                            "from OutboxEvent where publishedAt is null order by id", OutboxEvent.class)
                    .setMaxResults(config.batchSize())
                    .getResultList();
            if (rows.isEmpty()) {
                return new BatchResult(0, null);
            }
            topics.ensureCreated();
            int published = 0;
            for (OutboxEvent row : rows) {
                try {
                    publish(row);
                } catch (RuntimeException e) {
                    row.attempts++;
                    row.lastFailure = e.getClass().getName();
                    Log.warnf("outbox eventId=%s type=%s not published (attempt %d): %s", row.eventId,
                            row.eventType, row.attempts, e.getClass().getSimpleName());
                    return new BatchResult(published, e);
                }
                row.publishedAt = clock.instant();
                published++;
                Log.debugf("outbox eventId=%s type=%s key=%s published", row.eventId, row.eventType, row.recordKey);
            }
            return new BatchResult(published, null);
        });
        if (result.failure() != null) {
            throw new IllegalStateException("publishing interrupted after " + result.published() + " events",
                    result.failure());
        }
        return result.published();
    }

    private record BatchResult(int published, RuntimeException failure) {
    }

    private void publish(OutboxEvent row) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("event-id", row.eventId.toString().getBytes(StandardCharsets.UTF_8));
        headers.add("event-type", row.eventType.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topics.nameOf(row.topic))
                .withKey(row.recordKey)
                .withHeaders(headers)
                .build();
        emitter.sendMessage(Message.of(row.payload).addMetadata(metadata))
                .await().atMost(config.publishTimeout());
    }

    private void deletePublishedBefore(Instant cutoff) {
        QuarkusTransaction.requiringNew().run(() ->
                em.createQuery("delete from OutboxEvent where publishedAt < :cutoff")
                        .setParameter("cutoff", cutoff).executeUpdate());
    }
}
