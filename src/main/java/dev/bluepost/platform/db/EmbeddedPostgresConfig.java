package dev.bluepost.platform.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded PostgreSQL of the demo and dev profiles. Read early, before CDI, by
 * {@link EmbeddedPostgresConfigSourceFactory}; this mapping documents and validates the keys.
 */
@ConfigMapping(prefix = "bluepost.embedded-postgres")
public interface EmbeddedPostgresConfig {

    /** Start the embedded server when no {@code quarkus.datasource.jdbc.url} is configured. */
    @WithDefault("false")
    boolean enabled();

    /** Its port on 127.0.0.1. */
    @WithDefault("54329")
    int port();
}
