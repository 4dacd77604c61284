package dev.bluepost.bluebutton;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One transmit of a patient's health information to a third party; the recipient's address is sealed. */
@Entity
@Table(name = "transmission")
public class Transmission extends PanacheEntityBase {

    public enum What {
        RECORD,
        DOCUMENT
    }

    public enum Method {
        DIRECT,
        EMAIL
    }

    /**
     * SENDING: written before the hand-over to the relay and replaced by its answer; left only when
     * the instance died meanwhile (not confirmed either way).
     */
    public enum Status {
        SENDING,
        SENT,
        FAILED
    }

    @Id public UUID id;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "sender_login_id", nullable = false)
    public UUID senderLoginId;

    @Column(name = "sender_kind", nullable = false)
    public String senderKind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public What what;

    @Column(name = "document_id")
    public UUID documentId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Method method;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    /** Why a send failed, as a code ({@code relay-refused}, {@code relay-unreachable}, {@code mail-refused}); never text from the relay. */
    public String failure;

    @Column(nullable = false)
    public int items;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "dek_kek_id", nullable = false)
    public String dekKekId;

    @Column(name = "dek_wrapped", nullable = false)
    public byte[] dekWrapped;

    @Column(name = "recipient_iv", nullable = false)
    public byte[] recipientIv;

    @Column(name = "recipient_ciphertext", nullable = false)
    public byte[] recipientCiphertext;

    @Column(name = "recipient_sha256", nullable = false)
    public byte[] recipientSha256;
}
