package dev.bluepost.triage.events;

import dev.bluepost.platform.outbox.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code triage.item.changed} v1, on topic {@code bluepost.triage-events.v1}, keyed by thread id:
 * a queue item was created, assigned or closed. Every application instance reads it to update the
 * consoles it serves. Ids and codes only.
 *
 * @param change {@code created}, {@code assigned}, {@code status}, {@code sla-warning} (the answer is due soon),
 *               {@code sla-breached} (overdue: escalated to the on-call pool)
 * @param owner  {@code CareTeam/id} or {@code Practitioner/id}
 */
public record TriageItemChangedEvent(
        UUID eventId,
        String eventType,
        int schemaVersion,
        Instant occurredAt,
        UUID taskId,
        UUID messageId,
        UUID threadId,
        UUID practiceId,
        String change,
        String owner,
        String status,
        String priority,
        Instant dueBy)
        implements DomainEvent {

    public static final String TYPE = "triage.item.changed";
    public static final int VERSION = 1;
}
