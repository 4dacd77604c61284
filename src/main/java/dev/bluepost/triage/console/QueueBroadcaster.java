package dev.bluepost.triage.console;

import dev.bluepost.triage.events.TriageItemChangedEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/** Hands triage changes to the consoles connected to this instance (server-sent events). */
@ApplicationScoped
public class QueueBroadcaster {

    private final BroadcastProcessor<TriageItemChangedEvent> processor =
            BroadcastProcessor.create();

    public void publish(TriageItemChangedEvent event) {
        processor.onNext(event);
    }

    public Multi<TriageItemChangedEvent> stream() {
        return processor;
    }
}
