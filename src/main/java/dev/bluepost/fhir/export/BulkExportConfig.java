package dev.bluepost.fhir.export;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** FHIR Bulk Data export ({@code bluepost.export.*}; README's settings table, docs/fhir.md §16). */
@ConfigMapping(prefix = "bluepost.export")
public interface BulkExportConfig {

    /** How long an export's files stay after it finished; then they are purged and its status URL is 404. */
    @WithDefault("PT24H")
    Duration retention();

    /** Exports one requester may have queued or running at once; one more is 429 with Retry-After. */
    @WithDefault("2")
    int maxConcurrent();

    /** Rows per round trip of the export's database cursor (and messages decrypted per batch). */
    @WithDefault("1000")
    int fetchSize();

    /** Size of the pieces an output file is stored in (PostgreSQL, table bulk_export_chunk). */
    @WithDefault("1M")
    MemorySize chunkSize();

    /** How often expired exports are purged (the scheduled job reads {@code bluepost.export.purge-interval}). */
    @WithDefault("15m")
    String purgeInterval();

    /** An export whose job has not written for this long (its instance stopped) is marked failed by the purge job. */
    @WithDefault("PT10M")
    Duration staleAfter();
}
