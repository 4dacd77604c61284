package dev.bluepost.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged application with its own real PostgreSQL server and Kafka broker (or a cluster of
 * brokers), all child processes of the test (each can be stopped, killed and started again). The
 * application itself is started by the test, since some tests start it with special settings;
 * {@link #addInstance} adds further instances of the same deployment, as an operator scales out.
 */
public final class PackagedStack implements AutoCloseable {

    public final RestartablePostgres postgres;

    /** The broker, or the first node of the cluster (its {@code bootstrapServers()} names every node). */
    public final ExternalKafkaBroker kafka;

    /** Every broker: one, or the nodes of the cluster. */
    public final List<ExternalKafkaBroker> brokers;

    public final PackagedApp app;
    private final Path work;
    private final LogTailOnFailure logs;
    private final List<PackagedApp> instances = new ArrayList<>();

    private PackagedStack(Path work, LogTailOnFailure logs, int brokerCount) {
        this.work = work;
        this.logs = logs;
        postgres = new RestartablePostgres(work.resolve("postgres"));
        logs.watch(postgres.logFile());
        postgres.start();
        if (brokerCount == 1) {
            brokers = List.of(new ExternalKafkaBroker(work.resolve("kafka")));
            brokers.get(0).start();
        } else {
            brokers = ExternalKafkaBroker.cluster(work.resolve("kafka"), brokerCount);
            ExternalKafkaBroker.startAll(brokers);
        }
        brokers.forEach(b -> logs.watch(b.logFile()));
        kafka = brokers.get(0);
        app = new PackagedApp(work.resolve("app"), postgres, kafka.bootstrapServers());
        if (brokerCount > 1) {
            // as docs/operations.md tells an operator of a three-broker cluster to configure
            app.setEnvironment("BLUEPOST_KAFKA_REPLICATION_FACTOR", String.valueOf(brokerCount));
            app.setEnvironment(
                    "BLUEPOST_KAFKA_MIN_INSYNC_REPLICAS", String.valueOf(brokerCount - 1));
        }
        logs.watch(app.logFile());
        instances.add(app);
    }

    /** Starts PostgreSQL and the broker under {@code work}; their and the app's logs are shown if a test fails. */
    public static PackagedStack start(Path work, LogTailOnFailure logs) {
        return new PackagedStack(work, logs, 1);
    }

    /** Starts PostgreSQL and a cluster of {@code brokers} Kafka brokers; the app uses replication factor {@code brokers}. */
    public static PackagedStack withBrokerCluster(Path work, LogTailOnFailure logs, int brokers) {
        return new PackagedStack(work, logs, brokers);
    }

    /** Another instance of the application (not started), sharing the first one's configuration and keys. */
    public PackagedApp addInstance(String name) {
        PackagedApp instance = app.anotherInstance(work.resolve(name));
        logs.watch(instance.logFile());
        instances.add(instance);
        return instance;
    }

    /** Stops every app instance, then the brokers, then PostgreSQL; each even if an earlier one fails to stop. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable closeable : closingOrder()) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the stack failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private List<AutoCloseable> closingOrder() {
        List<AutoCloseable> order = new ArrayList<>(instances);
        order.addAll(brokers);
        order.add(postgres);
        return order;
    }
}
