package dev.bluepost.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Hands "a message arrived in thread T" to the patients' conversation pages connected to this
 * instance (server-sent events). Ids only: the page fetches the message itself, with its own session.
 */
@ApplicationScoped
public class PatientThreadBroadcaster {

    /** A new message ({@code messageId}) in a thread. */
    public record NewMessage(UUID threadId, UUID messageId) {
    }

    private final BroadcastProcessor<NewMessage> processor = BroadcastProcessor.create();

    public void publish(NewMessage event) {
        processor.onNext(event);
    }

    public Multi<NewMessage> stream() {
        return processor;
    }
}
