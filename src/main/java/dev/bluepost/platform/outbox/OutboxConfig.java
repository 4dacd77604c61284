package dev.bluepost.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "bluepost.outbox")
public interface OutboxConfig {

    /** The relay also wakes on every commit that wrote events; this is the fallback poll. */
    @WithDefault("PT1S")
    Duration pollInterval();

    @WithDefault("100")
    int batchSize();

    /**
     * A pause after each round, so that the events of the commits meanwhile are published together:
     * under load a round every few milliseconds took one transaction (lock, read, mark) and one
     * broker acknowledgement for 3 events on average (docs/performance.md). Adds at most this much to
     * every event's way to its consumers.
     */
    @WithDefault("PT0.02S")
    Duration pauseAfterRound();

    /** How long published rows are kept (for diagnosis) before they are deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** Off only in tests that must observe unpublished rows (for example a crash before relaying). */
    @WithDefault("true")
    boolean relayEnabled();

    /**
     * How long consumers remember the event ids they applied; must exceed the topics' retention so
     * that nothing can be redelivered after it is forgotten.
     */
    @WithDefault("P30D")
    Duration processedEventRetention();

    /** How long one publish may wait for the broker's acknowledgement. */
    @WithDefault("PT20S")
    Duration publishTimeout();
}
