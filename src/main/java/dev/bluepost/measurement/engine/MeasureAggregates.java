package dev.bluepost.measurement.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The deferred refresh of the measure aggregates PostgreSQL maintains (ADR 0027 part 2, ADR 0031).
 * A bulk writer defers: its transactions mark the encounters they change as stale instead of
 * refreshing the aggregates statement by statement, and it refreshes them all once it is done —
 * one set-based pass, as a single {@code COPY} statement gets. A reader of the aggregates refreshes
 * whatever is stale before it reads, so a report never counts from stale aggregates.
 */
public final class MeasureAggregates {

    /** Stale encounters refreshed per transaction. */
    static final int BATCH = 20_000;

    private MeasureAggregates() {}

    /**
     * Makes the transaction open on {@code c} mark the encounters it changes as stale instead of
     * refreshing the aggregates (until it ends). The caller refreshes them with {@link #refreshStale}.
     */
    public static void deferRefresh(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set local bluepost.mu_defer = on");
        }
    }

    /**
     * Refreshes every encounter marked stale before this call (and any marked meanwhile, up to the
     * last batch), a batch per transaction; returns how many. Waits for a refresh of the same
     * encounters running elsewhere, so that when it returns the aggregates count them.
     */
    public static int refreshStale(DataSource dataSource) {
        int total = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select mu_refresh_stale(?)")) {
            s.setInt(1, BATCH);
            int refreshed;
            do {
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    refreshed = r.getInt(1);
                }
                total += refreshed;
            } while (refreshed == BATCH);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "stale measure aggregates not refreshed (sqlState=" + e.getSQLState() + ")", e);
        }
        return total;
    }
}
