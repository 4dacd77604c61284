package dev.bluepost.triage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Triage settings (README, docs/triage.md). */
@ConfigMapping(prefix = "bluepost.triage")
public interface TriageConfig {

    /** Install the default rules, templates and pools for a practice the first time triage meets it. */
    @WithDefault("true")
    boolean defaultRules();

    /** Name of the pool red flags escalate to (created when missing). */
    @WithDefault("On call")
    String onCallPool();

    /** Name of the pool refill requests go to (created when missing). */
    @WithDefault("Refills")
    String refillsPool();

    /** How often delayed automatic replies that are due are sent (or dropped). */
    @WithDefault("10s")
    String scheduledReplyInterval();

    /** How often SLA clocks are checked (warning before the breach, escalation at it). */
    @WithDefault("30s")
    String slaInterval();

    /** Delay of the default acknowledgement (dropped if staff answer first). */
    @WithDefault("PT5M")
    Duration acknowledgementDelay();

    /** How long a console viewer counts as "viewing" an item after their last sign of life. */
    @WithDefault("PT45S")
    Duration viewerTimeout();
}
