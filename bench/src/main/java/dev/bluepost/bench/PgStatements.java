package dev.bluepost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * pg_stat_statements over the measured steps (bench/run.sh with BENCH_PGSS=1): reset before the
 * first step, then the statements of the benchmark's database by total execution time, with calls
 * and time per accepted message, so the database's share of a message can be read query by query.
 */
final class PgStatements {

    private final String url;
    private final String user;
    private final String password;

    PgStatements(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void reset() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("select pg_stat_statements_reset()");
        }
    }

    void write(Path file, long messages) throws SQLException, IOException {
        StringBuilder out =
                new StringBuilder(
                        "pg_stat_statements over the measured steps; messages accepted: "
                                + messages
                                + "\n");
        out.append("calls/msg | ms/msg | mean ms | rows/call | query\n");
        double totalMs = 0;
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "select calls, total_exec_time, mean_exec_time, rows, regexp_replace(query, '\\s+', ' ', 'g')"
                                        + " from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())"
                                        + " order by total_exec_time desc limit 60")) {
            while (r.next()) {
                long calls = r.getLong(1);
                double total = r.getDouble(2);
                totalMs += total;
                String query = r.getString(5);
                out.append(
                        "%.2f | %.3f | %.3f | %.1f | %s%n"
                                .formatted(
                                        messages == 0 ? 0.0 : (double) calls / messages,
                                        messages == 0 ? 0.0 : total / messages,
                                        r.getDouble(3),
                                        calls == 0 ? 0.0 : (double) r.getLong(4) / calls,
                                        query.length() > 220
                                                ? query.substring(0, 220) + "…"
                                                : query));
            }
        }
        out.append(
                "top statements' execution time per message: %.3f ms%n"
                        .formatted(messages == 0 ? 0.0 : totalMs / messages));
        Files.writeString(file, out);
        LoadDriver.log("pg_stat_statements written to " + file);
    }
}
