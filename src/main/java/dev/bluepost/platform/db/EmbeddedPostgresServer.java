package dev.bluepost.platform.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server (zonky's binaries from Maven Central) whose data directory survives
 * restarts: the demo keeps its practice, messages and keys between runs. One per JVM.
 */
public final class EmbeddedPostgresServer {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    public static final String DATABASE = "bluepost";
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);

    private static EmbeddedPostgresServer instance;

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    public static synchronized EmbeddedPostgresServer startOnce(Path dataDirectory, int port) {
        if (instance == null) {
            instance = start(dataDirectory.toAbsolutePath().normalize(), port);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    EmbeddedPostgresServer::stopRunning, "embedded-postgres-stop"));
        }
        return instance;
    }

    /** Stops the server if this JVM started one; safe to call more than once. */
    public static synchronized void stopRunning() {
        if (instance != null) {
            try {
                instance.postgres.close();
                LOG.infof("embedded PostgreSQL stopped (data kept in %s)", instance.dataDirectory);
            } catch (IOException e) {
                LOG.warnf(
                        "embedded PostgreSQL did not stop cleanly: %s",
                        e.getClass().getSimpleName());
            }
            instance = null;
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    private static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory.getParent());
            stopOrphanedServer(dataDirectory);
            long started = System.nanoTime();
            EmbeddedPostgres postgres =
                    EmbeddedPostgres.builder()
                            .setDataDirectory(dataDirectory)
                            .setCleanDataDirectory(false)
                            .setPort(port)
                            .setRegisterShutdownHook(false)
                            .setPGStartupWait(Duration.ofSeconds(30))
                            .setServerConfig("max_connections", "100")
                            // zonky tunes for throw-away test databases; the demo's data must
                            // survive a crash
                            .setServerConfig("fsync", "on")
                            .setServerConfig("synchronous_commit", "on")
                            .setServerConfig("full_page_writes", "on")
                            .setOutputRedirector(
                                    ProcessBuilder.Redirect.appendTo(
                                            dataDirectory.resolveSibling("postgres.log").toFile()))
                            .setErrorRedirector(
                                    ProcessBuilder.Redirect.appendTo(
                                            dataDirectory.resolveSibling("postgres.log").toFile()))
                            .start();
            createDatabaseIfMissing(postgres);
            LOG.infof(
                    "embedded PostgreSQL ready on port %d in %d ms (data in %s)",
                    postgres.getPort(), (System.nanoTime() - started) / 1_000_000, dataDirectory);
            return new EmbeddedPostgresServer(postgres, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the embedded PostgreSQL could not start in " + dataDirectory, e);
        }
    }

    /**
     * A JVM killed with SIGKILL leaves its PostgreSQL running on the data directory; stop it (a
     * smart shutdown: it has no clients left) so this start can take the directory over.
     */
    private static void stopOrphanedServer(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> process =
                lines.isEmpty()
                        ? Optional.empty()
                        : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        if (process.isPresent() && process.get().isAlive()) {
            LOG.infof(
                    "stopping an orphaned embedded PostgreSQL (pid %d) left by an earlier run",
                    process.get().pid());
            process.get().destroy();
            try {
                process.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                process.get().destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile);
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres postgres) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists =
                        connection.prepareStatement(
                                "select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    connection.createStatement().execute("create database " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the " + DATABASE + " database", e);
        }
    }
}
