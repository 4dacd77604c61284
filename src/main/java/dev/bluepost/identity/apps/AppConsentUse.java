package dev.bluepost.identity.apps;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a patient app last used its consent ({@code app_consent.last_used_at}), without a database
 * statement on the request: the bearer mechanism tells {@link #used} (two map look-ups), which notes
 * a consent's use at most once per {@link #PRECISION} on this instance; a scheduled job writes the
 * noted times in the background (one update per noted consent). So the time shown is the last use to
 * within {@link #PRECISION} (plus the write interval), and an instance that stops loses at most its
 * unwritten notes.
 */
@ApplicationScoped
public class AppConsentUse {

    /** A consent's use is noted at most this often per instance; the page says "to within" this. */
    public static final Duration PRECISION = Duration.ofMinutes(5);

    private final Clock clock;

    /** The last time noted per consent on this instance (entries older than {@link #PRECISION} are dropped). */
    private final Map<UUID, Instant> noted = new ConcurrentHashMap<>();

    /** Noted, not yet written. */
    private final Map<UUID, Instant> unwritten = new ConcurrentHashMap<>();

    public AppConsentUse(Clock clock) {
        this.clock = clock;
    }

    /** A request of a patient app was admitted under this consent. */
    public void used(UUID consentId) {
        Instant now = clock.instant();
        Instant before = noted.get(consentId);
        if (before != null && now.isBefore(before.plus(PRECISION))) {
            return;
        }
        boolean[] first = {false};
        noted.compute(
                consentId,
                (id, last) -> {
                    if (last != null && now.isBefore(last.plus(PRECISION))) {
                        return last;
                    }
                    first[0] = true;
                    return now;
                });
        if (first[0]) {
            unwritten.put(consentId, now);
        }
    }

    /** Writes the noted uses (never moving a consent's time backwards) and forgets old notes. */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${bluepost.security.app-use-write-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void write() {
        int written = 0;
        for (Map.Entry<UUID, Instant> use : unwritten.entrySet()) {
            if (unwritten.remove(use.getKey(), use.getValue())) {
                written +=
                        AppConsent.update(
                                "lastUsedAt = ?1 where id = ?2 and (lastUsedAt is null or lastUsedAt < ?1)",
                                use.getValue(),
                                use.getKey());
            }
        }
        Instant old = clock.instant().minus(PRECISION);
        noted.values().removeIf(at -> at.isBefore(old));
        if (written > 0) {
            Log.debugf("app consent uses written count=%d", written);
        }
    }
}
