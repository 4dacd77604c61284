package dev.bluepost.fhir;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * How a bulk export reads a type's rows: a forward-only cursor ({@code fetchSize} rows per round trip)
 * in a read-only, repeatable-read transaction of its own (one snapshot), so that memory stays the
 * same whatever the number of rows. One place for what every exporting handler does.
 */
public final class ExportRows {

    /** Takes one row of the cursor (its columns as the select names them). */
    public interface Row {
        void accept(ResultSet row) throws SQLException;
    }

    private ExportRows() {}

    /** Runs {@code sql} with {@code parameters} (UUIDs, instants) and hands every row to {@code row} as it is read. */
    public static void stream(
            DataSource dataSource, String sql, List<Object> parameters, int fetchSize, Row row) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement s =
                    c.prepareStatement(
                            sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                for (int i = 0; i < parameters.size(); i++) {
                    Object value = parameters.get(i);
                    s.setObject(
                            i + 1,
                            value instanceof Instant instant ? Timestamp.from(instant) : value);
                }
                s.setFetchSize(fetchSize);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        row.accept(r);
                    }
                }
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rows not read for export", e);
        }
    }

    /**
     * The ids {@code sql} selects (its first column), handed on {@code fetchSize} at a time (the last
     * batch smaller): for types whose resources are built from more than one row (decrypted, opened).
     */
    public static void idBatches(
            DataSource dataSource,
            String sql,
            List<Object> parameters,
            int fetchSize,
            Consumer<List<UUID>> batch) {
        List<UUID> ids = new ArrayList<>(fetchSize);
        stream(
                dataSource,
                sql,
                parameters,
                fetchSize,
                r -> {
                    ids.add(r.getObject(1, UUID.class));
                    if (ids.size() == fetchSize) {
                        batch.accept(List.copyOf(ids));
                        ids.clear();
                    }
                });
        if (!ids.isEmpty()) {
            batch.accept(List.copyOf(ids));
        }
    }
}
