package dev.bluepost.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the in-JVM Kafka broker for {@code @QuarkusTest}s and points the application at it. */
public class EmbeddedKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            kafka = new EmbeddedKafka();
            return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Kafka broker did not start", e);
        }
    }

    /** The broker's address, for tests that produce or consume records themselves. */
    public static String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public void stop() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
