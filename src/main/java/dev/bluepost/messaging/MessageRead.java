package dev.bluepost.messaging;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The first time the care team, or the patient's side, opened a message. */
@Entity
@Table(name = "message_read")
public class MessageRead extends PanacheEntityBase {

    /** Who read: the care team (any staff member) or the patient's side (the patient or a proxy). */
    public enum Side {
        CARE_TEAM,
        PATIENT
    }

    @EmbeddedId public Key key;

    @Column(name = "first_read_at", nullable = false)
    public Instant firstReadAt;

    @Column(name = "reader_user_id")
    public UUID readerUserId;

    @Embeddable
    public static class Key implements Serializable {

        @Column(name = "message_id", nullable = false)
        public UUID messageId;

        @Column(name = "reader_side", nullable = false)
        @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
        public Side side;

        public Key() {}

        public Key(UUID messageId, Side side) {
            this.messageId = messageId;
            this.side = side;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.messageId.equals(messageId) && k.side == side;
        }

        @Override
        public int hashCode() {
            return Objects.hash(messageId, side);
        }
    }
}
