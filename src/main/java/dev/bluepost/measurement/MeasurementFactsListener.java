package dev.bluepost.measurement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bluepost.measurement.engine.FactRecorder.AssignmentFact;
import dev.bluepost.measurement.engine.FactRecorder.MessageFact;
import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.platform.kafka.EventHandling;
import dev.bluepost.platform.kafka.Topics;
import dev.bluepost.triage.events.TriageItemChangedEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records the measurement facts from the message events ({@code message.created} v1) and the
 * triage events ({@code triage.item.changed} v1: an item created for, or assigned to, an owner),
 * consumer group {@code bluepost-measurement}. The events carry ids and codes only. Each fact is
 * keyed (message id, event id), so a redelivered event changes nothing (docs/measures.md §9.2); an
 * event that cannot be understood goes to the dead-letter topic; a database outage is waited out.
 * Read as the publishers' event records: measurement sits above messaging and triage.
 */
@ApplicationScoped
public class MeasurementFactsListener {

    private static final String CONSUMER = "measurement";

    private final FactBatch batch;
    private final EventHandling events;

    public MeasurementFactsListener(FactBatch batch, EventHandling events) {
        this.batch = batch;
        this.events = events;
    }

    @Incoming("measurement-message-events")
    @Blocking("measurement")
    public CompletionStage<Void> onMessageEvents(KafkaRecordBatch<String, String> batch)
            throws InterruptedException {
        return events.consume(CONSUMER, batch, Topics.MEASUREMENT_DLQ, this::messageFact);
    }

    @Incoming("measurement-triage-events")
    @Blocking("measurement")
    public CompletionStage<Void> onTriageEvents(KafkaRecordBatch<String, String> batch)
            throws InterruptedException {
        return events.consume(CONSUMER, batch, Topics.MEASUREMENT_DLQ, this::assignmentFact);
    }

    private Runnable messageFact(JsonNode envelope) throws IOException {
        if (!MessageCreatedEvent.TYPE.equals(EventHandling.type(envelope))) {
            return null;
        }
        MessageCreatedEvent event =
                events.read(envelope, MessageCreatedEvent.class, MessageCreatedEvent.VERSION);
        List<String> recipients = event.recipients() == null ? List.of() : event.recipients();
        // checked here, where a malformed event goes to the dead-letter topic alone; the facts are
        // stored with the batch's at commit, where a failure would fail the whole batch first
        recipients.forEach(r -> requireTypeAndId(r, "recipient"));
        String sender = require(event.sender(), "sender");
        int slash = requireTypeAndId(sender, "sender");
        MessageFact fact =
                new MessageFact(
                        require(event.messageId(), "messageId"),
                        require(event.practiceId(), "practiceId"),
                        require(event.patientId(), "patientId"),
                        require(event.threadId(), "threadId"),
                        sender.substring(0, slash),
                        UUID.fromString(sender.substring(slash + 1)),
                        require(event.senderKind(), "senderKind"),
                        event.inResponseTo(),
                        event.secure(),
                        event.automatic(),
                        require(event.receivedAt(), "receivedAt"),
                        recipients);
        return () -> batch.message(fact);
    }

    private Runnable assignmentFact(JsonNode envelope) throws IOException {
        if (!TriageItemChangedEvent.TYPE.equals(EventHandling.type(envelope))) {
            return null;
        }
        TriageItemChangedEvent event =
                events.read(envelope, TriageItemChangedEvent.class, TriageItemChangedEvent.VERSION);
        String change = require(event.change(), "change");
        if (!change.equals("created") && !change.equals("assigned")) {
            return null;
        }
        String owner = require(event.owner(), "owner");
        int slash = requireTypeAndId(owner, "owner");
        AssignmentFact fact =
                new AssignmentFact(
                        require(event.eventId(), "eventId"),
                        require(event.messageId(), "messageId"),
                        owner.substring(0, slash),
                        UUID.fromString(owner.substring(slash + 1)),
                        require(event.occurredAt(), "occurredAt"));
        return () -> batch.assignment(fact);
    }

    /** Where the slash of a {@code Type/id} reference is; refuses anything else. */
    private static int requireTypeAndId(String reference, String what) {
        int slash = reference.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(what + " is not Type/id");
        }
        UUID.fromString(reference.substring(slash + 1));
        return slash;
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("event without " + field);
        }
        return value;
    }
}
