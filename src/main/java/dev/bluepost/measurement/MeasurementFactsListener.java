package dev.bluepost.measurement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bluepost.measurement.engine.FactRecorder;
import dev.bluepost.measurement.engine.FactRecorder.MessageFact;
import dev.bluepost.platform.kafka.EventHandling;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.bluepost.platform.kafka.Topics;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import java.util.concurrent.CompletionStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Records the measurement facts from the message events ({@code message.created} v1) and the
 * triage events ({@code triage.item.changed} v1: an item created for, or assigned to, an owner),
 * consumer group {@code bluepost-measurement}. The events carry ids and codes only. Each fact is
 * keyed (message id, event id), so a redelivered event changes nothing (docs/measures.md §9.2); an
 * event that cannot be understood goes to the dead-letter topic; a database outage is waited out.
 * Read as JSON trees by field name: measurement does not depend on the features that publish them.
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
    public CompletionStage<Void> onMessageEvents(KafkaRecordBatch<String, String> batch) throws InterruptedException {
        return events.consume(CONSUMER, batch, Topics.MEASUREMENT_DLQ, this::messageFact);
    }

    @Incoming("measurement-triage-events")
    @Blocking("measurement")
    public CompletionStage<Void> onTriageEvents(KafkaRecordBatch<String, String> batch) throws InterruptedException {
        return events.consume(CONSUMER, batch, Topics.MEASUREMENT_DLQ, this::assignmentFact);
    }

    private Runnable messageFact(JsonNode event) {
        if (!"message.created".equals(EventHandling.type(event))) {
            return null;
        }
        EventHandling.requireVersion(event, 1);
        List<String> recipients = new ArrayList<>();
        event.path("recipients").forEach(r -> recipients.add(r.asText()));
        // checked here, where a malformed event goes to the dead-letter topic alone; the facts are
        // stored with the batch's at commit, where a failure would fail the whole batch first
        recipients.forEach(MeasurementFactsListener::requireTypeAndId);
        String sender = text(event, "sender");
        int slash = sender.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("sender is not Type/id");
        }
        MessageFact fact = new MessageFact(uuid(event, "messageId"), uuid(event, "practiceId"), uuid(event, "patientId"),
                uuid(event, "threadId"), sender.substring(0, slash), UUID.fromString(sender.substring(slash + 1)),
                text(event, "senderKind"), event.hasNonNull("inResponseTo") ? uuid(event, "inResponseTo") : null,
                event.path("secure").asBoolean(), event.path("automatic").asBoolean(),
                Instant.parse(text(event, "receivedAt")), recipients);
        return () -> batch.message(fact);
    }

    private Runnable assignmentFact(JsonNode event) {
        if (!"triage.item.changed".equals(EventHandling.type(event))) {
            return null;
        }
        EventHandling.requireVersion(event, 1);
        String change = text(event, "change");
        if (!change.equals("created") && !change.equals("assigned")) {
            return null;
        }
        String owner = text(event, "owner");
        int slash = owner.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("owner is not Type/id");
        }
        UUID eventId = uuid(event, "eventId");
        UUID messageId = uuid(event, "messageId");
        String ownerType = owner.substring(0, slash);
        UUID ownerId = UUID.fromString(owner.substring(slash + 1));
        Instant at = Instant.parse(text(event, "occurredAt"));
        return () -> batch.assignment(new FactRecorder.AssignmentFact(eventId, messageId, ownerType, ownerId, at));
    }

    private static void requireTypeAndId(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("recipient is not Type/id");
        }
        UUID.fromString(reference.substring(slash + 1));
    }

    private static String text(JsonNode event, String field) {
        if (!event.hasNonNull(field)) {
            throw new IllegalArgumentException("event without " + field);
        }
        return event.get(field).asText();
    }

    private static UUID uuid(JsonNode event, String field) {
        return UUID.fromString(text(event, field));
    }

}
