package dev.bluepost.notification;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The record that a care-team message's unread reminder was decided: at most once per message, ever. */
@Entity
@Table(name = "unread_reminder")
public class UnreadReminder extends PanacheEntityBase {

    @Id
    @Column(name = "message_id")
    public UUID messageId;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "reminded_at", nullable = false)
    public Instant remindedAt;

    /** How many logins were e-mailed (0 when nobody could or wanted to be). */
    @Column(nullable = false)
    public int recipients;
}
