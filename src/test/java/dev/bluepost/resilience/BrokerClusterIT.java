package dev.bluepost.resilience;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.testing.ExternalKafkaBroker;
import dev.bluepost.testing.LogTailOnFailure;
import dev.bluepost.testing.MessageEventsTopic;
import dev.bluepost.testing.PackagedApp;
import dev.bluepost.testing.PackagedStack;
import dev.bluepost.testing.RemotePractice;
import dev.bluepost.testing.SteadyLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three brokers (KRaft, each a broker and a controller), the topics at replication factor 3 with
 * {@code min.insync.replicas=2}, the relay's producer idempotent with {@code acks=all}: one broker
 * killed with SIGKILL under load loses no acknowledged message, and triage goes on while it is
 * down. The packaged application, PostgreSQL and the brokers are child processes of the test.
 */
class BrokerClusterIT {

    private static final Path WORK = Path.of("target", "it", "broker-cluster");
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @RegisterExtension static final LogTailOnFailure LOGS = new LogTailOnFailure();

    private static PackagedStack stack;
    private static PackagedApp app;

    @BeforeAll
    static void start() {
        stack = PackagedStack.withBrokerCluster(WORK, LOGS, 3);
        app = stack.app;
        app.start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldLoseNoAcknowledgedMessageAndKeepTriagingWhenOneOfThreeBrokersIsKilled()
            throws Exception {
        RemotePractice clinic = RemotePractice.create(app);
        try (Admin admin = stack.kafka.admin()) {
            TopicDescription topic =
                    admin.describeTopics(List.of(MessageEventsTopic.NAME))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get(MessageEventsTopic.NAME);
            assertTrue(
                    topic.partitions().stream().allMatch(p -> p.replicas().size() == 3),
                    "every partition on three brokers");
            ConfigResource resource =
                    new ConfigResource(ConfigResource.Type.TOPIC, MessageEventsTopic.NAME);
            Config config =
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get(10, TimeUnit.SECONDS)
                            .get(resource);
            assertEquals(
                    "2",
                    config.get("min.insync.replicas").value(),
                    "an acknowledged event is on two brokers");
        }

        SteadyLoad load = SteadyLoad.start(List.of(app), clinic, 5, Duration.ofSeconds(40));
        await("the load to run for 10 s")
                .atMost(Duration.ofSeconds(30))
                .until(() -> load.elapsedMillis() >= 10_000);
        ExternalKafkaBroker victim = stack.brokers.get(1);
        long killedAt = load.elapsedMillis();
        victim.kill();
        load.awaitEnd();
        long endedAt = load.elapsedMillis();

        // triage goes on with two brokers: everything acknowledged, before and after the kill, is
        // triaged while one is down
        AcknowledgedMessages.Tally tally =
                AcknowledgedMessages.assertAllTriagedOnce(
                        stack.postgres, stack.kafka, load.acknowledged(), CATCH_UP);
        assertTrue(!victim.isRunning(), "the broker was still down while triage caught up");
        System.out.printf(
                "three brokers, broker %d killed: %d acknowledged (%d after the kill); refused %s;"
                        + " last one triaged %d ms after the load; %d events published twice, each applied once%n",
                victim.nodeId(),
                tally.acknowledged(),
                load.acknowledgedBetween(killedAt, endedAt),
                load.refusals(),
                tally.catchUpMillis(),
                tally.republished());
        assertTrue(
                load.acknowledgedBetween(killedAt, endedAt) > 0,
                "messages were acknowledged after the broker died");
        assertEquals(
                0,
                load.refusals().size(),
                "no send failed: the outbox does not need the broker to acknowledge");

        victim.start();
        assertTrue(app.isRunning(), "the application was never restarted");
    }
}
