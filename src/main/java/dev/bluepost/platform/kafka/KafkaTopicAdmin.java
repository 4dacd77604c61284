package dev.bluepost.platform.kafka;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates Bluepost's topics with their configured partition counts (the broker does not
 * auto-create topics) and answers whether the broker is reachable. Creation is tried at start-up
 * and again by the outbox relay before it publishes, so an app started while the broker is down
 * catches up by itself.
 */
@ApplicationScoped
public class KafkaTopicAdmin {

    private static final long TIMEOUT_MS = 5_000;

    private final KafkaConfig config;
    private final String bootstrapServers;
    private volatile Admin admin;
    private volatile boolean created;

    public KafkaTopicAdmin(
            KafkaConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        try {
            ensureCreated();
        } catch (RuntimeException e) {
            Log.warnf(
                    "kafka topics not created at start-up (%s); the outbox relay will retry",
                    e.getClass().getSimpleName());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }

    public String nameOf(String topicKey) {
        KafkaConfig.Topic topic = config.topics().get(topicKey);
        if (topic == null) {
            throw new IllegalStateException("no configuration for topic key " + topicKey);
        }
        return topic.name();
    }

    public String nameOf(Topics topic) {
        return nameOf(topic.key());
    }

    /** Creates missing topics; a no-op once it has succeeded. */
    public void ensureCreated() {
        if (created) {
            return;
        }
        synchronized (this) {
            if (created) {
                return;
            }
            try {
                Set<String> existing =
                        admin().listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                List<NewTopic> missing =
                        config.topics().values().stream()
                                .filter(t -> !existing.contains(t.name()))
                                .map(
                                        t ->
                                                new NewTopic(
                                                                t.name(),
                                                                t.partitions(),
                                                                config.replicationFactor())
                                                        .configs(
                                                                config.minInsyncReplicas()
                                                                        .map(
                                                                                min ->
                                                                                        Map.of(
                                                                                                "min.insync.replicas",
                                                                                                String
                                                                                                        .valueOf(
                                                                                                                min)))
                                                                        .orElse(Map.of())))
                                .toList();
                for (NewTopic topic : missing) {
                    try {
                        admin().createTopics(List.of(topic))
                                .all()
                                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                        Log.infof(
                                "kafka topic=%s partitions=%d created",
                                topic.name(), topic.numPartitions());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
                created = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("kafka topics could not be created", e);
            }
        }
    }

    /** True when the broker answers a cluster description within a few seconds. */
    public boolean brokerReachable() {
        try {
            return !admin().describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * A consumer group's position on a topic: per partition, the group's committed offset and the
     * log-end offset (partitions the group has not committed on count from the log's start).
     */
    public Map<org.apache.kafka.common.TopicPartition, long[]> positions(String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        var committed =
                admin().listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        var description =
                admin().describeTopics(java.util.List.of(topic))
                        .allTopicNames()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .get(topic);
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
                latest = new HashMap<>();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
                earliest = new HashMap<>();
        description
                .partitions()
                .forEach(
                        p -> {
                            var tp =
                                    new org.apache.kafka.common.TopicPartition(
                                            topic, p.partition());
                            latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest());
                            earliest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest());
                        });
        var ends = admin().listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        var starts = admin().listOffsets(earliest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<org.apache.kafka.common.TopicPartition, long[]> positions = new HashMap<>();
        for (var tp : latest.keySet()) {
            var offset = committed.get(tp);
            long position = offset != null ? offset.offset() : starts.get(tp).offset();
            positions.put(tp, new long[] {position, ends.get(tp).offset()});
        }
        return positions;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> props = new HashMap<>();
                    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
                    props.put(
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                            (int) TIMEOUT_MS + 1000);
                    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bluepost-admin");
                    admin = Admin.create(props);
                }
            }
        }
        return admin;
    }
}
