package dev.bluepost.notification;

import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.platform.kafka.EventHandling;
import dev.bluepost.platform.kafka.Topics;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds message events to the notifications (consumer group {@code bluepost-notifications}, its
 * own offsets, independent of triage). Redeliveries are harmless ({@link NotificationService}
 * records event ids, and queues at most one e-mail per login and message). A record that cannot be
 * understood goes to this consumer's dead-letter topic; a database outage is waited out ({@link EventHandling}).
 */
@ApplicationScoped
public class NotificationListener {

    private final NotificationService notifications;
    private final EventHandling events;

    public NotificationListener(NotificationService notifications, EventHandling events) {
        this.notifications = notifications;
        this.events = events;
    }

    @Incoming("notification-message-events")
    @Blocking("notifications")
    public CompletionStage<Void> onMessageEvents(KafkaRecordBatch<String, String> batch)
            throws InterruptedException {
        return events.consume(
                "notifications",
                batch,
                Topics.NOTIFICATION_DLQ,
                envelope -> {
                    if (!MessageCreatedEvent.TYPE.equals(EventHandling.type(envelope))) {
                        return null; // retractions and closings tell nobody anything
                    }
                    MessageCreatedEvent event =
                            events.read(
                                    envelope,
                                    MessageCreatedEvent.class,
                                    MessageCreatedEvent.VERSION);
                    if (event.eventId() == null || event.messageId() == null) {
                        throw new IllegalArgumentException(
                                "unsupported version of " + MessageCreatedEvent.TYPE);
                    }
                    return () -> notifications.onMessageCreated(event);
                });
    }
}
