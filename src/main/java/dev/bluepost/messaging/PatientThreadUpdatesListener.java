package dev.bluepost.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.platform.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Every application instance reads every {@code message.created} event (a consumer group of its own,
 * from the latest offset) and tells the patients' conversation pages it serves that their thread has
 * a new message, so the care team's answer appears without a reload on whichever instance the patient
 * is connected to. The event carries ids only; other event types are passed over.
 */
@ApplicationScoped
public class PatientThreadUpdatesListener {

    private final PatientThreadBroadcaster broadcaster;
    private final ObjectMapper json;

    public PatientThreadUpdatesListener(PatientThreadBroadcaster broadcaster, ObjectMapper json) {
        this.broadcaster = broadcaster;
        this.json = json;
    }

    @Incoming("patient-thread-updates")
    public void onMessageEvent(String payload) throws IOException {
        if (!broadcaster.anyoneListening()) {
            return; // no conversation page open here: nothing to tell, nothing to read
        }
        JsonNode event = json.readTree(payload);
        if (!MessageCreatedEvent.TYPE.equals(event.path("eventType").asText())) {
            return; // retractions, closings: the page shows them at its next load
        }
        Optional<UUID> thread = Ids.parse(event.path("threadId").asText(null));
        Optional<UUID> message = Ids.parse(event.path("messageId").asText(null));
        if (thread.isEmpty() || message.isEmpty()) {
            throw new IllegalArgumentException(
                    "a message.created event without thread or message id");
        }
        broadcaster.publish(new PatientThreadBroadcaster.NewMessage(thread.get(), message.get()));
    }
}
