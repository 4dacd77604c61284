package dev.bluepost.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench on the same PostgreSQL, database and login as the application: a custom script of one
 * transaction with two INSERTs into a small table, with as many clients as the application's
 * connection pool. The baseline of "what this PostgreSQL on this machine commits per second".
 */
final class PgBench {

    record Result(List<Double> runs, double median) {
        String runsText() {
            return runs.stream().map(v -> "%.0f".formatted(v)).toList().toString();
        }
    }

    static final String SCRIPT =
            """
            \\set k random(1, 1000000000)
            BEGIN;
            INSERT INTO bench_pgbench (k, v, created_at) VALUES (:k, 'pgbench two-insert baseline', now());
            INSERT INTO bench_pgbench (k, v, created_at) VALUES (:k + 1, 'pgbench two-insert baseline', now());
            END;
            """;

    private static final Pattern TPS =
            Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final LoadDriver.Config config;

    PgBench(LoadDriver.Config config) {
        this.config = config;
    }

    Result run() throws IOException, InterruptedException, SQLException {
        try (Connection con =
                        DriverManager.getConnection(
                                config.jdbcUrl(), config.dbUser(), config.dbPassword());
                Statement st = con.createStatement()) {
            st.execute(
                    "create table if not exists bench_pgbench (id bigint generated always as identity primary key, "
                            + "k bigint not null, v text not null, created_at timestamptz not null)");
            st.execute("truncate bench_pgbench");
        }
        Path script = config.out().resolve("pgbench-2insert.sql");
        Files.writeString(script, SCRIPT);
        List<Double> runs = new ArrayList<>();
        for (int i = 1; i <= config.pgbenchRuns(); i++) {
            String loadBefore = Proc.loadAverage();
            List<String> command =
                    List.of(
                            "pgbench",
                            "-n",
                            "-M",
                            "prepared",
                            "-c",
                            Integer.toString(config.pgbenchClients()),
                            "-j",
                            "2",
                            "-T",
                            Integer.toString(config.pgbenchSeconds()),
                            "-f",
                            script.toString(),
                            "-h",
                            config.pgHost(),
                            "-p",
                            Integer.toString(config.pgPort()),
                            "-U",
                            config.dbUser(),
                            config.pgDatabase());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", config.dbPassword());
            Process process = builder.start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            Files.writeString(
                    config.out().resolve("pgbench-run" + i + ".txt"),
                    String.join(" ", command) + "\n" + output);
            Matcher m = TPS.matcher(output);
            if (exit != 0 || !m.find()) {
                throw new IllegalStateException("pgbench failed (exit " + exit + "):\n" + output);
            }
            double tps = Double.parseDouble(m.group(1));
            runs.add(tps);
            LoadDriver.log(
                    "pgbench run %d: %.0f tps (2 inserts per transaction, %d clients, %d s; load %s → %s)"
                            .formatted(
                                    i,
                                    tps,
                                    config.pgbenchClients(),
                                    config.pgbenchSeconds(),
                                    loadBefore,
                                    Proc.loadAverage()));
        }
        double[] sorted = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median =
                sorted.length % 2 == 1
                        ? sorted[sorted.length / 2]
                        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new Result(runs, median);
    }
}
