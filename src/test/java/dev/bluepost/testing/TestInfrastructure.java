package dev.bluepost.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers the real components every {@code @QuarkusTest} runs against: a PostgreSQL server and a
 * Kafka broker, both started by the test JVM (no Docker). Global: one start for all test classes.
 */
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
public final class TestInfrastructure {

    private TestInfrastructure() {}
}
