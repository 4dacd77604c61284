package dev.bluepost.triage.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.triage.events.TriageItemChangedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Every application instance reads every triage change (a consumer group of its own) and passes it
 * to the consoles it serves, so a console on any instance sees changes made on any other.
 */
@ApplicationScoped
public class ConsoleUpdatesListener {

    private final QueueBroadcaster broadcaster;
    private final ObjectMapper json;

    public ConsoleUpdatesListener(QueueBroadcaster broadcaster, ObjectMapper json) {
        this.broadcaster = broadcaster;
        this.json = json;
    }

    @Incoming("console-updates")
    public void onTriageEvent(String payload) throws IOException {
        TriageItemChangedEvent event = json.readValue(payload, TriageItemChangedEvent.class);
        if (!TriageItemChangedEvent.TYPE.equals(event.eventType()) || event.practiceId() == null) {
            throw new IllegalArgumentException("not a triage.item.changed event");
        }
        broadcaster.publish(event);
    }
}
