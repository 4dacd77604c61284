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
    record Head(long sequence, String hash) {}

    private static final String COLUMNS =
            "sequence_number, occurred_at, actor_user_id, actor_client_id, actor_roles, "
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
            throw new IllegalStateException(
                    "audit log statement failed (sqlState=" + e.getSQLState() + ")", e);
        }
    }

    private static final String JOURNAL_COLUMNS =
            "occurred_at, actor_user_id, actor_client_id, actor_roles, "
                    + "on_behalf_of_patient_id, action, resource_type, resource_id, patient_id, practice_id, outcome, reason_code, "
                    + "source_ip, request_id";

    /**
     * Writes the rows to the journal in the caller's transaction (the chainer links them later).
     * Pending entity changes are flushed first, so the entries are the transaction's last statements.
     * No lock is taken: concurrent transactions journal side by side.
     */
    void journal(List<AuditRow> pending) {
        if (pending.isEmpty()) {
            return;
        }
        em.flush();
        withConnection(
                connection -> {
                    try (PreparedStatement insert =
                            connection.prepareStatement(
                                    "insert into audit_journal ("
                                            + JOURNAL_COLUMNS
                                            + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        for (AuditRow row : pending) {
                            bindUnlinked(insert, row, 0);
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                    return null;
                });
    }

    /**
     * Links up to {@code max} journal entries into the chain, oldest first, in the caller's
     * transaction: locks the chain head (so concurrent chainers queue), reads the journal after
     * the lock (a chainer that waited sees what the previous one took), appends and removes them.
     * Returns how many were linked.
     */
    int linkJournal(int max) {
        em.flush();
        return withConnection(
                connection -> {
                    Head head = lockHead(connection);
                    List<Long> ids = new ArrayList<>(max);
                    List<AuditRow> rows = new ArrayList<>(max);
                    try (PreparedStatement query =
                            connection.prepareStatement(
                                    "select journal_id, "
                                            + JOURNAL_COLUMNS
                                            + " from audit_journal order by journal_id limit ?")) {
                        query.setInt(1, max);
                        try (ResultSet r = query.executeQuery()) {
                            while (r.next()) {
                                ids.add(r.getLong(1));
                                rows.add(
                                        new AuditRow(
                                                0,
                                                r.getObject(2, OffsetDateTime.class).toInstant(),
                                                r.getObject(3, UUID.class),
                                                r.getString(4),
                                                r.getString(5),
                                                r.getObject(6, UUID.class),
                                                r.getString(7),
                                                r.getString(8),
                                                r.getString(9),
                                                r.getObject(10, UUID.class),
                                                r.getObject(11, UUID.class),
                                                r.getString(12),
                                                r.getString(13),
                                                r.getString(14),
                                                r.getString(15),
                                                null,
                                                null));
                            }
                        }
                    }
                    if (rows.isEmpty()) {
                        return 0;
                    }
                    insertLinked(connection, head, rows);
                    try (PreparedStatement delete =
                            connection.prepareStatement(
                                    "delete from audit_journal where journal_id = any(?)")) {
                        delete.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                        delete.executeUpdate();
                    }
                    return rows.size();
                });
    }

    /** How many entries wait in the journal (for the metrics). */
    long journalLength() {
        return withConnection(
                connection -> {
                    try (PreparedStatement query =
                                    connection.prepareStatement(
                                            "select count(*) from audit_journal");
                            ResultSet r = query.executeQuery()) {
                        return r.next() ? r.getLong(1) : 0L;
                    }
                });
    }

    private static List<AuditRow> insertLinked(
            Connection connection, Head head, List<AuditRow> pending) throws SQLException {
        List<AuditRow> written = new ArrayList<>(pending.size());
        long sequence = head.sequence();
        String previous = head.hash();
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "insert into audit_event ("
                                + COLUMNS
                                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
        return withConnection(
                connection -> {
                    try (PreparedStatement query =
                                    connection.prepareStatement(
                                            "select last_sequence, last_hash from audit_chain_head where id = 1");
                            ResultSet result = query.executeQuery()) {
                        return result.next()
                                ? new Head(result.getLong(1), result.getString(2))
                                : new Head(0, AuditRow.GENESIS);
                    }
                });
    }

    /** Makes the caller's transaction see one snapshot for all following reads (call first). */
    void useOneSnapshot() {
        withConnection(
                connection -> {
                    try (PreparedStatement statement =
                            connection.prepareStatement(
                                    "set transaction isolation level repeatable read, read only")) {
                        return statement.execute();
                    }
                });
    }

    /** Up to {@code limit} rows with a sequence number above {@code after}, in order. */
    List<AuditRow> rowsAfter(long after, int limit) {
        return withConnection(
                connection -> {
                    try (PreparedStatement query =
                            connection.prepareStatement(
                                    "select "
                                            + COLUMNS
                                            + " from audit_event where sequence_number > ? order by sequence_number limit ?")) {
                        query.setLong(1, after);
                        query.setInt(2, limit);
                        return read(query);
                    }
                });
    }

    Optional<AuditRow> byHash(String hash) {
        return withConnection(
                connection -> {
                    try (PreparedStatement query =
                            connection.prepareStatement(
                                    "select " + COLUMNS + " from audit_event where hash = ?")) {
                        query.setString(1, hash);
                        return read(query).stream().findFirst();
                    }
                });
    }

    AuditRecorder.Recording recording(UUID practiceId) {
        return withConnection(
                connection -> {
                    try (PreparedStatement query =
                            connection.prepareStatement(
                                    "select patient_access_recorded, changed_at, changed_by from audit_recording where practice_id = ?")) {
                        query.setObject(1, practiceId, Types.OTHER);
                        try (ResultSet r = query.executeQuery()) {
                            return r.next()
                                    ? new AuditRecorder.Recording(
                                            r.getBoolean(1),
                                            r.getObject(2, OffsetDateTime.class).toInstant(),
                                            r.getObject(3, UUID.class))
                                    : new AuditRecorder.Recording(true, null, null);
                        }
                    }
                });
    }

    void setRecording(UUID practiceId, boolean recorded, java.time.Instant at, UUID by) {
        withConnection(
                connection -> {
                    try (PreparedStatement upsert =
                            connection.prepareStatement(
                                    "insert into audit_recording "
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
        try (PreparedStatement query =
                        connection.prepareStatement(
                                "select last_sequence, last_hash from audit_chain_head where id = 1 for update");
                ResultSet result = query.executeQuery()) {
            if (!result.next()) {
                throw new IllegalStateException(
                        "audit_chain_head is missing: the audit log cannot be appended to");
            }
            return new Head(result.getLong(1), result.getString(2));
        }
    }

    private static void bind(PreparedStatement insert, AuditRow row) throws SQLException {
        insert.setLong(1, row.sequenceNumber());
        bindUnlinked(insert, row, 1);
        insert.setString(16, row.previousHash());
        insert.setString(17, row.hash());
    }

    /** The entry's own columns (time … request id), from parameter {@code offset + 1} on. */
    private static void bindUnlinked(PreparedStatement insert, AuditRow row, int offset)
            throws SQLException {
        insert.setObject(offset + 1, OffsetDateTime.ofInstant(row.occurredAt(), ZoneOffset.UTC));
        insert.setObject(offset + 2, row.actorUserId(), Types.OTHER);
        insert.setString(offset + 3, row.actorClientId());
        insert.setString(offset + 4, row.actorRoles());
        insert.setObject(offset + 5, row.onBehalfOfPatientId(), Types.OTHER);
        insert.setString(offset + 6, row.action());
        insert.setString(offset + 7, row.resourceType());
        insert.setString(offset + 8, row.resourceId());
        insert.setObject(offset + 9, row.patientId(), Types.OTHER);
        insert.setObject(offset + 10, row.practiceId(), Types.OTHER);
        insert.setString(offset + 11, row.outcome());
        insert.setString(offset + 12, row.reasonCode());
        insert.setString(offset + 13, row.sourceIp());
        insert.setString(offset + 14, row.requestId());
    }

    private static List<AuditRow> read(PreparedStatement query) throws SQLException {
        List<AuditRow> rows = new ArrayList<>();
        try (ResultSet r = query.executeQuery()) {
            while (r.next()) {
                rows.add(
                        new AuditRow(
                                r.getLong(1),
                                r.getObject(2, OffsetDateTime.class).toInstant(),
                                r.getObject(3, UUID.class),
                                r.getString(4),
                                r.getString(5),
                                r.getObject(6, UUID.class),
                                r.getString(7),
                                r.getString(8),
                                r.getString(9),
                                r.getObject(10, UUID.class),
                                r.getObject(11, UUID.class),
                                r.getString(12),
                                r.getString(13),
                                r.getString(14),
                                r.getString(15),
                                r.getString(16),
                                r.getString(17)));
            }
        }
        return rows;
    }
}
