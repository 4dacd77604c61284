package dev.bluepost.messaging.events;

import dev.bluepost.platform.outbox.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code message.retracted} v1, on the message-events topic, keyed by thread id: the sender took a
 * message back (its reason is never on the event). Triage cancels the message's open item.
 */
public record MessageRetractedEvent(
        UUID eventId,
        String eventType,
        int schemaVersion,
        Instant occurredAt,
        UUID messageId,
        UUID threadId,
        UUID practiceId,
        UUID patientId,
        String senderKind)
        implements DomainEvent {

    public static final String TYPE = "message.retracted";
    public static final int VERSION = 1;
}
