package dev.bluepost.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.platform.errors.ErrorClassifier;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.io.IOException;
import java.time.Duration;

/**
 * Feeds message events to the notifications (consumer group {@code bluepost-notifications}, its
 * own offsets, independent of triage). Redeliveries are harmless ({@link NotificationService}
 * records event ids, and queues at most one e-mail per login and message). A record that cannot be
 * understood goes to this consumer's dead-letter topic; a database outage is waited out.
 */
@ApplicationScoped
public class NotificationListener {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final NotificationService notifications;
    private final ObjectMapper json;

    public NotificationListener(NotificationService notifications, ObjectMapper json) {
        this.notifications = notifications;
        this.json = json;
    }

    @Incoming("notification-message-events")
    @Blocking
    public void onMessageEvent(String payload) throws IOException, InterruptedException {
        JsonNode tree = json.readTree(payload);
        String type = tree == null || !tree.hasNonNull("eventType") ? null : tree.get("eventType").asText();
        if (type == null || !tree.hasNonNull("eventId") || !tree.hasNonNull("schemaVersion")) {
            throw new IllegalArgumentException("not a Bluepost event");
        }
        if (!MessageCreatedEvent.TYPE.equals(type)) {
            Log.debugf("notifications ignore eventType=%s", type);
            return; // retractions and closings tell nobody anything
        }
        MessageCreatedEvent event = json.treeToValue(tree, MessageCreatedEvent.class);
        if (event.schemaVersion() != MessageCreatedEvent.VERSION || event.eventId() == null || event.messageId() == null) {
            throw new IllegalArgumentException("unsupported version of " + type);
        }
        Duration backoff = Duration.ofMillis(250);
        while (true) {
            try {
                notifications.onMessageCreated(event);
                return;
            } catch (RuntimeException e) {
                if (!ErrorClassifier.isDatabaseUnavailable(e)) {
                    Log.errorf("notifications failed eventType=%s eventId=%s: %s (to dead-letter topic)", type, event.eventId(),
                            e.getClass().getName());
                    throw e;
                }
                Log.warnf("notifications waiting for the database eventId=%s retryIn=%dms", event.eventId(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
