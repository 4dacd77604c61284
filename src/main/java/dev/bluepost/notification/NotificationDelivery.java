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
import java.util.UUID;

/**
 * Hands queued e-mails to the mail server. Each e-mail is taken in its own transaction with
 * {@code for update skip locked}, so several instances deliver side by side without sending one
 * twice; the address is read at that moment (the login's own, else the patient record's). The
 * notice is marked as being handed over, and that mark committed, before the mail server is called:
 * an instance that dies during the hand-over never sends it again (at most once; the notice is
 * closed as interrupted, docs/notifications.md). A refused hand-over is retried with back-off, up
 * to {@code max-attempts}.
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

    public NotificationDelivery(
            EntityManager em,
            IdentityService identities,
            NotificationService notifications,
            NotificationMails mails,
            NotificationConfig config,
            Clock clock) {
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

    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            identity = "notification-delivery",
            every = "{bluepost.notifications.delivery-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (stopping) {
            return; // the datasource is going away; what is left is delivered after the restart
        }
        try {
            deliverDue();
        } catch (RuntimeException e) {
            if (ErrorClassifier.isDatabaseUnavailable(e)) {
                Log.debugf(
                        "notification delivery waits for the database: %s", e.getClass().getName());
            } else {
                Log.errorf("notification delivery failed: %s", e.getClass().getName());
            }
        }
    }

    /**
     * How long a hand-over may stay marked before it counts as interrupted: longer than the mail
     * server is ever waited for, so that only a hand-over whose instance died is closed.
     */
    static final Duration INTERRUPTED_AFTER = NotificationMails.SEND_TIMEOUT.multipliedBy(4);

    /** Delivers up to one batch of due e-mails; returns how many were handled. */
    public int deliverDue() {
        QuarkusTransaction.requiringNew().run(this::closeInterrupted);
        int handled = 0;
        while (handled < BATCH) {
            Optional<Claim> claim = QuarkusTransaction.requiringNew().call(this::claimNext);
            if (claim.isEmpty()) {
                break;
            }
            claim.get().handOver().ifPresent(this::handOver);
            handled++;
        }
        return handled;
    }

    /** A claimed notice: nothing to hand over (it was closed in the claiming transaction), or an e-mail to send. */
    private record Claim(Optional<HandOver> handOver) {}

    private record HandOver(
            UUID notificationId,
            int attempts,
            String address,
            NotificationContent content,
            dev.bluepost.platform.i18n.Language language) {}

    /**
     * Takes the next due notice ({@code for update skip locked}, so instances never take the same one).
     * One that needs no e-mail is closed at once; one to send is marked as being handed over and
     * committed before the mail server is called, so it can never be handed over twice.
     */
    private Optional<Claim> claimNext() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Notification> due =
                em.createNativeQuery(
                                """
                        select * from notification where outcome is null and handing_over_since is null and next_attempt_at <= :now
                        order by next_attempt_at, created_at limit 1 for update skip locked""",
                                Notification.class)
                        .setParameter("now", now)
                        .getResultList();
        if (due.isEmpty()) {
            return Optional.empty();
        }
        Notification notification = due.get(0);
        Optional<UserView> user = identities.user(notification.userId);
        boolean emergency = notification.kind == NotificationKind.EMERGENCY_ACCESS;
        // an emergency-access notice is part of the compliance officer's duty, not a message notice
        // they may turn off
        if (user.isEmpty()
                || (!emergency
                        && notifications.frequencyOf(notification.userId) == Frequency.NONE)) {
            handled(notification, Notification.Outcome.SUPPRESSED, now);
            return Optional.of(new Claim(Optional.empty()));
        }
        Optional<String> address = identities.contactEmail(notification.userId);
        if (address.isEmpty()) {
            handled(notification, Notification.Outcome.NO_ADDRESS, now);
            return Optional.of(new Claim(Optional.empty()));
        }
        NotificationMails.Audience audience =
                emergency
                        ? NotificationMails.Audience.COMPLIANCE
                        : user.get().isPatientSide()
                                ? NotificationMails.Audience.PATIENT
                                : NotificationMails.Audience.STAFF;
        notification.attempts++;
        notification.handingOverSince = now;
        // in the language the recipient chose for their login; English until they choose
        return Optional.of(
                new Claim(
                        Optional.of(
                                new HandOver(
                                        notification.id,
                                        notification.attempts,
                                        address.get(),
                                        mails.content(
                                                notification.kind,
                                                notification.messageCount,
                                                audience),
                                        dev.bluepost.platform.i18n.Language.fromTag(
                                                        user.get().language())
                                                .orElse(
                                                        dev.bluepost.platform.i18n.Language
                                                                .ENGLISH)))));
    }

    /** Calls the mail server outside any transaction, then records what it answered. */
    private void handOver(HandOver handOver) {
        RuntimeException refused = null;
        try {
            mails.send(
                    handOver.address(),
                    handOver.content(),
                    handOver.language(),
                    handOver.notificationId());
        } catch (RuntimeException e) {
            refused = e;
        }
        RuntimeException failure = refused;
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            Notification notification =
                                    em.find(Notification.class, handOver.notificationId());
                            if (notification == null || notification.outcome != null) {
                                return; // purged or closed as interrupted meanwhile: nothing more
                                // to record
                            }
                            Instant now = clock.instant();
                            notification.handingOverSince = null;
                            if (failure == null) {
                                handled(notification, Notification.Outcome.SENT, now);
                                return;
                            }
                            notification.lastFailure = failure.getClass().getName();
                            if (handOver.attempts() >= config.maxAttempts()) {
                                handled(notification, Notification.Outcome.GAVE_UP, now);
                                Log.errorf(
                                        "notification given up notificationId=%s attempts=%d: %s",
                                        notification.id,
                                        notification.attempts,
                                        notification.lastFailure);
                            } else {
                                notification.nextAttemptAt =
                                        now.plus(retryDelay(handOver.attempts()));
                                Log.warnf(
                                        "notification not accepted notificationId=%s attempt=%d retryAt=%s: %s",
                                        notification.id,
                                        notification.attempts,
                                        notification.nextAttemptAt,
                                        notification.lastFailure);
                            }
                        });
    }

    /**
     * Closes the hand-overs whose instance died (or lost the database) before it recorded the mail
     * server's answer: the e-mail may or may not have gone out, and it is not sent again. The
     * unread-message reminder stays the safety net for a notice that did not arrive.
     */
    private void closeInterrupted() {
        Instant now = clock.instant();
        int closed =
                em.createNativeQuery(
                                """
                        update notification set outcome = 'INTERRUPTED', handled_at = :now
                        where outcome is null and handing_over_since < :before""")
                        .setParameter("now", now)
                        .setParameter("before", now.minus(INTERRUPTED_AFTER))
                        .executeUpdate();
        if (closed > 0) {
            Log.warnf(
                    "notifications interrupted during their hand-over, not sent again count=%d",
                    closed);
        }
    }

    private static void handled(
            Notification notification, Notification.Outcome outcome, Instant now) {
        notification.outcome = outcome;
        notification.handledAt = now;
        Log.infof(
                "notification %s notificationId=%s kind=%s userId=%s",
                outcome.name().toLowerCase(java.util.Locale.ROOT),
                notification.id,
                notification.kind,
                notification.userId);
    }

    static Duration retryDelay(int attempts) {
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 16));
        return delay.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay;
    }

    /** Forgets handled e-mails after the retention (the unread-reminder records stay: never remind twice). */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            identity = "notification-purge",
            every = "1h",
            delayed = "10m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        Instant cutoff = clock.instant().minus(config.retention());
        em.createNativeQuery(
                        """
                        delete from notification_digest_item where notification_id in
                          (select id from notification where outcome is not null and handled_at < :cutoff)""")
                .setParameter("cutoff", cutoff)
                .executeUpdate();
        int deleted =
                em.createNativeQuery(
                                "delete from notification where outcome is not null and handled_at < :cutoff")
                        .setParameter("cutoff", cutoff)
                        .executeUpdate();
        if (deleted > 0) {
            Log.infof("notifications purged count=%d", deleted);
        }
    }
}
