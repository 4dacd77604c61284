package dev.bluepost.messaging;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One message (FHIR Communication). Never edited: the body is stored only as AES-256-GCM
 * ciphertext under the thread's data key, with the SHA-256 of the plaintext. Who sent it, on whose
 * behalf, to whom and when the platform received it are recorded as the measures need them.
 */
@Entity
@Table(name = "message")
public class Message extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "thread_id", nullable = false)
    public UUID threadId;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    /** FHIR type of the sender: Patient, RelatedPerson, Practitioner or Device. */
    @Column(name = "sender_type", nullable = false)
    public String senderType;

    @Column(name = "sender_id", nullable = false)
    public UUID senderId;

    @Enumerated(EnumType.STRING)
    @Column(name = "sender_kind", nullable = false)
    public SenderKind senderKind;

    /** The login that sent it (null for messages created by a system client). */
    @Column(name = "sent_by_user_id")
    public UUID sentByUserId;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "message_recipient", joinColumns = @JoinColumn(name = "message_id"))
    @OrderColumn(name = "position")
    public List<Recipient> recipients = new ArrayList<>();

    @Column(name = "in_response_to_id")
    public UUID inResponseToId;

    @Column(nullable = false)
    public String category;

    @Column(nullable = false)
    public String priority;

    /** v3-ParticipationMode code, or null for the platform's own secure channel. */
    public String medium;

    /** False for outside-channel contacts (phone, ordinary e-mail, fax): stored, never a secure message. */
    @Column(nullable = false)
    public boolean secure = true;

    @Column(nullable = false)
    public boolean automatic;

    @Column(nullable = false)
    public String status = "completed";

    @Column(name = "sent_at", nullable = false)
    public Instant sentAt;

    /** When the platform's messaging function received it (the time the measures use). */
    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "body_iv", nullable = false)
    public byte[] bodyIv;

    @Column(name = "body_ciphertext", nullable = false)
    public byte[] bodyCiphertext;

    @Column(name = "body_sha256", nullable = false)
    public byte[] bodySha256;

    @Column(name = "identifier_system")
    public String identifierSystem;

    @Column(name = "identifier_value")
    public String identifierValue;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Set when its sender retracted it; the text is kept, the reason is sealed like a body. */
    @Column(name = "retracted_at")
    public Instant retractedAt;

    @Column(name = "retracted_by_user_id")
    public UUID retractedByUserId;

    /** The emergency ("break-glass") access its staff sender wrote it under; null otherwise. */
    @Column(name = "emergency_access_id")
    public UUID emergencyAccessId;

    @Column(name = "retraction_iv")
    public byte[] retractionIv;

    @Column(name = "retraction_ciphertext")
    public byte[] retractionCiphertext;

    @Column(name = "retraction_sha256")
    public byte[] retractionSha256;

    /** The retracted message this one corrects. */
    @Column(name = "corrects_message_id")
    public UUID correctsMessageId;

    /** A recipient: a Practitioner, CareTeam (pool), Patient or RelatedPerson. */
    @Embeddable
    public static class Recipient {

        @Column(name = "recipient_type", nullable = false)
        public String type;

        @Column(name = "recipient_id", nullable = false)
        public UUID id;

        public Recipient() {}

        public Recipient(String type, UUID id) {
            this.type = type;
            this.id = id;
        }
    }
}
