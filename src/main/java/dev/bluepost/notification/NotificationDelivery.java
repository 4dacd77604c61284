package dev.bluepost.notification;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.IdentityService.UserView;
import dev.bluepost.platform.errors.ErrorClassifier;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Hands queued e-mails to the mail server. Each e-mail is taken in its own transaction with
 * {@code for update skip locked}, so several instances deliver side by side without sending one
 * twice; the address is read at that moment (the login's own, else the patient record's). A
 * refused hand-over is retried with back-off, up to {@code max-attempts}. If an instance dies
 * between the server's acceptance and the commit, that one e-mail goes out again (at least once).
 */
@ApplicationScoped
public class NotificationDelivery {

    private static final int BATCH = 50;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    private static final Duration LAST_RETRY = Duration.ofHours(1);

    private final EntityManager em;
    private final IdentityService identities;
    private final NotificationService notifications;
    private final NotificationMails mails;
    private final NotificationConfig config;
    private final Clock clock;

    public NotificationDelivery(EntityManager em, IdentityService identities, NotificationService notifications,
                                NotificationMails mails, NotificationConfig config, Clock clock) {
        this.em = em;
        this.identities = identities;
        this.notifications = notifications;
        this.mails = mails;
        this.config = config;
        this.clock = clock;
    }

    private volatile boolean stopping;

    void onStop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(skipExecutionIf = Scheduled.ApplicationNotRunning.class, identity = "notification-delivery", every = "{bluepost.notifications.delivery-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (stopping) {
            return; // the datasource is going away; what is left is delivered after the restart
        }
        try {
            deliverDue();
        } catch (RuntimeException e) {
            if (ErrorClassifier.isDatabaseUnavailable(e)) {
                Log.debugf("notification delivery waits for the database: %s", e.getClass().getName());
            } else {
                Log.errorf("notification delivery failed: %s", e.getClass().getName());
            }
        }
    }

    /** Delivers up to one batch of due e-mails; returns how many were handled. */
    public int deliverDue() {
        int handled = 0;
        while (handled < BATCH && QuarkusTransaction.requiringNew().call(this::deliverNext)) {
            handled++;
        }
        return handled;
    }

    private boolean deliverNext() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Notification> due = em.createNativeQuery("""
                        select * from notification where outcome is null and next_attempt_at <= :now
                        order by next_attempt_at, created_at limit 1 for update skip locked""", Notification.class)
                .setParameter("now", now).getResultList();
        if (due.isEmpty()) {
            return false;
        }
        deliver(due.get(0), now);
        return true;
    }

    private void deliver(Notification notification, Instant now) {
        Optional<UserView> user = identities.user(notification.userId);
        boolean emergency = notification.kind == NotificationKind.EMERGENCY_ACCESS;
        // an emergency-access notice is part of the compliance officer's duty, not a message notice they may turn off
        if (user.isEmpty() || (!emergency && notifications.frequencyOf(notification.userId) == Frequency.NONE)) {
            handled(notification, Notification.Outcome.SUPPRESSED, now);
            return;
        }
        Optional<String> address = identities.contactEmail(notification.userId);
        if (address.isEmpty()) {
            handled(notification, Notification.Outcome.NO_ADDRESS, now);
            return;
        }
        NotificationMails.Audience audience = emergency ? NotificationMails.Audience.COMPLIANCE
                : user.get().isPatientSide() ? NotificationMails.Audience.PATIENT : NotificationMails.Audience.STAFF;
        NotificationContent content = mails.content(notification.kind, notification.messageCount, audience);
        notification.attempts++;
        try {
            // in the language the recipient chose for their login; English until they choose
            mails.send(address.get(), content, dev.bluepost.platform.i18n.Language.fromTag(user.get().language())
                    .orElse(dev.bluepost.platform.i18n.Language.ENGLISH));
            handled(notification, Notification.Outcome.SENT, now);
        } catch (RuntimeException e) {
            notification.lastFailure = e.getClass().getName();
            if (notification.attempts >= config.maxAttempts()) {
                handled(notification, Notification.Outcome.GAVE_UP, now);
                Log.errorf("notification given up notificationId=%s attempts=%d: %s", notification.id, notification.attempts,
                        notification.lastFailure);
            } else {
                notification.nextAttemptAt = now.plus(retryDelay(notification.attempts));
                Log.warnf("notification not accepted notificationId=%s attempt=%d retryAt=%s: %s", notification.id,
                        notification.attempts, notification.nextAttemptAt, notification.lastFailure);
            }
        }
    }

    private static void handled(Notification notification, Notification.Outcome outcome, Instant now) {
        notification.outcome = outcome;
        notification.handledAt = now;
        Log.infof("notification %s notificationId=%s kind=%s userId=%s", outcome.name().toLowerCase(java.util.Locale.ROOT),
                notification.id, notification.kind, notification.userId);
    }

    static Duration retryDelay(int attempts) {
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 16));
        return delay.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay;
    }

    /** Forgets handled e-mails after the retention (the unread-reminder records stay: never remind twice). */
    @Scheduled(skipExecutionIf = Scheduled.ApplicationNotRunning.class, identity = "notification-purge", every = "1h", delayed = "10m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        Instant cutoff = clock.instant().minus(config.retention());
        em.createNativeQuery("""
                        delete from notification_digest_item where notification_id in
                          (select id from notification where outcome is not null and handled_at < :cutoff)""")
                .setParameter("cutoff", cutoff).executeUpdate();
        int deleted = em.createNativeQuery("delete from notification where outcome is not null and handled_at < :cutoff")
                .setParameter("cutoff", cutoff).executeUpdate();
        if (deleted > 0) {
            Log.infof("notifications purged count=%d", deleted);
        }
    }
}
