package dev.bluepost.measurement.engine;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Stores measurement facts, each keyed so that storing it again changes nothing: a message by its
 * id, an assignment by its event id (docs/measures.md §9.2, §10 row 33). A message and its
 * recipients are written in one transaction.
 */
public class FactRecorder {

    private final DataSource dataSource;

    public FactRecorder(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A message as the measures see it: ids and codes only. Recipients as {@code Type/id}. */
    public record MessageFact(UUID messageId, UUID practiceId, UUID patientId, UUID threadId, String senderType, UUID senderId,
                              String senderKind, UUID inResponseTo, boolean secure, boolean automatic, Instant receivedAt,
                              List<String> recipients) {
    }

    /**
     * Stores the fact and its recipients together: in the caller's transaction when the connection
     * is already part of one (a listener's batch), else in a transaction of its own.
     * @return whether the message was new
     */
    public boolean recordMessage(MessageFact m, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (!autoCommit) {
                return insertMessage(c, m, now); // joins the transaction the connection takes part in
            }
            c.setAutoCommit(false);
            try {
                boolean inserted = insertMessage(c, m, now);
                c.commit();
                return inserted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a message fact failed", e);
        }
    }

    private static boolean insertMessage(Connection c, MessageFact m, Instant now) throws SQLException {
        int inserted;
        try (PreparedStatement s = c.prepareStatement("""
                insert into mu_message_fact (message_id, practice_id, patient_id, thread_id, sender_type, sender_id, sender_kind,
                                             in_response_to, secure, automatic, received_at, recorded_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (message_id) do nothing""")) {
            s.setObject(1, m.messageId());
            s.setObject(2, m.practiceId());
            s.setObject(3, m.patientId());
            s.setObject(4, m.threadId());
            s.setString(5, m.senderType());
            s.setObject(6, m.senderId());
            s.setString(7, m.senderKind());
            s.setObject(8, m.inResponseTo());
            s.setBoolean(9, m.secure());
            s.setBoolean(10, m.automatic());
            s.setTimestamp(11, Timestamp.from(m.receivedAt()));
            s.setTimestamp(12, Timestamp.from(now));
            inserted = s.executeUpdate();
        }
        if (inserted == 1) {
            try (PreparedStatement s = c.prepareStatement("""
                    insert into mu_message_recipient_fact (message_id, recipient_type, recipient_id) values (?, ?, ?)
                    on conflict do nothing""")) {
                for (String recipient : m.recipients()) {
                    int slash = recipient.indexOf('/');
                    if (slash < 0) {
                        throw new IllegalArgumentException("recipient is not Type/id");
                    }
                    s.setObject(1, m.messageId());
                    s.setString(2, recipient.substring(0, slash));
                    s.setObject(3, UUID.fromString(recipient.substring(slash + 1)));
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        return inserted == 1;
    }

    /** A queue item routed or assigned to an owner ({@code CareTeam} or {@code Practitioner}). @return whether it was new */
    public boolean recordAssignment(UUID eventId, UUID messageId, String ownerType, UUID ownerId, Instant at) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into mu_assignment_fact (event_id, message_id, owner_type, owner_id, assigned_at) values (?, ?, ?, ?, ?)
                on conflict (event_id) do nothing""")) {
            s.setObject(1, eventId);
            s.setObject(2, messageId);
            s.setString(3, ownerType);
            s.setObject(4, ownerId);
            s.setTimestamp(5, Timestamp.from(at));
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("storing an assignment fact failed", e);
        }
    }
}
