package dev.bluepost.platform.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

@ConfigMapping(prefix = "bluepost.kafka")
public interface KafkaConfig {

    /** Topic settings by logical key ({@link Topics#key()}). */
    Map<String, Topic> topics();

    @WithDefault("1")
    short replicationFactor();

    interface Topic {
        String name();

        int partitions();
    }
}
