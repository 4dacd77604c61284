package dev.bluepost.notification;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.ErrorClassifier;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The daily digest: once a day, at {@code digest-time} in the time zone of the practice the
 * messages belong to, each login with waiting digest items gets one e-mail that says how many new
 * messages arrived before that time (later ones wait for the next day). The job runs every
 * {@code job-interval}, so a digest missed while no instance ran goes out at the next run that day.
 * <p>
 * Idempotent: one transaction at a time (PostgreSQL advisory lock), items are marked with the
 * digest that counted them, and the database allows one digest per login and local day. Running
 * the job twice, or on two instances, sends one digest.
 */
@ApplicationScoped
public class DailyDigests {

    /** {@code pg_try_advisory_xact_lock} key: "blue-dig". */
    private static final long LOCK = 0x626c75652d646967L;

    private final EntityManager em;
    private final NotificationService notifications;
    private final DirectoryService directory;
    private final NotificationConfig config;
    private final Clock clock;

    public DailyDigests(
            EntityManager em,
            NotificationService notifications,
            DirectoryService directory,
            NotificationConfig config,
            Clock clock) {
        this.em = em;
        this.notifications = notifications;
        this.directory = directory;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            identity = "notification-digests",
            every = "{bluepost.notifications.job-interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            Log.warnf(
                    "daily digests not run: %s%s",
                    e.getClass().getName(),
                    ErrorClassifier.isDatabaseUnavailable(e) ? " (database unavailable)" : "");
        }
    }

    /** Queues the digests that are due now; returns how many. */
    @Transactional
    public int run() {
        if (!Boolean.TRUE.equals(
                em.createNativeQuery("select pg_try_advisory_xact_lock(:key)")
                        .setParameter("key", LOCK)
                        .getSingleResult())) {
            return 0; // another instance is at it
        }
        Instant now = clock.instant();
        List<UUID> users =
                em.createQuery(
                                "select distinct d.userId from DigestItem d where d.notificationId is null",
                                UUID.class)
                        .getResultList();
        int queued = 0;
        for (UUID user : users) {
            if (notifications.frequencyOf(user) == Frequency.NONE) {
                DigestItem.delete("userId = ?1 and notificationId is null", user);
                continue;
            }
            UUID practice =
                    em.createQuery(
                                    """
                            select d.practiceId from DigestItem d where d.userId = :u and d.notificationId is null
                            order by d.createdAt""",
                                    UUID.class)
                            .setParameter("u", user)
                            .setMaxResults(1)
                            .getSingleResult();
            ZoneId zone = directory.zoneOf(practice);
            ZonedDateTime local = now.atZone(zone);
            LocalDate day =
                    local.toLocalTime().isBefore(config.digestTime())
                            ? local.toLocalDate().minusDays(1)
                            : local.toLocalDate();
            Instant due = day.atTime(config.digestTime()).atZone(zone).toInstant();
            long count =
                    DigestItem.count(
                            "userId = ?1 and notificationId is null and createdAt < ?2", user, due);
            if (count == 0) {
                continue;
            }
            UUID digestId = Ids.newId();
            if (notifications.queued(
                    digestId, user, NotificationKind.DIGEST, null, (int) count, day, now)) {
                DigestItem.update(
                        "notificationId = ?1 where userId = ?2 and notificationId is null and createdAt < ?3",
                        digestId,
                        user,
                        due);
                queued++;
            }
        }
        if (queued > 0) {
            Log.infof("daily digests queued count=%d", queued);
        }
        return queued;
    }
}
