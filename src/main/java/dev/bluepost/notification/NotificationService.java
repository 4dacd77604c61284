package dev.bluepost.notification;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.IdentityService.UserView;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.SenderKind;
import dev.bluepost.messaging.ThreadAccess;
import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.outbox.ProcessedEvents;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides who is told about a new message, and how: each login on the receiving side gets one
 * e-mail for the message, a line in their next daily digest, or nothing, as they chose. When the
 * care team writes, the receiving side is the patient's own login and the logins of the patient's
 * proxies (not for a thread the patient marked sensitive); when the patient's side writes, it is
 * the staff behind the addressed practitioner or pool, only if staff notifications are switched on.
 * Decisions are rows in the database; {@link NotificationDelivery} sends them.
 */
@ApplicationScoped
public class NotificationService {

    /** The refusal of a missing frequency (pages show it in the reader's words). */
    /** No frequency chosen: said on the page's frequency field. */
    static BluepostException chooseFrequency() {
        return BluepostException.said(
                        ErrorKind.BUSINESS_RULE,
                        NotificationPageMessages.class,
                        NotificationPageMessages::error_frequency)
                .about("frequency");
    }

    static final String CONSUMER = "notifications";

    private final EntityManager em;
    private final ProcessedEvents processed;
    private final IdentityService identities;
    private final ThreadAccess threadAccess;
    private final DirectoryService directory;
    private final NotificationConfig config;
    private final Clock clock;

    public NotificationService(
            EntityManager em,
            ProcessedEvents processed,
            IdentityService identities,
            ThreadAccess threadAccess,
            DirectoryService directory,
            NotificationConfig config,
            Clock clock) {
        this.em = em;
        this.processed = processed;
        this.identities = identities;
        this.threadAccess = threadAccess;
        this.directory = directory;
        this.config = config;
        this.clock = clock;
    }

    /** Applies one {@code message.created} event; a redelivered event changes nothing. */
    @Transactional
    public void onMessageCreated(MessageCreatedEvent event) {
        if (!event.secure() || event.automatic()) {
            return; // outside-channel records and auto-replies are nobody's news (and need no
            // record)
        }
        if (!processed.firstDelivery(CONSUMER, event.eventId())) {
            Log.debugf("notifications eventId=%s already processed", event.eventId());
            return;
        }
        SenderKind sender = SenderKind.valueOf(event.senderKind());
        List<UserView> receivers;
        if (sender.isCareTeam()) {
            receivers =
                    identities.patientSideLogins(
                            event.patientId(), !threadAccess.hiddenFromProxies(event.threadId()));
        } else if (sender.isPatientSide() && config.staff().enabled()) {
            receivers =
                    identities.staffLogins(
                            event.practiceId(), addressedPractitioners(event.recipients()));
        } else {
            return;
        }
        Instant now = clock.instant();
        Map<UUID, Frequency> frequencies =
                frequencies(receivers.stream().map(UserView::id).toList());
        int immediate = 0;
        int digest = 0;
        for (UserView receiver : receivers) {
            switch (frequencies.get(receiver.id())) {
                case EACH_MESSAGE ->
                        immediate +=
                                queue(
                                                receiver.id(),
                                                NotificationKind.NEW_MESSAGE,
                                                event.messageId(),
                                                1,
                                                null,
                                                now)
                                        ? 1
                                        : 0;
                case DAILY_DIGEST ->
                        digest +=
                                addToDigest(
                                                receiver.id(),
                                                event.messageId(),
                                                event.practiceId(),
                                                now)
                                        ? 1
                                        : 0;
                case NONE -> {}
            }
        }
        Log.infof(
                "notifications decided eventId=%s messageId=%s immediate=%d digest=%d",
                event.eventId(), event.messageId(), immediate, digest);
    }

    /**
     * A clinician opened emergency access: every compliance officer of the practice gets a notice
     * (whatever their message-notice preference), in the granting transaction.
     */
    void onEmergencyAccess(
            @jakarta.enterprise.event.Observes
                    dev.bluepost.messaging.emergency.EmergencyAccessOpened opened) {
        Instant now = clock.instant();
        int queued = 0;
        for (UserView officer :
                identities.staffWithRole(
                        opened.practiceId(), dev.bluepost.platform.security.Role.COMPLIANCE)) {
            queued +=
                    em.createNativeQuery(
                                    """
                            insert into notification (id, user_id, kind, emergency_access_id, message_count, created_at,
                                                      next_attempt_at, attempts)
                            values (:id, :user, 'EMERGENCY_ACCESS', :access, 1, :now, :now, 0)
                            on conflict do nothing""")
                            .setParameter("id", Ids.newId())
                            .setParameter("user", officer.id())
                            .setParameter("access", opened.emergencyAccessId())
                            .setParameter("now", now)
                            .executeUpdate();
        }
        Log.infof(
                "notifications decided emergencyAccessId=%s complianceOfficers=%d",
                opened.emergencyAccessId(), queued);
    }

