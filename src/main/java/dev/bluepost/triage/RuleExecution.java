package dev.bluepost.triage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One line of a message's rule execution log: a rule fired (and what it did), did not match, or was skipped. */
@Entity
@Table(name = "triage_rule_execution")
public class RuleExecution {

    @Id public UUID id;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "message_id", nullable = false)
    public UUID messageId;

    @Column(name = "thread_id", nullable = false)
    public UUID threadId;

    @Column(name = "rule_id")
    public UUID ruleId;

    @Column(name = "rule_name", nullable = false)
    public String ruleName;

    @Column(name = "rule_version")
    public Integer ruleVersion;

    /** fired, not-matched, skipped. */
    @Column(nullable = false)
    public String outcome;

    /** The line in English: what support reads, and what a page shows of a line written before {@link #detailSteps}. */
    @Column(nullable = false)
    public String detail;

    /** The line as {@link LogStep}s, which a page words in its reader's language; null on lines written before. */
    @Column(name = "detail_steps")
    public String detailSteps;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
