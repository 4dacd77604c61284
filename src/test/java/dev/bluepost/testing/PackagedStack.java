package dev.bluepost.testing;

import java.nio.file.Path;

/**
 * The packaged application with its own real PostgreSQL server and Kafka broker, all child
 * processes of the test (each can be stopped, killed and started again). The application itself
 * is started by the test, since some tests start it with special settings.
 */
public final class PackagedStack implements AutoCloseable {

    public final RestartablePostgres postgres;
    public final ExternalKafkaBroker kafka;
    public final PackagedApp app;

    private PackagedStack(Path work, LogTailOnFailure logs) {
        postgres = new RestartablePostgres(work.resolve("postgres"));
        logs.watch(postgres.logFile());
        postgres.start();
        kafka = new ExternalKafkaBroker(work.resolve("kafka"));
        logs.watch(kafka.logFile());
        kafka.start();
        app = new PackagedApp(work.resolve("app"), postgres, kafka);
        logs.watch(app.logFile());
    }

    /** Starts PostgreSQL and the broker under {@code work}; their and the app's logs are shown if a test fails. */
    public static PackagedStack start(Path work, LogTailOnFailure logs) {
        return new PackagedStack(work, logs);
    }

    /** Stops the app, then the broker, then PostgreSQL; each even if an earlier one fails to stop. */
    @Override
    public void close() {
        try {
            app.close();
        } finally {
            try {
                kafka.close();
            } finally {
                postgres.close();
            }
        }
    }
}
