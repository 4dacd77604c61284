package dev.bluepost.triage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.messaging.events.MessageRetractedEvent;
import dev.bluepost.messaging.events.ThreadClosedEvent;
import dev.bluepost.platform.errors.ErrorClassifier;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.io.IOException;
import java.time.Duration;

/**
 * Feeds message events to triage (consumer group {@code bluepost-triage}, ordered per thread by
 * the record key). Redeliveries are harmless ({@link TriageService} records event ids). A record
 * that cannot be understood goes to the dead-letter topic; a database outage is waited out, not
 * dead-lettered, so nothing is lost while PostgreSQL is away.
 */
@ApplicationScoped
public class MessageEventListener {

    /**
     * Triage runs on a worker pool of its own (smallrye.messaging.worker.triage.max-concurrency), not
     * on the HTTP request workers: under heavy API load it would otherwise wait behind the requests
     * in the shared pool's queue, and the queue would fall behind however fast the API answers.
     */
    static final String WORKER = "triage";

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final TriageService triage;
    private final ObjectMapper json;

    public MessageEventListener(TriageService triage, ObjectMapper json) {
        this.triage = triage;
        this.json = json;
    }

    @Incoming("triage-message-events")
    @Blocking(WORKER)
    public void onMessageEvent(String payload) throws IOException, InterruptedException {
        JsonNode tree = json.readTree(payload);
        String type = tree == null || !tree.hasNonNull("eventType") ? null : tree.get("eventType").asText();
        if (type == null || !tree.hasNonNull("eventId") || !tree.hasNonNull("schemaVersion")) {
            throw new IllegalArgumentException("not a Bluepost event");
        }
        Runnable apply = switch (type) {
            case MessageCreatedEvent.TYPE -> {
                MessageCreatedEvent event = parse(tree, MessageCreatedEvent.class, MessageCreatedEvent.VERSION);
                yield () -> triage.onMessageCreated(event);
            }
            case MessageRetractedEvent.TYPE -> {
                MessageRetractedEvent event = parse(tree, MessageRetractedEvent.class, MessageRetractedEvent.VERSION);
                yield () -> triage.onMessageRetracted(event);
            }
            case ThreadClosedEvent.TYPE -> {
                ThreadClosedEvent event = parse(tree, ThreadClosedEvent.class, ThreadClosedEvent.VERSION);
                yield () -> triage.onThreadClosed(event);
            }
            default -> null; // an event type this version does not act on
        };
        if (apply == null) {
            Log.debugf("triage ignores eventType=%s", type);
            return;
        }
        Duration backoff = Duration.ofMillis(250);
        while (true) {
            try {
                apply.run();
                return;
            } catch (RuntimeException e) {
                if (!ErrorClassifier.isDatabaseUnavailable(e)) {
                    Log.errorf("triage failed eventType=%s eventId=%s: %s (to dead-letter topic)", type,
                            tree.get("eventId").asText(), e.getClass().getName());
                    throw e;
                }
                Log.warnf("triage waiting for the database eventId=%s retryIn=%dms", tree.get("eventId").asText(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private <E extends dev.bluepost.platform.outbox.DomainEvent> E parse(JsonNode tree, Class<E> type, int version) throws IOException {
        E event = json.treeToValue(tree, type);
        if (event.schemaVersion() != version || event.eventId() == null) {
            throw new IllegalArgumentException("unsupported version of " + event.eventType());
        }
        return event;
    }
}
