package dev.bluepost.messaging;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * A conversation about one patient. It owns the data key that encrypts its messages (wrapped by
 * the key-encryption key) and its subject line, which is encrypted like a body.
 */
@Entity
@Table(name = "message_thread")
public class MessageThread extends PanacheEntityBase {

    @Id public UUID id;

    @Version public Integer version;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    @Column(nullable = false)
    public String category;

    @Column(nullable = false)
    public String status = "open";

    @Column(name = "topic_iv")
    public byte[] topicIv;

    @Column(name = "topic_ciphertext")
    public byte[] topicCiphertext;

    @Column(name = "topic_sha256")
    public byte[] topicSha256;

    @Column(name = "dek_kek_id", nullable = false)
    public String dekKekId;

    @Column(name = "dek_wrapped", nullable = false)
    public byte[] dekWrapped;

    /** The thread's first message: FHIR Communication.partOf of every later one. */
    @Column(name = "root_message_id", nullable = false)
    public UUID rootMessageId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_message_at", nullable = false)
    public Instant lastMessageAt;

    /** Marked sensitive by the patient: invisible to proxies. */
    @Column(nullable = false)
    public boolean sensitive;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "closed_by_user_id")
    public UUID closedByUserId;

    /** The emergency ("break-glass") access it was closed under; null otherwise. */
    @Column(name = "closed_emergency_access_id")
    public UUID closedEmergencyAccessId;

    /** When the care team is expected to answer the latest patient message (null once answered). */
    @Column(name = "reply_expected_by")
    public Instant replyExpectedBy;

    /** The expected answer is the on-call team's, around the clock (a red flag), not the office's on its hours. */
    @Column(name = "reply_on_call", nullable = false)
    public boolean replyOnCall;
}
