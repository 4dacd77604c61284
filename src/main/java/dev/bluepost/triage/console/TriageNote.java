package dev.bluepost.triage.console;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A staff-only note on a thread; its text is sealed under a data key of its own (AES-256-GCM, wrapped by the KEK). */
@Entity
@Table(name = "triage_note")
public class TriageNote {

    @Id public UUID id;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "thread_id", nullable = false)
    public UUID threadId;

    @Column(name = "author_user_id")
    public UUID authorUserId;

    @Column(name = "author_name", nullable = false)
    public String authorName;

    @Column(name = "dek_kek_id", nullable = false)
    public String dekKekId;

    @Column(name = "dek_wrapped", nullable = false)
    public byte[] dekWrapped;

    @Column(name = "body_iv", nullable = false)
    public byte[] bodyIv;

    @Column(name = "body_ciphertext", nullable = false)
    public byte[] bodyCiphertext;

    @Column(name = "body_sha256", nullable = false)
    public byte[] bodySha256;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The emergency ("break-glass") access its author wrote it under; null otherwise. */
    @Column(name = "emergency_access_id")
    public UUID emergencyAccessId;
}
