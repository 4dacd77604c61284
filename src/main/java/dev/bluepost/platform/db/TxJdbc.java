package dev.bluepost.platform.db;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.hibernate.Session;
import org.hibernate.engine.spi.SessionImplementor;

/**
 * Plain SQL on the connection of the caller's transaction, for the small statements the message
 * path runs for every message (processed events, version reads, upserts). Unlike a Hibernate
 * native query it neither flushes the persistence context first nor goes through Hibernate's query
 * interpretation cache (docs/adr/0032-message-path-under-load.md): the statement sees what was
 * flushed, so callers that need their own pending entity changes seen flush first.
 */
public final class TxJdbc {

    private TxJdbc() {}

    /** Runs an insert, update or delete; returns the number of rows it changed. */
    public static int update(EntityManager em, String sql, Object... parameters) {
        return em.unwrap(Session.class)
                .doReturningWork(
                        connection -> {
                            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                                bind(statement, parameters);
                                return statement.executeUpdate();
                            }
                        });
    }

    /**
     * Inserts the rows with one statement whatever their number: {@code insert} is the statement up
     * to {@code values} (for example {@code "insert into t (a, b) values "}), each row one array of
     * its values. (A JDBC batch is rewritten by the driver into statements of 1, 2, 4, 8 … rows: 5
     * rows became 2 statements.) Nothing is run for no rows.
     */
    public static void insertRows(EntityManager em, String insert, java.util.List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int columns = rows.get(0).length;
        String row = "(" + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")";
        String sql = insert + String.join(", ", java.util.Collections.nCopies(rows.size(), row));
        Object[] parameters = new Object[columns * rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, parameters, i * columns, columns);
        }
        update(em, sql, parameters);
    }

    /**
     * Flushes the inserts (and other changes) Hibernate still holds for this transaction, if it holds
     * any: before a plain insert whose row refers to rows an entity of the same transaction may not
     * have written yet. Nothing is done, and no entity is checked, when nothing is queued.
     */
    public static void flushPendingInserts(EntityManager em) {
        if (em.unwrap(SessionImplementor.class).getActionQueue().hasAnyQueuedActions()) {
            em.flush();
        }
    }

    /** The first column of the first row, if any. */
    public static Optional<Object> first(EntityManager em, String sql, Object... parameters) {
        return row(em, sql, parameters).map(columns -> columns[0]);
    }

    /** The first row, all its columns (as the driver maps them: uuid, byte[], Boolean, …), if any. */
    public static Optional<Object[]> row(EntityManager em, String sql, Object... parameters) {
        return em.unwrap(Session.class)
                .doReturningWork(
                        connection -> {
                            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                                bind(statement, parameters);
                                try (ResultSet rows = statement.executeQuery()) {
                                    if (!rows.next()) {
                                        return Optional.empty();
                                    }
                                    Object[] columns =
                                            new Object[rows.getMetaData().getColumnCount()];
                                    for (int i = 0; i < columns.length; i++) {
                                        columns[i] = rows.getObject(i + 1);
                                    }
                                    return Optional.of(columns);
                                }
                            }
                        });
    }

    private static void bind(PreparedStatement statement, Object... parameters)
            throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            statement.setObject(
                    i + 1,
                    value instanceof Instant instant
                            ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)
                            : value);
        }
    }
}
