package dev.bluepost.triage;

import dev.bluepost.platform.kafka.KafkaTopicAdmin;
import dev.bluepost.platform.kafka.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How far triage is behind, per lane (routine, red flag): the consumer group's lag (message events
 * published but not yet triaged and committed) and the age of the oldest of them (the broker's
 * timestamp of the first record after the group's committed offset). Measured every few seconds from
 * the broker, on any instance; shown as metrics ({@code bluepost.triage.backlog.messages},
 * {@code bluepost.triage.backlog.oldest.seconds}), in {@code /q/health} (liveness stays UP: a
 * backlog is not a reason to restart) and on the queue page above a threshold
 * (docs/adr/0032-message-path-under-load.md). Offsets are committed every few seconds, so a lane
 * that keeps up still shows a few seconds' worth of messages.
 */
@ApplicationScoped
public class TriageBacklog {

    /** One lane's backlog at one moment. */
    public record Lane(String name, long messages, Duration oldest, Instant measuredAt) {
        static Lane unknown(String name) {
            return new Lane(name, -1, Duration.ZERO, null);
        }

        public boolean known() {
            return messages >= 0;
        }
    }

    /** Both lanes, and whether the queue page should say that messages are still being sorted. */
    public record Backlog(Lane routine, Lane urgent, boolean behind) {
        public long messages() {
            return Math.max(0, routine.messages()) + Math.max(0, urgent.messages());
        }

        public Duration oldest() {
            return routine.oldest().compareTo(urgent.oldest()) >= 0
                    ? routine.oldest()
                    : urgent.oldest();
        }
    }

    private final KafkaTopicAdmin kafka;
    private final Clock clock;
    private final long showAboveMessages;
    private final Duration showAboveAge;
    private final AtomicReference<Backlog> last =
            new AtomicReference<>(
                    new Backlog(Lane.unknown("routine"), Lane.unknown("red flag"), false));
    private KafkaConsumer<byte[], byte[]> peeker;

    public TriageBacklog(
            KafkaTopicAdmin kafka,
            Clock clock,
            MeterRegistry metrics,
            @ConfigProperty(
                            name = "bluepost.triage.backlog.show-above-messages",
                            defaultValue = "100")
                    long showAboveMessages,
            @ConfigProperty(name = "bluepost.triage.backlog.show-above-age", defaultValue = "PT30S")
                    Duration showAboveAge) {
        this.kafka = kafka;
        this.clock = clock;
        this.showAboveMessages = showAboveMessages;
        this.showAboveAge = showAboveAge;
        for (String lane : List.of("routine", "red-flag")) {
            Gauge.builder(
                            "bluepost.triage.backlog.messages",
                            last,
                            b -> lane(b.get(), lane).messages())
                    .description("Message events not yet triaged (consumer lag), -1 when unknown")
                    .tag("lane", lane)
                    .register(metrics);
            Gauge.builder(
                            "bluepost.triage.backlog.oldest.seconds",
                            last,
                            b -> lane(b.get(), lane).oldest().toMillis() / 1000.0)
                    .description("Age of the oldest message event not yet triaged")
                    .tag("lane", lane)
                    .register(metrics);
        }
    }

    private static Lane lane(Backlog backlog, String lane) {
        return "routine".equals(lane) ? backlog.routine() : backlog.urgent();
    }

    /** The last measurement (never blocks). */
    public Backlog current() {
        return last.get();
    }

    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${bluepost.triage.backlog.interval:5s}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void measure() {
        Lane routine = measure("routine", "bluepost-triage", kafka.nameOf(Topics.MESSAGE_EVENTS));
        Lane urgent =
                measure(
                        "red flag",
                        "bluepost-triage-urgent",
                        kafka.nameOf(Topics.URGENT_MESSAGE_EVENTS));
        boolean behind =
                routine.messages() + urgent.messages() >= showAboveMessages
                        || routine.oldest().compareTo(showAboveAge) >= 0
                        || urgent.oldest().compareTo(showAboveAge) >= 0;
        last.set(new Backlog(routine, urgent, behind));
    }

    private Lane measure(String name, String group, String topic) {
        try {
            Map<TopicPartition, long[]> positions = kafka.positions(group, topic);
            long lag = 0;
            Map<TopicPartition, Long> behindAt = new HashMap<>();
            for (var entry : positions.entrySet()) {
                long waiting = Math.max(0, entry.getValue()[1] - entry.getValue()[0]);
                lag += waiting;
                if (waiting > 0) {
                    behindAt.put(entry.getKey(), entry.getValue()[0]);
                }
            }
            Instant now = clock.instant();
            Duration oldest =
                    oldestTimestamp(behindAt)
                            .map(t -> Duration.between(t, now))
                            .filter(d -> !d.isNegative())
                            .orElse(Duration.ZERO);
            return new Lane(name, lag, oldest, now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Lane.unknown(name);
        } catch (Exception e) {
            Log.debugf("triage backlog of %s not measured: %s", name, e.getClass().getSimpleName());
            return Lane.unknown(name);
        }
    }

    /** The broker timestamp of the first waiting record of each partition, the earliest of them (no payload is kept). */
    private synchronized Optional<Instant> oldestTimestamp(Map<TopicPartition, Long> firstWaiting) {
        if (firstWaiting.isEmpty()) {
            return Optional.empty();
        }
        KafkaConsumer<byte[], byte[]> consumer = peeker();
        consumer.assign(firstWaiting.keySet());
        firstWaiting.forEach(consumer::seek);
        Instant oldest = null;
        Map<TopicPartition, Boolean> seen = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (seen.size() < firstWaiting.size() && System.nanoTime() < deadline) {
            for (var record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (seen.putIfAbsent(tp, true) == null) {
                    Instant at = Instant.ofEpochMilli(record.timestamp());
                    oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
                }
            }
        }
        consumer.unsubscribe();
        return Optional.ofNullable(oldest);
    }

    private KafkaConsumer<byte[], byte[]> peeker() {
        if (peeker == null) {
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bluepost-triage-backlog");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
            props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024);
            props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024);
            peeker =
                    new KafkaConsumer<>(
                            props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return peeker;
    }

    void close(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        synchronized (this) {
            if (peeker != null) {
                peeker.close(Duration.ofSeconds(1));
            }
        }
    }
}
