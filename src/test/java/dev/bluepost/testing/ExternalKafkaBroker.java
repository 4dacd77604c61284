package dev.bluepost.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real Kafka broker (KRaft, combined broker + controller) in a child JVM, so that a test can stop
 * it, kill it and start it again on the same ports and the same log directory, as an operator
 * would. Alone ({@link #ExternalKafkaBroker(Path)}) it is a single-node cluster; {@link #cluster}
 * makes the nodes of a cluster of several (a static controller quorum of all of them, replication
 * factor and {@code min.insync.replicas} as in production). The broker runs {@code kafka.Kafka}
 * from the test classpath (kafka_2.13, via kafka-test-common-runtime); like production it does not
 * auto-create topics.
 */
public final class ExternalKafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path workDirectory;
    private final Path logDirectory;
    private final Path properties;
    private final Path loggingProperties;
    private final Path logFile;
    private final Path pidFile;
    private final int port;
    private final int controllerPort;
    private final int nodeId;

    /** The nodes of the cluster ({@code id@host:controllerPort,...}); null for a single node. */
    private final String voters;

    private final int clusterSize;

    /** Every node's client address: what clients of the cluster bootstrap from. */
    private String clusterBootstrap;

    private Process process;

    /** Writes the configuration under {@code workDirectory} (wiped first) and formats the log directory. */
    public ExternalKafkaBroker(Path workDirectory) {
        this(workDirectory, 1, FreePorts.pick(), FreePorts.pick(), null, 1, null);
    }

    /**
     * The {@code size} nodes of one cluster under {@code workDirectory/node-<id>}: each is a broker
     * and a controller, the controllers a static quorum of all of them. Internal topics have
     * replication factor {@code size} and {@code min.insync.replicas} {@code size - 1}. Start them
     * with {@link #startAll}; each node's {@link #bootstrapServers()} names the whole cluster.
     */
    public static List<ExternalKafkaBroker> cluster(Path workDirectory, int size) {
        int[] ports = new int[size];
        int[] controllers = new int[size];
        Set<Integer> taken = new java.util.HashSet<>();
        for (int i = 0; i < size; i++) {
            ports[i] = distinctPort(taken);
            controllers[i] = distinctPort(taken);
        }
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < size; i++) {
            voters.append(i == 0 ? "" : ",")
                    .append(i + 1)
                    .append("@localhost:")
                    .append(controllers[i]);
        }
        String clusterId = Uuid.randomUuid().toString();
        List<ExternalKafkaBroker> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(
                    new ExternalKafkaBroker(
                            workDirectory.resolve("node-" + (i + 1)),
                            i + 1,
                            ports[i],
                            controllers[i],
                            voters.toString(),
                            size,
                            clusterId));
        }
        String bootstrap =
                String.join(",", nodes.stream().map(n -> "localhost:" + n.port).toList());
        nodes.forEach(n -> n.clusterBootstrap = bootstrap);
        return nodes;
    }

    /** Starts every node, then waits until each answers (a cluster's controllers need a majority to start). */
    public static void startAll(List<ExternalKafkaBroker> nodes) {
        nodes.forEach(ExternalKafkaBroker::launch);
        nodes.forEach(ExternalKafkaBroker::awaitReady);
    }

    private static int distinctPort(Set<Integer> taken) {
        int port = FreePorts.pick();
        while (!taken.add(port)) {
            port = FreePorts.pick();
        }
        return port;
    }

    private ExternalKafkaBroker(
            Path workDirectory,
            int nodeId,
            int port,
            int controllerPort,
            String voters,
            int clusterSize,
            String clusterId) {
        this.nodeId = nodeId;
        this.voters = voters;
        this.clusterSize = clusterSize;
        this.workDirectory = workDirectory.toAbsolutePath();
        this.logDirectory = this.workDirectory.resolve("kraft-logs");
        this.properties = this.workDirectory.resolve("server.properties");
        this.loggingProperties = this.workDirectory.resolve("logging.properties");
        this.logFile = this.workDirectory.resolve("kafka.log");
        this.pidFile = this.workDirectory.resolve("kafka.pid");
        this.port = port;
        int controller = controllerPort;
        while (controller == port) {
            controller = FreePorts.pick();
        }
        this.controllerPort = controller;
        this.clusterBootstrap = "localhost:" + port;
        try {
            Files.createDirectories(this.workDirectory);
            ChildProcesses.killLeftover(pidFile);
            TestFiles.deleteRecursively(logDirectory);
            Files.deleteIfExists(logFile);
            Files.writeString(properties, serverProperties(), StandardCharsets.UTF_8);
            Files.writeString(loggingProperties, LOGGING, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        format(clusterId);
    }

    private String serverProperties() {
        return voters == null ? singleNodeProperties() : clusterNodeProperties();
    }

    private String clusterNodeProperties() {
        int minInsync = Math.max(1, clusterSize - 1);
        return """
                process.roles=broker,controller
                node.id=%4$d
                controller.quorum.voters=%5$s
                listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
                advertised.listeners=PLAINTEXT://localhost:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                num.partitions=1
                auto.create.topics.enable=false
                default.replication.factor=%6$d
                min.insync.replicas=%7$d
                offsets.topic.replication.factor=%6$d
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=%6$d
                transaction.state.log.min.isr=%7$d
                share.coordinator.state.topic.replication.factor=%6$d
                share.coordinator.state.topic.min.isr=%7$d
                group.initial.rebalance.delay.ms=0
                """
                .formatted(
                        port, controllerPort, logDirectory, nodeId, voters, clusterSize, minInsync);
    }

    private String singleNodeProperties() {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=localhost:%2$d
                listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
                advertised.listeners=PLAINTEXT://localhost:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                num.partitions=1
                auto.create.topics.enable=false
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """
                .formatted(port, controllerPort, logDirectory);
    }

    /**
     * JBoss LogManager configuration for the broker JVM: the test classpath binds SLF4J (which Kafka
     * logs through) to JBoss LogManager.
     */
    private static final String LOGGING =
            """
            loggers=kafka,org.apache.kafka,state.change.logger,kafka.server.KafkaRaftServer
            logger.level=INFO
            logger.handlers=CONSOLE
            logger.kafka.level=WARN
            logger.org.apache.kafka.level=WARN
            logger.state.change.logger.level=WARN
            logger.kafka.server.KafkaRaftServer.level=INFO
            handler.CONSOLE=org.jboss.logmanager.handlers.ConsoleHandler
            handler.CONSOLE.properties=autoFlush,target
            handler.CONSOLE.autoFlush=true
            handler.CONSOLE.target=SYSTEM_OUT
            handler.CONSOLE.formatter=PATTERN
            formatter.PATTERN=org.jboss.logmanager.formatters.PatternFormatter
            formatter.PATTERN.properties=pattern
            formatter.PATTERN.pattern=%d{HH:mm:ss.SSS} %-5p [%c] (%t) %s%e%n
            """;

    private void format(String clusterId) {
        ProcessBuilder builder =
                voters == null
                        ? java(
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                properties.toString(),
                                "--standalone")
                        : java(
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                clusterId,
                                "-c",
                                properties.toString());
        Path formatPid = workDirectory.resolve("kafka-format.pid");
        Process formatter = ChildProcesses.start(builder, formatPid);
        try {
            if (!formatter.waitFor(60, TimeUnit.SECONDS) || formatter.exitValue() != 0) {
                formatter.destroyForcibly();
                throw new IllegalStateException(
                        "formatting the Kafka log directory failed; see "
                                + logFile
                                + ":\n"
                                + LogTailOnFailure.tail(logFile, 30));
            }
        } catch (InterruptedException e) {
            formatter.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            ChildProcesses.forget(formatter, formatPid);
        }
    }

    /** Starts the broker and waits until it answers (bounded). */
    public synchronized ExternalKafkaBroker start() {
        launch();
        awaitReady();
        return this;
    }

    private synchronized void launch() {
        if (process != null) {
            throw new IllegalStateException("the broker is already running");
        }
        appendToLog("----- starting broker " + nodeId + " on localhost:" + port + " -----");
        process = ChildProcesses.start(java("kafka.Kafka", properties.toString()), pidFile);
    }

    private void awaitReady() {
        Process started;
        synchronized (this) {
            started = process;
        }
        await("Kafka broker on localhost:" + port)
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .failFast("the broker process exited; see " + logFile, () -> !started.isAlive())
                .until(this::answers);
    }

    /** Kills the broker with SIGKILL (no controlled shutdown) and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            throw new IllegalStateException("the broker is not running");
        }
        Process killed = process;
        killed.destroyForcibly();
        try {
            if (!killed.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the broker survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ChildProcesses.forget(killed, pidFile);
        process = null;
        appendToLog("----- broker killed (SIGKILL) -----");
    }

    /** Stops the broker the way an operator would (SIGTERM, controlled shutdown) and waits until it has exited. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        ChildProcesses.stop(process, pidFile, 30);
        process = null;
        appendToLog("----- broker stopped -----");
        await("port " + port + " closed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> !FreePorts.listening(port));
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Where clients bootstrap from: this node alone, or every node of its cluster. */
    public String bootstrapServers() {
        return clusterBootstrap;
    }

    /** This node's id in its cluster (1 for a single node). */
    public int nodeId() {
        return nodeId;
    }

    public Path logFile() {
        return logFile;
    }

    private boolean answers() {
        try (Admin admin = admin("localhost:" + port)) {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                    .anyMatch(n -> n.id() == nodeId);
        } catch (Exception e) {
            return false;
        }
    }

    public Admin admin() {
        return admin(bootstrapServers());
    }

    private static Admin admin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
        return Admin.create(props);
    }

    /** Every record of {@code topic}, read from the beginning up to the current end of each partition. */
    public List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " up to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The offsets consumer group {@code groupId} has committed (empty when it has committed nothing). */
    public Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) {
        try (Admin admin = admin()) {
            return admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + groupId, e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private ProcessBuilder java(String mainClass, String... arguments) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xms256m",
                                "-Xmx512m",
                                "-XX:TieredStopAtLevel=1",
                                "-XX:+UseSerialGC",
                                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                                "-Dlogging.configuration=" + loggingProperties.toUri(),
                                "-cp",
                                brokerClasspath(),
                                mainClass));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command)
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(
                    logFile,
                    line + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test classpath, with a manifest-only launcher jar (Surefire/Failsafe) expanded, minus
     * quarkus-bootstrap-runner: its LogManager configurator would hold every log record back until
     * a Quarkus application configures logging, which the broker JVM never does.
     */
    static String brokerClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.addAll(expandManifestOnlyJar(entry));
        }
        entries.removeIf(
                e -> Path.of(e).getFileName().toString().startsWith("quarkus-bootstrap-runner"));
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> expandManifestOnlyJar(String entry) {
        if (!entry.endsWith(".jar")
                || !Path.of(entry).getFileName().toString().startsWith("surefirebooter")) {
            return List.of(entry);
        }
        try (JarFile jar = new JarFile(entry)) {
            Manifest manifest = jar.getManifest();
            String classPath =
                    manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null) {
                return List.of(entry);
            }
            List<String> expanded = new ArrayList<>();
            for (String url : classPath.trim().split("\\s+")) {
                URI uri = Path.of(entry).toUri().resolve(url);
                expanded.add(Path.of(uri).toString());
            }
            return expanded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
