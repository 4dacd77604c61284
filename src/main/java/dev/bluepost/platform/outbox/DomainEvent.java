package dev.bluepost.platform.outbox;

import java.util.UUID;

/**
 * A versioned event payload for Kafka ({@code …Event} records in a feature's {@code events}
 * package). Events carry ids and metadata only.
 */
public interface DomainEvent {

    UUID eventId();

    /** e.g. {@code message.received}; also sent as the {@code event-type} record header. */
    String eventType();

    int schemaVersion();
}
