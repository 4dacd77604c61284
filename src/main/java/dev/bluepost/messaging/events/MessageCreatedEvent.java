package dev.bluepost.messaging.events;

import dev.bluepost.platform.outbox.DomainEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code message.created} v1, on topic {@code bluepost.message-events.v1}, keyed by thread id.
 * Ids and codes only: never text, subjects, names or attachment names (docs/kafka.md).
 *
 * @param sender     {@code Type/id} of the sender (Patient, RelatedPerson, Practitioner, Device)
 * @param senderKind PATIENT, PROXY, EP, STAFF_FOR_EP, STAFF or AUTOMATIC
 * @param recipients {@code Type/id} of each recipient, the first being the primary one
 * @param replyExpectedBy when the care team is expected to answer (null when nothing awaits an answer)
 */
public record MessageCreatedEvent(
        UUID eventId,
        String eventType,
        int schemaVersion,
        Instant occurredAt,
        UUID messageId,
        UUID threadId,
        UUID practiceId,
        UUID patientId,
        String sender,
        String senderKind,
        List<String> recipients,
        UUID inResponseTo,
        String category,
        String priority,
        boolean secure,
        boolean automatic,
        boolean firstInThread,
        Instant sentAt,
        Instant receivedAt,
        Instant replyExpectedBy)
        implements DomainEvent {

    public static final String TYPE = "message.created";
    public static final int VERSION = 1;
}
