package dev.bluepost.triage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A reply template of a practice, used by rules, console replies and batch replies. Written by the practice: no patient data. */
@Entity
@Table(name = "triage_template")
public class ReplyTemplate {

    @Id
    public UUID id;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String body;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
