package dev.bluepost.measurement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.measurement.engine.FactRecorder;
import dev.bluepost.measurement.engine.FactRecorder.MessageFact;
import dev.bluepost.platform.errors.ErrorClassifier;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Records the measurement facts from the message events ({@code message.created} v1) and the
 * triage events ({@code triage.item.changed} v1: an item created for, or assigned to, an owner),
 * consumer group {@code bluepost-measurement}. The events carry ids and codes only. Each fact is
 * keyed (message id, event id), so a redelivered event changes nothing (measures.md §9 rule 2); an
 * event that cannot be understood goes to the dead-letter topic; a database outage is waited out.
 * Read as JSON trees by field name: measurement does not depend on the features that publish them.
 */
@ApplicationScoped
public class MeasurementFactsListener {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final MeasurementService measurement;
    private final ObjectMapper json;
    private final Clock clock;

    public MeasurementFactsListener(MeasurementService measurement, ObjectMapper json, Clock clock) {
        this.measurement = measurement;
        this.json = json;
        this.clock = clock;
    }

    @Incoming("measurement-message-events")
    @Blocking
    public void onMessageEvent(String payload) throws IOException, InterruptedException {
        JsonNode event = event(payload);
        if (!"message.created".equals(event.get("eventType").asText())) {
            return;
        }
        version(event, 1);
        List<String> recipients = new ArrayList<>();
        event.path("recipients").forEach(r -> recipients.add(r.asText()));
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
        FactRecorder facts = measurement.facts();
        retrying(event, () -> {
            boolean stored = facts.recordMessage(fact, clock.instant());
            Log.debugf("measurement fact messageId=%s new=%s", fact.messageId(), stored);
        });
    }

    @Incoming("measurement-triage-events")
    @Blocking
    public void onTriageEvent(String payload) throws IOException, InterruptedException {
        JsonNode event = event(payload);
        if (!"triage.item.changed".equals(event.get("eventType").asText())) {
            return;
        }
        version(event, 1);
        String change = text(event, "change");
        if (!change.equals("created") && !change.equals("assigned")) {
            return;
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
        FactRecorder facts = measurement.facts();
        retrying(event, () -> facts.recordAssignment(eventId, messageId, ownerType, ownerId, at));
    }

    private JsonNode event(String payload) throws IOException {
        JsonNode tree = json.readTree(payload);
        if (tree == null || !tree.hasNonNull("eventType") || !tree.hasNonNull("eventId") || !tree.hasNonNull("schemaVersion")) {
            throw new IllegalArgumentException("not a Bluepost event");
        }
        return tree;
    }

    private static void version(JsonNode event, int expected) {
        if (event.get("schemaVersion").asInt() != expected) {
            throw new IllegalArgumentException("unsupported version of " + event.get("eventType").asText());
        }
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

    private static void retrying(JsonNode event, Runnable apply) throws InterruptedException {
        Duration backoff = Duration.ofMillis(250);
        while (true) {
            try {
                apply.run();
                return;
            } catch (RuntimeException e) {
                if (!ErrorClassifier.isDatabaseUnavailable(e)) {
                    Log.errorf("measurement fact failed eventType=%s eventId=%s: %s (to dead-letter topic)",
                            event.get("eventType").asText(), event.get("eventId").asText(), e.getClass().getName());
                    throw e;
                }
                Log.warnf("measurement waiting for the database eventId=%s retryIn=%dms", event.get("eventId").asText(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
