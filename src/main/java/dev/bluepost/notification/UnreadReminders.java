package dev.bluepost.notification;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.IdentityService.UserView;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageViews.UnreadByPatient;
import dev.bluepost.platform.errors.ErrorClassifier;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Unread reminders: a care-team message that nobody on the patient's side has opened within
 * {@code bluepost.messaging.unread-reminder-days} (the list staff see on {@code /staff/unread})
 * gets one reminder e-mail to the patient and, unless the thread is sensitive, the proxies; people
 * who chose no e-mail get none. Each message is recorded in {@code unread_reminder} in the same
 * transaction, so it is never reminded again, whether or not anybody could be e-mailed.
 * <p>
 * Each run asks messaging for the messages that became overdue within the last {@link #WINDOW}
 * (received between the cut-off minus the window and the cut-off) and skips those already
 * recorded. A reminder more than a week late is not sent, so switching reminders on, or restarting
 * after a long outage, does not e-mail about old messages. One instance at a time (advisory lock).
 */
@ApplicationScoped
public class UnreadReminders {

    /** {@code pg_try_advisory_xact_lock} key: "blue-rem". */
    private static final long LOCK = 0x626c75652d72656dL;

    static final Duration WINDOW = Duration.ofDays(7);
    private static final int PAGE = 200;

    private final EntityManager em;
    private final MessageReading reading;
    private final IdentityService identities;
    private final NotificationService notifications;
    private final Clock clock;

    public UnreadReminders(
            EntityManager em,
            MessageReading reading,
            IdentityService identities,
            NotificationService notifications,
            Clock clock) {
        this.em = em;
        this.reading = reading;
        this.identities = identities;
        this.notifications = notifications;
        this.clock = clock;
    }

    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            identity = "notification-unread-reminders",
            every = "{bluepost.notifications.job-interval}",
            delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            Log.warnf(
                    "unread reminders not run: %s%s",
                    e.getClass().getName(),
                    ErrorClassifier.isDatabaseUnavailable(e) ? " (database unavailable)" : "");
        }
    }

    /** Decides the reminders that are due now; returns for how many messages. */
    @Transactional
    public int run() {
        if (!Boolean.TRUE.equals(
                em.createNativeQuery("select pg_try_advisory_xact_lock(:key)")
                        .setParameter("key", LOCK)
                        .getSingleResult())) {
            return 0;
        }
        Instant now = clock.instant();
        Instant from = reading.unreadCutoff().minus(WINDOW);
        int reminded = 0;
        UnreadByPatient after = null;
        while (true) {
            List<UnreadByPatient> page = reading.unreadByPatientSince(from, after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            Set<UUID> done =
                    Set.copyOf(
                            em.createQuery(
                                            "select r.messageId from UnreadReminder r where r.messageId in :ids",
                                            UUID.class)
                                    .setParameter(
                                            "ids",
                                            page.stream().map(UnreadByPatient::messageId).toList())
                                    .getResultList());
            for (UnreadByPatient message : page) {
                if (done.contains(message.messageId())) {
                    continue;
                }
                List<UserView> receivers =
                        identities.patientSideLogins(
                                message.patientId(), !message.hiddenFromProxies());
                Map<UUID, Frequency> frequencies =
                        notifications.frequencies(receivers.stream().map(UserView::id).toList());
                int queued = 0;
                for (UserView receiver : receivers) {
                    if (frequencies.get(receiver.id()) != Frequency.NONE
                            && notifications.queue(
                                    receiver.id(),
                                    NotificationKind.UNREAD_REMINDER,
                                    message.messageId(),
                                    1,
                                    null,
                                    now)) {
                        queued++;
                    }
                }
                UnreadReminder record = new UnreadReminder();
                record.messageId = message.messageId();
                record.receivedAt = message.receivedAt();
                record.remindedAt = now;
                record.recipients = queued;
                record.persist();
                reminded++;
                Log.infof(
                        "unread reminder messageId=%s recipients=%d", message.messageId(), queued);
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        return reminded;
    }
}
