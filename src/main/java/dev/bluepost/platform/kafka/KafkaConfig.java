package dev.bluepost.platform.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "bluepost.kafka")
public interface KafkaConfig {

    /** Topic settings by logical key ({@link Topics#key()}). */
    Map<String, Topic> topics();

    @WithDefault("1")
    short replicationFactor();

    /**
     * The topic setting {@code min.insync.replicas} for the topics the application creates: with
     * replication factor 3 and 2 here, an {@code acks=all} send is acknowledged only when two
     * brokers hold it, so one broker can be lost without losing an acknowledged event
     * (docs/operations.md). Empty: the broker's default.
     */
    Optional<Integer> minInsyncReplicas();

    interface Topic {
        String name();

        int partitions();
    }
}
