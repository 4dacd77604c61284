package dev.bluepost.encounters.feed;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The bulk encounter import ({@code bluepost.encounter-import.*}). */
@ConfigMapping(prefix = "bluepost.encounter-import")
public interface EncounterImportConfig {

    /** Largest NDJSON file accepted; keep it below {@code quarkus.http.limits.max-body-size} so the refusal names it. */
    @WithDefault("32M")
    MemorySize maxBytes();

    /** Lines per database transaction. */
    @WithDefault("1000")
    int chunkLines();

    /**
     * Whether this process, when it starts, takes over what a stopped server left: jobs still queued
     * or running are marked interrupted and the encounters they stored are counted in the measure
     * aggregates. Off for the operator commands, which may run beside a running server.
     */
    @WithDefault("true")
    boolean recoverAtStart();
}
