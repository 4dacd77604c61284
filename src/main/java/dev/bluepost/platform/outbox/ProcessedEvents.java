package dev.bluepost.platform.outbox;

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

    public ProcessedEvents(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** True the first time {@code consumer} sees {@code eventId}; false for a redelivery. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, UUID eventId) {
        int inserted = em.createNativeQuery("""
                        insert into processed_event (consumer, event_id, processed_at) values (:c, :e, :t)
                        on conflict (consumer, event_id) do nothing""")
                .setParameter("c", consumer).setParameter("e", eventId).setParameter("t", clock.instant())
                .executeUpdate();
        return inserted == 1;
    }
}
