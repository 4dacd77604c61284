package dev.bluepost.triage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A response-time target of a practice for a pool and/or priority (null = any), in business minutes. */
@Entity
@Table(name = "triage_sla")
public class SlaTarget {

    @Id public UUID id;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "pool_id")
    public UUID poolId;

    public String priority;

    @Column(name = "first_response_minutes", nullable = false)
    public int firstResponseMinutes;

    @Column(name = "next_response_minutes", nullable = false)
    public int nextResponseMinutes;

    @Column(name = "warning_minutes", nullable = false)
    public int warningMinutes;
}
