package dev.bluepost.measurement.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

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
    public record MessageFact(
            UUID messageId,
            UUID practiceId,
            UUID patientId,
            UUID threadId,
            String senderType,
            UUID senderId,
            String senderKind,
            UUID inResponseTo,
            boolean secure,
            boolean automatic,
            Instant receivedAt,
            List<String> recipients) {}

    /** A queue item routed or assigned to an owner, keyed by the event that did it. */
    public record AssignmentFact(
            UUID eventId, UUID messageId, String ownerType, UUID ownerId, Instant assignedAt) {}

    /**
     * Stores the fact and its recipients together: in the caller's transaction when the connection
     * is already part of one (a listener's batch), else in a transaction of its own.
     * @return whether the message was new
     */
    public boolean recordMessage(MessageFact m, Instant now) {
        return !recordMessages(List.of(m), now).isEmpty();
    }

    /**
     * Stores the facts and their recipients with two statements whatever their number (a listener's
     * whole batch: the statement triggers that keep the measures' aggregates current then run once,
     * not once per message); a message already stored is left as it is, recipients included. In the
     * caller's transaction when the connection takes part in one, else in a transaction of its own.
     * @return the ids of the messages that were new
     */
    public Set<UUID> recordMessages(List<MessageFact> facts, Instant now) {
        if (facts.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (!autoCommit) {
                return insertMessages(
                        c, facts, now); // joins the transaction the connection takes part in
            }
            c.setAutoCommit(false);
            try {
                Set<UUID> inserted = insertMessages(c, facts, now);
                c.commit();
                return inserted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing message facts failed", e);
        }
    }

    private static Set<UUID> insertMessages(Connection c, List<MessageFact> facts, Instant now)
            throws SQLException {
        int n = facts.size();
        UUID[] ids = new UUID[n],
                practices = new UUID[n],
                patients = new UUID[n],
                threads = new UUID[n],
                senders = new UUID[n],
                inResponseTo = new UUID[n];
        String[] senderTypes = new String[n], senderKinds = new String[n], received = new String[n];
        Boolean[] secure = new Boolean[n], automatic = new Boolean[n];
        for (int i = 0; i < n; i++) {
            MessageFact m = facts.get(i);
            ids[i] = m.messageId();
            practices[i] = m.practiceId();
            patients[i] = m.patientId();
            threads[i] = m.threadId();
            senderTypes[i] = m.senderType();
            senders[i] = m.senderId();
            senderKinds[i] = m.senderKind();
            inResponseTo[i] = m.inResponseTo();
            secure[i] = m.secure();
            automatic[i] = m.automatic();
            received[i] = m.receivedAt().toString(); // ISO-8601 in UTC: read as timestamptz below
        }
        Set<UUID> inserted = new HashSet<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        """
                insert into mu_message_fact (message_id, practice_id, patient_id, thread_id, sender_type, sender_id, sender_kind,
                                             in_response_to, secure, automatic, received_at, recorded_at)
                select f.*, ? from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::uuid[],
                                          ?::boolean[], ?::boolean[], ?::text[]::timestamptz[]) as f
                on conflict (message_id) do nothing
                returning message_id""")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setArray(2, c.createArrayOf("uuid", ids));
            s.setArray(3, c.createArrayOf("uuid", practices));
            s.setArray(4, c.createArrayOf("uuid", patients));
            s.setArray(5, c.createArrayOf("uuid", threads));
            s.setArray(6, c.createArrayOf("text", senderTypes));
            s.setArray(7, c.createArrayOf("uuid", senders));
            s.setArray(8, c.createArrayOf("text", senderKinds));
            s.setArray(9, c.createArrayOf("uuid", inResponseTo));
            s.setArray(10, c.createArrayOf("boolean", secure));
            s.setArray(11, c.createArrayOf("boolean", automatic));
            s.setArray(12, c.createArrayOf("text", received));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getObject(1, UUID.class));
                }
            }
        }
        List<UUID> recipientMessages = new ArrayList<>();
        List<String> recipientTypes = new ArrayList<>();
        List<UUID> recipientIds = new ArrayList<>();
        for (MessageFact m : facts) {
            if (!inserted.contains(m.messageId())) {
                continue;
            }
            for (String recipient : m.recipients()) {
                int slash = recipient.indexOf('/');
                if (slash < 0) {
                    throw new IllegalArgumentException("recipient is not Type/id");
                }
                recipientMessages.add(m.messageId());
                recipientTypes.add(recipient.substring(0, slash));
                recipientIds.add(UUID.fromString(recipient.substring(slash + 1)));
            }
        }
        if (!recipientMessages.isEmpty()) {
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    insert into mu_message_recipient_fact (message_id, recipient_type, recipient_id)
                    select * from unnest(?::uuid[], ?::text[], ?::uuid[])
                    on conflict do nothing""")) {
                s.setArray(1, c.createArrayOf("uuid", recipientMessages.toArray(UUID[]::new)));
                s.setArray(2, c.createArrayOf("text", recipientTypes.toArray(String[]::new)));
                s.setArray(3, c.createArrayOf("uuid", recipientIds.toArray(UUID[]::new)));
                s.executeUpdate();
            }
        }
        return inserted;
    }

    /** A queue item routed or assigned to an owner ({@code CareTeam} or {@code Practitioner}). @return whether it was new */
    public boolean recordAssignment(
            UUID eventId, UUID messageId, String ownerType, UUID ownerId, Instant at) {
        return recordAssignments(
                        List.of(new AssignmentFact(eventId, messageId, ownerType, ownerId, at)))
                == 1;
    }

    /** Stores the assignments with one statement; one already stored (by its event id) is left as it is. @return how many were new */
    public int recordAssignments(List<AssignmentFact> facts) {
        if (facts.isEmpty()) {
            return 0;
        }
        int n = facts.size();
        UUID[] events = new UUID[n], messages = new UUID[n], owners = new UUID[n];
        String[] ownerTypes = new String[n], at = new String[n];
        for (int i = 0; i < n; i++) {
            AssignmentFact a = facts.get(i);
            events[i] = a.eventId();
            messages[i] = a.messageId();
            ownerTypes[i] = a.ownerType();
            owners[i] = a.ownerId();
            at[i] = a.assignedAt().toString(); // ISO-8601 in UTC: read as timestamptz below
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                """
                insert into mu_assignment_fact (event_id, message_id, owner_type, owner_id, assigned_at)
                select * from unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::text[]::timestamptz[])
                on conflict (event_id) do nothing""")) {
            s.setArray(1, c.createArrayOf("uuid", events));
            s.setArray(2, c.createArrayOf("uuid", messages));
            s.setArray(3, c.createArrayOf("text", ownerTypes));
            s.setArray(4, c.createArrayOf("uuid", owners));
            s.setArray(5, c.createArrayOf("text", at));
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing assignment facts failed", e);
        }
    }
}
