package dev.bluepost.platform.db;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stops the embedded PostgreSQL (if this JVM runs one) after everything else has shut down. */
@ApplicationScoped
public class EmbeddedPostgresShutdown {

    private final EmbeddedPostgresConfig config;

    public EmbeddedPostgresShutdown(EmbeddedPostgresConfig config) {
        this.config = config;
    }

    void stop(@Observes @Priority(Integer.MAX_VALUE - 1) ShutdownEvent event) {
        if (config.enabled()) {
            EmbeddedPostgresServer.stopRunning();
        }
    }
}
