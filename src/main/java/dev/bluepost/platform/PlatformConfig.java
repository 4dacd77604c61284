package dev.bluepost.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.ZoneId;

/** Settings shared by every feature. */
@ConfigMapping(prefix = "bluepost")
public interface PlatformConfig {

    /** Where development keys and the embedded database live; never inside git. */
    @WithName("data-dir")
    String dataDir();

    /** Time zone of a practice that does not name its own (docs/fhir.md §3, §5.1: America/New_York). */
    @WithName("default-time-zone")
    @WithDefault("America/New_York")
    ZoneId defaultTimeZone();
}
