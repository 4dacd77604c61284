package dev.bluepost.triage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.messaging.events.MessageCreatedEvent;
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
        MessageCreatedEvent event = parse(payload);
        Duration backoff = Duration.ofMillis(250);
        while (true) {
            try {
                triage.onMessageCreated(event);
                return;
            } catch (RuntimeException e) {
                if (!ErrorClassifier.isDatabaseUnavailable(e)) {
                    Log.errorf("triage failed eventId=%s messageId=%s: %s (to dead-letter topic)", event.eventId(),
                            event.messageId(), e.getClass().getName());
                    throw e;
                }
                Log.warnf("triage waiting for the database eventId=%s retryIn=%dms", event.eventId(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private MessageCreatedEvent parse(String payload) throws IOException {
        MessageCreatedEvent event = json.readValue(payload, MessageCreatedEvent.class);
        if (!MessageCreatedEvent.TYPE.equals(event.eventType()) || event.schemaVersion() != MessageCreatedEvent.VERSION
                || event.eventId() == null || event.messageId() == null) {
            throw new IllegalArgumentException("not a message.created v1 event");
        }
        return event;
    }
}
