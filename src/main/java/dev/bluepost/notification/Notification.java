package dev.bluepost.notification;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One e-mail to a login, queued by the transaction that decided it and handed to the mail server
 * by {@link NotificationDelivery}. It stores no address and no content: only what kind of notice
 * it is and, for a digest, how many messages it counts.
 */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {

    /** What became of it. */
    public enum Outcome {
        /** Accepted by the mail server. */
        SENT,
        /** The login has no address (and, for a patient, neither has their record). */
        NO_ADDRESS,
        /** The person chose no e-mail, or the login was disabled, before it went out. */
        SUPPRESSED,
        /** The mail server refused it {@code max-attempts} times. */
        GAVE_UP,
        /**
         * The instance handing it over died (or lost the database) before recording the mail
         * server's answer: it may or may not have gone out, and is never handed over again.
         */
        INTERRUPTED
    }

    @Id public UUID id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NotificationKind kind;

    /** The message it is about (null for a digest and an emergency-access notice). */
    @Column(name = "message_id")
    public UUID messageId;

    /** The emergency access it announces (EMERGENCY_ACCESS only). */
    @Column(name = "emergency_access_id")
    public UUID emergencyAccessId;

    @Column(name = "message_count", nullable = false)
    public int messageCount;

    /** The practice-local day a digest covers (null otherwise). */
    @Column(name = "digest_day")
    public LocalDate digestDay;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(nullable = false)
    public int attempts;

    /** Class name of the last failure to hand it over (never a message text). */
    @Column(name = "last_failure")
    public String lastFailure;

    @Enumerated(EnumType.STRING)
    public Outcome outcome;

    @Column(name = "handled_at")
    public Instant handledAt;

    /** Set, and committed, just before the mail server is called; cleared with its answer. */
    @Column(name = "handing_over_since")
    public Instant handingOverSince;
}
