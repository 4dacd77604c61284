package dev.bluepost.notification;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A new message waiting to be counted in a login's next daily digest. */
@Entity
@Table(name = "notification_digest_item")
public class DigestItem extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "message_id", nullable = false)
    public UUID messageId;

    /** The practice of the message: its time zone decides when the digest is due. */
    @Column(name = "practice_id", nullable = false)
    public UUID practiceId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The digest that counted it; null while waiting. */
    @Column(name = "notification_id")
    public UUID notificationId;
}
