package dev.bluepost.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The SQL of the chain: appending under the chain-head lock, and reading rows back for
 * verification. Runs in the caller's transaction, on its connection (the pool hands out the
 * connection already enlisted in that transaction).
 */
@ApplicationScoped
class AuditChain {

    /** The chain head as stored: the last sequence number and its hash. */
    record Head(long sequence, String hash) {
    }

    private static final String COLUMNS = "sequence_number, occurred_at, actor_user_id, actor_client_id, actor_roles, "
            + "on_behalf_of_patient_id, action, resource_type, resource_id, patient_id, practice_id, outcome, reason_code, "
            + "source_ip, request_id, previous_hash, hash";

    private final EntityManager em;
    private final DataSource dataSource;

    AuditChain(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("audit log statement failed (sqlState=" + e.getSQLState() + ")", e);
        }
    }

    /**
     * Appends the rows in order. Pending entity changes are flushed first, so that the chain head
     * is the last lock this transaction takes: a writer that holds the head never waits for
     * another lock, which rules out deadlocks. The head stays locked until the transaction ends,
     * so concurrent writers queue and form one linear, gap-free chain.
     */
    List<AuditRow> append(List<AuditRow> pending) {
        em.flush();
        return withConnection(connection -> {
            Head head = lockHead(connection);
            List<AuditRow> written = new ArrayList<>(pending.size());
            long sequence = head.sequence();
            String previous = head.hash();
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into audit_event (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AuditRow row : pending) {
                    AuditRow linked = row.link(++sequence, previous);
                    bind(insert, linked);
                    insert.addBatch();
                    written.add(linked);
                    previous = linked.hash();
                }
                insert.executeBatch();
            }
            return written;
        });
    }

    /**
     * Joins the caller's transaction now (Hibernate's session and the connection), so that the
     * append at commit time needs no new enlistment: none is allowed once the commit has begun.
     */
    void joinTransaction() {
        em.joinTransaction();
        withConnection(connection -> null);
    }

    /** The head, in the caller's (read-only) transaction. */
    Head head() {
        return withConnection(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "select last_sequence, last_hash from audit_chain_head where id = 1");
                 ResultSet result = query.executeQuery()) {
                return result.next() ? new Head(result.getLong(1), result.getString(2)) : new Head(0, AuditRow.GENESIS);
            }
        });
    }

    /** Makes the caller's transaction see one snapshot for all following reads (call first). */
    void useOneSnapshot() {
        withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "set transaction isolation level repeatable read, read only")) {
                return statement.execute();
            }
        });
    }

    /** Up to {@code limit} rows with a sequence number above {@code after}, in order. */
    List<AuditRow> rowsAfter(long after, int limit) {
        return withConnection(connection -> {
            try (PreparedStatement query = connection.prepareStatement("select " + COLUMNS
                    + " from audit_event where sequence_number > ? order by sequence_number limit ?")) {
                query.setLong(1, after);
                query.setInt(2, limit);
                return read(query);
            }
        });
    }

    Optional<AuditRow> byHash(String hash) {
        return withConnection(connection -> {
            try (PreparedStatement query = connection.prepareStatement("select " + COLUMNS
                    + " from audit_event where hash = ?")) {
                query.setString(1, hash);
                return read(query).stream().findFirst();
            }
        });
    }

    AuditService.Recording recording(UUID practiceId) {
        return withConnection(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "select patient_access_recorded, changed_at, changed_by from audit_recording where practice_id = ?")) {
                query.setObject(1, practiceId, Types.OTHER);
                try (ResultSet r = query.executeQuery()) {
                    return r.next() ? new AuditService.Recording(r.getBoolean(1), r.getObject(2, OffsetDateTime.class).toInstant(),
                            r.getObject(3, UUID.class)) : new AuditService.Recording(true, null, null);
                }
            }
        });
    }

    void setRecording(UUID practiceId, boolean recorded, java.time.Instant at, UUID by) {
        withConnection(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("insert into audit_recording "
                    + "(practice_id, patient_access_recorded, changed_at, changed_by) values (?, ?, ?, ?) "
                    + "on conflict (practice_id) do update set patient_access_recorded = excluded.patient_access_recorded, "
                    + "changed_at = excluded.changed_at, changed_by = excluded.changed_by")) {
                upsert.setObject(1, practiceId, Types.OTHER);
                upsert.setBoolean(2, recorded);
                upsert.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                upsert.setObject(4, by, Types.OTHER);
                return upsert.executeUpdate();
            }
        });
    }

    private static Head lockHead(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "select last_sequence, last_hash from audit_chain_head where id = 1 for update");
             ResultSet result = query.executeQuery()) {
            if (!result.next()) {
                throw new IllegalStateException("audit_chain_head is missing: the audit log cannot be appended to");
            }
            return new Head(result.getLong(1), result.getString(2));
        }
    }

    private static void bind(PreparedStatement insert, AuditRow row) throws SQLException {
        insert.setLong(1, row.sequenceNumber());
        insert.setObject(2, OffsetDateTime.ofInstant(row.occurredAt(), ZoneOffset.UTC));
        insert.setObject(3, row.actorUserId(), Types.OTHER);
        insert.setString(4, row.actorClientId());
        insert.setString(5, row.actorRoles());
        insert.setObject(6, row.onBehalfOfPatientId(), Types.OTHER);
        insert.setString(7, row.action());
        insert.setString(8, row.resourceType());
        insert.setString(9, row.resourceId());
        insert.setObject(10, row.patientId(), Types.OTHER);
        insert.setObject(11, row.practiceId(), Types.OTHER);
        insert.setString(12, row.outcome());
        insert.setString(13, row.reasonCode());
        insert.setString(14, row.sourceIp());
        insert.setString(15, row.requestId());
        insert.setString(16, row.previousHash());
        insert.setString(17, row.hash());
    }

    private static List<AuditRow> read(PreparedStatement query) throws SQLException {
        List<AuditRow> rows = new ArrayList<>();
        try (ResultSet r = query.executeQuery()) {
            while (r.next()) {
                rows.add(new AuditRow(r.getLong(1), r.getObject(2, OffsetDateTime.class).toInstant(), r.getObject(3, UUID.class), r.getString(4),
                        r.getString(5), r.getObject(6, UUID.class), r.getString(7), r.getString(8), r.getString(9),
                        r.getObject(10, UUID.class), r.getObject(11, UUID.class), r.getString(12), r.getString(13),
                        r.getString(14), r.getString(15), r.getString(16), r.getString(17)));
            }
        }
        return rows;
    }
}
