package dev.bluepost.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.platform.db.TxJdbc;
import dev.bluepost.platform.kafka.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;

/** Records events in the outbox, inside the caller's transaction (the transactional outbox pattern). */
@ApplicationScoped
public class OutboxService {

    private static final String INSERT =
            "insert into outbox_event (event_id, topic, record_key, event_type, payload, created_at) "
                    + "values (?, ?, ?, ?, ?::jsonb, ?)";

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;
    private final Event<OutboxWritten> written;

    public OutboxService(
            EntityManager em, ObjectMapper json, Clock clock, Event<OutboxWritten> written) {
        this.em = em;
        this.json = json;
        this.clock = clock;
        this.written = written;
    }

    /**
     * Queues {@code event} for {@code topic}, keyed by {@code key} (thread id for message events,
     * so that a thread's events stay in order on one partition).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(Topics topic, String key, DomainEvent event) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "event " + event.eventType() + " cannot be serialized", e);
        }
        // plain SQL, not a persisted entity: an identity insert through Hibernate runs at once and
        // first executes every insert pending in the transaction (so later changes to those rows
        // become extra updates) and reads the whole row back; this statement does neither
        TxJdbc.update(
                em,
                INSERT,
                event.eventId(),
                topic.key(),
                key,
                event.eventType(),
                payload,
                clock.instant());
        written.fire(new OutboxWritten());
    }
}
