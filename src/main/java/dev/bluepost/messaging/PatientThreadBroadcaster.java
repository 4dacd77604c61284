package dev.bluepost.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands "a message arrived in thread T" to the patients' conversation pages connected to this
 * instance (server-sent events). Ids only: the page fetches the message itself, with its own session.
 */
@ApplicationScoped
public class PatientThreadBroadcaster {

    /** A new message ({@code messageId}) in a thread. */
    public record NewMessage(UUID threadId, UUID messageId) {}

    private final BroadcastProcessor<NewMessage> processor = BroadcastProcessor.create();
    private final AtomicInteger open = new AtomicInteger();

    public void publish(NewMessage event) {
        processor.onNext(event);
    }

    /**
     * Whether any conversation page is connected to this instance: when none is, the listener passes
     * the message path's events over without reading them (the usual case, and the load benchmark's).
     */
    public boolean anyoneListening() {
        return open.get() > 0;
    }

    public Multi<NewMessage> stream() {
        return processor
                .onSubscription()
                .invoke(open::incrementAndGet)
                .onTermination()
                .invoke(open::decrementAndGet);
    }
}