    /** The practitioners a patient's message was addressed to, directly or as members of a pool. */
    private Set<UUID> addressedPractitioners(List<String> recipients) {
        Set<UUID> practitioners = new HashSet<>();
        for (String reference : recipients == null ? List.<String>of() : recipients) {
            Party party = Party.parse(reference);
            if (party.is(Party.PRACTITIONER)) {
                practitioners.add(party.id());
            } else if (party.is(Party.CARE_TEAM)) {
                directory
                        .pool(party.id())
                        .filter(PoolView::active)
                        .ifPresent(pool -> practitioners.addAll(pool.memberIds()));
            }
        }
        return practitioners;
    }

    // ---------------------------------------------------------------- preferences

    /** A person's choice (each message when they never chose). */
    @Transactional
    public Frequency frequencyOf(UUID userId) {
        NotificationPreference preference = NotificationPreference.findById(userId);
        return preference == null ? Frequency.EACH_MESSAGE : preference.frequency;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Map<UUID, Frequency> frequencies(List<UUID> userIds) {
        Map<UUID, Frequency> frequencies = new LinkedHashMap<>();
        userIds.forEach(id -> frequencies.put(id, Frequency.EACH_MESSAGE));
        if (!userIds.isEmpty()) {
            NotificationPreference.<NotificationPreference>list("userId in ?1", userIds)
                    .forEach(p -> frequencies.put(p.userId, p.frequency));
        }
        return frequencies;
    }

    /**
     * The signed-in person's own settings: the address their notifications go to (blank removes it)
     * and how often. Both change together or not at all.
     */
    @Transactional
    public void savePreferences(Actor actor, String email, Frequency frequency) {
        if (actor.userId() == null) {
            throw BluepostException.forbidden(
                    "Only a person with a login has notification settings.");
        }
        if (frequency == null) {
            throw chooseFrequency();
        }
        identities.changeEmail(actor.userId(), email);
        NotificationPreference preference = NotificationPreference.findById(actor.userId());
        boolean first = preference == null;
        if (first) {
            preference = new NotificationPreference();
            preference.userId = actor.userId();
        }
        preference.frequency = frequency;
        preference.updatedAt = clock.instant();
        if (first) {
            preference.persist();
        }
        Log.infof(
                "notification preference changed userId=%s frequency=%s",
                actor.userId(), frequency);
    }

    // ---------------------------------------------------------------- queueing

    /** Queues one e-mail; false when the same notice for the same message or day is already queued. */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean queue(
            UUID userId,
            NotificationKind kind,
            UUID messageId,
            int count,
            LocalDate digestDay,
            Instant now) {
        return queued(Ids.newId(), userId, kind, messageId, count, digestDay, now);
    }

    /** Inserts the row unless its unique keys say it exists (a digest has a day and no message; others the reverse). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean queued(
            UUID id,
            UUID userId,
            NotificationKind kind,
            UUID messageId,
            int count,
            LocalDate digestDay,
            Instant now) {
        boolean digest = kind == NotificationKind.DIGEST;
        var insert =
                em.createNativeQuery(
                                """
                        insert into notification (id, user_id, kind, message_id, message_count, digest_day, created_at,
                                                  next_attempt_at, attempts)
                        values (:id, :user, :kind, %s, :count, %s, :now, :now, 0)
                        on conflict do nothing"""
                                        .formatted(
                                                digest ? "null" : ":message",
                                                digest ? ":day" : "null"))
                        .setParameter("id", id)
                        .setParameter("user", userId)
                        .setParameter("kind", kind.name())
                        .setParameter("count", count)
                        .setParameter("now", now);
        if (digest) {
            insert.setParameter("day", java.util.Objects.requireNonNull(digestDay));
        } else {
            insert.setParameter("message", java.util.Objects.requireNonNull(messageId));
        }
        return insert.executeUpdate() == 1;
    }

    private boolean addToDigest(UUID userId, UUID messageId, UUID practiceId, Instant now) {
        return em.createNativeQuery(
                                """
                        insert into notification_digest_item (id, user_id, message_id, practice_id, created_at)
                        values (:id, :user, :message, :practice, :now)
                        on conflict do nothing""")
                        .setParameter("id", Ids.newId())
                        .setParameter("user", userId)
                        .setParameter("message", messageId)
                        .setParameter("practice", practiceId)
                        .setParameter("now", now)
                        .executeUpdate()
                == 1;
    }
}
