package dev.bluepost.triage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A delayed automatic reply: sent at {@link #sendAt} unless the care team has answered the thread by then. */
@Entity
@Table(name = "triage_scheduled_reply")
public class ScheduledReply {

    @Id public UUID id;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "thread_id", nullable = false)
    public UUID threadId;

    @Column(name = "message_id", nullable = false)
    public UUID messageId;

    @Column(name = "rule_id", nullable = false)
    public UUID ruleId;

    @Column(nullable = false)
    public String template;

    @Column(name = "send_at", nullable = false)
    public Instant sendAt;

    /** pending, sent, dropped. */
    @Column(nullable = false)
    public String status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "done_at")
    public Instant doneAt;
}
