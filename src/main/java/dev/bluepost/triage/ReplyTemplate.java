package dev.bluepost.triage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A text of a practice: either an automatic reply's text, which only rules send (kind
 * {@code automatic}), or a reply template for staff (kind {@code staff}: console replies, macros,
 * batch replies). Written by the practice, in English and (optionally) Spanish: no patient data.
 */
@Entity
@Table(name = "triage_template")
public class ReplyTemplate {

    public static final String AUTOMATIC = "automatic";
    public static final String STAFF = "staff";

    @Id public UUID id;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String body;

    /** The same text in Spanish, sent to patients whose language is Spanish; null: the English text is sent to everyone. */
    @Column(name = "body_es")
    public String bodyEs;

    /** {@link #AUTOMATIC} or {@link #STAFF}. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
