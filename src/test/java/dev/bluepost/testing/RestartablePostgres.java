package dev.bluepost.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server (zonky's binaries, run as a child process) that a test can stop and
 * start again on the same port and the same data directory, to simulate a database outage. The
 * data directory lives under {@code target/} and is wiped when the object is created.
 */
public final class RestartablePostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final Path dataDirectory;
    private final Path logFile;
    private final int port;
    private EmbeddedPostgres server;

    public RestartablePostgres(Path workDirectory) {
        this.dataDirectory = workDirectory.resolve("pgdata").toAbsolutePath();
        this.logFile = workDirectory.resolve("postgres.log").toAbsolutePath();
        this.port = FreePorts.pick();
        stopLeftoverServer(dataDirectory);
        TestFiles.deleteRecursively(dataDirectory);
        try {
            Files.createDirectories(workDirectory);
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server (initialising the data directory the first time only). */
    public synchronized RestartablePostgres start() {
        if (server != null) {
            throw new IllegalStateException("PostgreSQL is already running on port " + port);
        }
        try {
            server =
                    EmbeddedPostgres.builder()
                            .setPort(port)
                            .setDataDirectory(dataDirectory)
                            .setCleanDataDirectory(false)
                            .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                            .start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "PostgreSQL did not start on port " + port + " (see " + logFile + ")", e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}: open connections are terminated). */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public Path logFile() {
        return logFile;
    }

    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    /** The single number a query answers, e.g. {@code select count(*) from triage_item where message_id = ?::uuid}. */
    public long queryForLong(String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("update failed: " + sql, e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Ends the server a previous, abruptly ended test run left running on this data directory. */
    private static void stopLeftoverServer(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid)
                    .filter(h -> h.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                    .ifPresent(
                            h -> {
                                h.destroyForcibly();
                                h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                            });
        } catch (IOException | RuntimeException e) {
            System.err.println(
                    "could not stop a left-over PostgreSQL server of " + dataDirectory + ": " + e);
        }
    }
}
