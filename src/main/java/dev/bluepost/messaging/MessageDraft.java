package dev.bluepost.messaging;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** An unsent message a person saved, to finish later on any device. Sealed like a message. */
@Entity
@Table(name = "message_draft")
public class MessageDraft extends PanacheEntityBase {

    @Id public UUID id;

    @Version public Integer version;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    /** The thread a reply draft belongs to; null for a new message. */
    @Column(name = "thread_id")
    public UUID threadId;

    /** {@code CareTeam/id} or {@code Practitioner/id} for a new message. */
    public String recipient;

    @Column(nullable = false)
    public String category;

    @Column(name = "dek_kek_id", nullable = false)
    public String dekKekId;

    @Column(name = "dek_wrapped", nullable = false)
    public byte[] dekWrapped;

    @Column(name = "topic_iv")
    public byte[] topicIv;

    @Column(name = "topic_ciphertext")
    public byte[] topicCiphertext;

    @Column(name = "topic_sha256")
    public byte[] topicSha256;

    @Column(name = "body_iv", nullable = false)
    public byte[] bodyIv;

    @Column(name = "body_ciphertext", nullable = false)
    public byte[] bodyCiphertext;

    @Column(name = "body_sha256", nullable = false)
    public byte[] bodySha256;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
