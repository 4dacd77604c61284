package dev.bluepost.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.platform.kafka.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Clock;

/** Records events in the outbox, inside the caller's transaction (the transactional outbox pattern). */
@ApplicationScoped
public class OutboxService {

    private final ObjectMapper json;
    private final Clock clock;
    private final Event<OutboxWritten> written;

    public OutboxService(ObjectMapper json, Clock clock, Event<OutboxWritten> written) {
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
        OutboxEvent row = new OutboxEvent();
        row.eventId = event.eventId();
        row.topic = topic.key();
        row.recordKey = key;
        row.eventType = event.eventType();
        try {
            row.payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.eventType() + " cannot be serialized", e);
        }
        row.createdAt = clock.instant();
        row.persist();
        written.fire(new OutboxWritten());
    }
}
