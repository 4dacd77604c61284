package dev.bluepost.triage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.messaging.events.MessageRetractedEvent;
import dev.bluepost.messaging.events.ThreadClosedEvent;
import dev.bluepost.platform.kafka.EventHandling;
import dev.bluepost.platform.kafka.Topics;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds message events to triage, in two lanes (docs/adr/0032-message-path-under-load.md):
 * routine events (consumer group {@code bluepost-triage}, topic {@code bluepost.message-events.v1})
 * and the red-flag lane (group {@code bluepost-triage-urgent}, topic
 * {@code bluepost.message-events.urgent.v1}: a patient's message whose text matched a red flag when
 * it was sent), each on a worker pool of its own, so an emergency never waits behind a backlog of
 * routine messages. Both apply the same {@link TriageService} code, a poll's events in one
 * transaction; redeliveries are harmless (event ids are recorded). Envelope, back-off and dead
 * letters: {@link EventHandling}.
 */
@ApplicationScoped
public class MessageEventListener {

    /**
     * Triage runs on worker pools of its own (smallrye.messaging.worker.*.max-concurrency), not on
     * the HTTP request workers: under heavy API load it would otherwise wait behind the requests in
     * the shared pool's queue, and the queue would fall behind however fast the API answers.
     */
    static final String WORKER = "triage";

    static final String URGENT_WORKER = "triage-urgent";
    private static final String CONSUMER = "triage";

    private final TriageService triage;
    private final EventHandling events;

    public MessageEventListener(TriageService triage, EventHandling events) {
        this.triage = triage;
        this.events = events;
    }

    @Incoming("triage-message-events")
    @Blocking(WORKER)
    public CompletionStage<Void> onMessageEvents(KafkaRecordBatch<String, String> batch)
            throws InterruptedException {
        return events.consume(
                CONSUMER, batch, Topics.MESSAGE_EVENTS_DLQ, envelope -> decode(envelope, false));
    }

    @Incoming("triage-urgent-message-events")
    @Blocking(URGENT_WORKER)
    public CompletionStage<Void> onUrgentMessageEvents(KafkaRecordBatch<String, String> batch)
            throws InterruptedException {
        return events.consume(
                CONSUMER, batch, Topics.MESSAGE_EVENTS_DLQ, envelope -> decode(envelope, true));
    }

    /**
     * @param redFlagLane the event came through the red-flag lane: the sender's text raised a red
     *                    flag when it was sent (a routine-lane message's text raised none, so triage
     *                    does not search it again)
     */
    private Runnable decode(JsonNode envelope, boolean redFlagLane) throws IOException {
        return switch (EventHandling.type(envelope)) {
            case MessageCreatedEvent.TYPE -> {
                MessageCreatedEvent event =
                        events.read(
                                envelope, MessageCreatedEvent.class, MessageCreatedEvent.VERSION);
                yield () -> triage.onMessageCreated(event, redFlagLane);
            }
            case MessageRetractedEvent.TYPE -> {
                MessageRetractedEvent event =
                        events.read(
                                envelope,
                                MessageRetractedEvent.class,
                                MessageRetractedEvent.VERSION);
                yield () -> triage.onMessageRetracted(event);
            }
            case ThreadClosedEvent.TYPE -> {
                ThreadClosedEvent event =
                        events.read(envelope, ThreadClosedEvent.class, ThreadClosedEvent.VERSION);
                yield () -> triage.onThreadClosed(event);
            }
            default -> null; // an event type this version does not act on
        };
    }
}
