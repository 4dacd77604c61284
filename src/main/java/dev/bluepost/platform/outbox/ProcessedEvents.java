package dev.bluepost.platform.outbox;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.UUID;

/**
 * Effectively-once effects under at-least-once delivery: a consumer records each event id in the
 * same transaction as its effects, and skips an event it has already recorded.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final EntityManager em;
    private final Clock clock;
    private final OutboxConfig config;

    public ProcessedEvents(EntityManager em, Clock clock, OutboxConfig config) {
        this.em = em;
        this.clock = clock;
        this.config = config;
    }

    /** True the first time {@code consumer} sees {@code eventId}; false for a redelivery. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, UUID eventId) {
        int inserted =
                dev.bluepost.platform.db.TxJdbc.update(
                        em,
                        """
                insert into processed_event (consumer, event_id, processed_at) values (?, ?, ?)
                on conflict (consumer, event_id) do nothing""",
                        consumer,
                        eventId,
                        clock.instant());
        return inserted == 1;
    }

    /** Forgets event ids older than the retention (no broker can redeliver them any more). */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "1h",
            delayed = "10m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        int deleted =
                em.createNativeQuery("delete from processed_event where processed_at < :cutoff")
                        .setParameter(
                                "cutoff", clock.instant().minus(config.processedEventRetention()))
                        .executeUpdate();
        if (deleted > 0) {
            Log.infof("processed events purged count=%d", deleted);
        }
    }
}
