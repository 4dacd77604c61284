package dev.bluepost.triage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A queue item (FHIR Task): one patient message waiting for the care team. */
@Entity
@Table(name = "triage_item")
public class TriageItem extends PanacheEntityBase {

    @Id public UUID id;

    @Version public Integer version;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    /** The message this item is about (Task.focus); one item per message. */
    @Column(name = "message_id", nullable = false, unique = true)
    public UUID messageId;

    @Column(name = "thread_id", nullable = false)
    public UUID threadId;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    /** CareTeam (a pool) or Practitioner (assigned to a person). */
    @Column(name = "owner_type", nullable = false)
    public String ownerType;

    @Column(name = "owner_id", nullable = false)
    public UUID ownerId;

    /** FHIR Task status: requested, accepted, in-progress, completed, cancelled. */
    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String priority;

    @Column(nullable = false)
    public String category;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "due_by")
    public Instant dueBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** The pool whose queue the item is in (kept while a person holds it, so "release" knows where it goes back). */
    @Column(name = "queue_pool_id")
    public UUID queuePoolId;

    /** When the SLA warning is due (due-by minus the SLA's warning time); null without an SLA. */
    /** A macro's reply that answered but kept this item open (that reply does not complete it). */
    @Column(name = "kept_open_by_message_id")
    public UUID keptOpenByMessageId;

    @Column(name = "sla_warn_at")
    public Instant slaWarnAt;

    @Column(name = "sla_warned_at")
    public Instant slaWarnedAt;

    @Column(name = "sla_breached_at")
    public Instant slaBreachedAt;

    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.ARRAY)
    @Column(nullable = false)
    public String[] tags = new String[0];

    /**
     * Whether the care team answered the thread before this item (its SLA clock is then the next
     * response's), once asked in this transaction (SlaClock); not stored.
     */
    @jakarta.persistence.Transient Boolean answeredBefore;

    public String versionId() {
        return String.valueOf(version == null ? 1 : version + 1);
    }
}
