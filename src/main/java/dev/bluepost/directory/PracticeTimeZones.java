package dev.bluepost.directory;

import dev.bluepost.platform.PlatformConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * Every practice has its time zone stored: a practice registered without one gets the configured
 * default ({@code bluepost.default-time-zone}) when it is registered, and practices stored before
 * that rule get it at start-up. The measure aggregates (ADR 0027) date messages in the practice's
 * zone inside the database, which cannot read the application's configuration.
 */
@ApplicationScoped
public class PracticeTimeZones {

    private final EntityManager em;
    private final PlatformConfig config;

    public PracticeTimeZones(EntityManager em, PlatformConfig config) {
        this.em = em;
        this.config = config;
    }

    void onStart(@Observes StartupEvent start) {
        try {
            int filled =
                    QuarkusTransaction.requiringNew()
                            .call(
                                    () ->
                                            em.createNativeQuery(
                                                            "update practice set time_zone = ?1 where time_zone is null")
                                                    .setParameter(
                                                            1, config.defaultTimeZone().getId())
                                                    .executeUpdate());
            if (filled > 0) {
                Log.infof(
                        "practice time zones filled with the default practices=%d zone=%s",
                        filled, config.defaultTimeZone().getId());
            }
        } catch (RuntimeException e) {
            // the database is not there yet: measure summaries fall back to the exact path until
            // the next start
            Log.warnf("practice time zones not filled at start-up: %s", e.getClass().getName());
        }
    }
}
