package dev.bluepost.messaging.events;

import dev.bluepost.platform.outbox.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code thread.closed} v1, on the message-events topic, keyed by thread id: the care team closed a
 * conversation. Triage completes its open items.
 */
public record ThreadClosedEvent(
        UUID eventId,
        String eventType,
        int schemaVersion,
        Instant occurredAt,
        UUID threadId,
        UUID practiceId,
        UUID patientId)
        implements DomainEvent {

    public static final String TYPE = "thread.closed";
    public static final int VERSION = 1;
}
