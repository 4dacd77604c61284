package dev.bluepost.triage;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.SenderKind;
import dev.bluepost.messaging.ThreadAccess;
import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.db.TxJdbc;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.kafka.Topics;
import dev.bluepost.platform.outbox.OutboxService;
import dev.bluepost.platform.outbox.ProcessedEvents;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The triage queues: a patient's secure message becomes a queue item (Task) owned by the pool or
 * practitioner it was written to, due when the patient was told to expect an answer; a reply from
 * the care team closes the thread's open items. Every change is announced on the triage topic.
 */
@ApplicationScoped
public class TriageService {

    static final String CONSUMER = "triage";
    private static final String DEFAULT_POOL = "Front desk";

    private final EntityManager em;
    private final ProcessedEvents processed;
    private final OutboxService outbox;
    private final DirectoryService directory;
    private final Clock clock;
    private final RuleRunner rules;
    private final AutoReplies replies;
    private final SlaClock sla;
    private final MessageSending sending;
    private final ThreadAccess threadAccess;
    private final PracticeSetups setups;

    public TriageService(
            EntityManager em,
            ProcessedEvents processed,
            OutboxService outbox,
            DirectoryService directory,
            Clock clock,
            RuleRunner rules,
            AutoReplies replies,
            SlaClock sla,
            MessageSending sending,
            ThreadAccess threadAccess,
            PracticeSetups setups) {
        this.setups = setups;
        this.sla = sla;
        this.sending = sending;
        this.threadAccess = threadAccess;
        this.em = em;
        this.processed = processed;
        this.outbox = outbox;
        this.directory = directory;
        this.clock = clock;
        this.rules = rules;
        this.replies = replies;
    }

    /** A queue item as the console and the FHIR API show it. */
    public record QueueItem(
            UUID id,
            String versionId,
            UUID practiceId,
            UUID messageId,
            UUID threadId,
            UUID patientId,
            Party owner,
            TaskStatus status,
            String priority,
            String category,
            Instant receivedAt,
            Instant dueBy,
            Instant createdAt,
            Instant updatedAt,
            UUID queuePoolId,
            List<String> tags) {}

    /**
     * Applies one message event; a redelivered event changes nothing.
     *
     * @param redFlagLane the event came through the red-flag lane (its text raised a red flag when sent;
     *                    a routine-lane message's text raised none, so the rules need not search it again)
     */
    @Transactional
    public void onMessageCreated(MessageCreatedEvent event, boolean redFlagLane) {
        if (!event.secure() || event.automatic()) {
            return; // no effect, so nothing to remember either (an automatic reply is half the
            // events)
        }
        if (!processed.firstDelivery(CONSUMER, event.eventId())) {
            Log.debugf("triage eventId=%s already processed", event.eventId());
            return;
        }
        SenderKind sender = SenderKind.valueOf(event.senderKind());
        if (sender.isPatientSide()) {
            createItem(event, sender, redFlagLane);
        } else if (sender.isCareTeam()) {
            completeOpenItems(event.threadId(), event.messageId(), event.receivedAt());
        }
    }

    private void createItem(MessageCreatedEvent event, SenderKind sender, boolean redFlagLane) {
        // plain SQL: items are written at once (insert below), never held back for a flush
        if (TxJdbc.first(em, "select 1 from triage_item where message_id = ?", event.messageId())
                .isPresent()) {
            return;
        }
        Instant now = clock.instant();
        TriageItem item = new TriageItem();
        item.id = Ids.newId();
        item.practiceId = event.practiceId();
        item.messageId = event.messageId();
        item.threadId = event.threadId();
        item.patientId = event.patientId();
        Party owner = ownerFor(event);
        item.ownerType = owner.type();
        item.ownerId = owner.id();
        item.queuePoolId = owner.is(Party.CARE_TEAM) ? owner.id() : null;
        item.status = TaskStatus.REQUESTED.code();
        item.priority = event.priority();
        item.category = event.category();
        item.receivedAt = event.receivedAt();
        item.dueBy = event.replyExpectedBy();
        item.createdAt = now;
        item.updatedAt = now;
        rules.run(item, sender.name(), redFlagLane);
        boolean onCall = sla.start(item);
        // written once the rules and the SLA have set it; nothing in this transaction changes it
        // afterwards
        insert(item);
        // the patient sees the due-by the rules and the SLA set as "expect an answer by" (the
        // on-call team's: around the clock)
        sending.promiseReplyBy(item.threadId, item.dueBy, onCall);
        announce(item, "created");
        Log.debugf(
                "triage item created taskId=%s messageId=%s owner=%s/%s",
                item.id, item.messageId, item.ownerType, item.ownerId);
    }

    /**
     * A new item's row, with plain SQL at once: every patient message makes one, and Hibernate's
     * entity insert cost more than the statement (docs/adr/0032-message-path-under-load.md). The item
     * stays a plain object; later reads in the transaction find the row.
     */
    private void insert(TriageItem item) {
        TxJdbc.flushPendingInserts(em); // a pool the rules created for the item, say
        TxJdbc.update(
                em,
                """
                insert into triage_item (id, version, practice_id, message_id, thread_id, patient_id, owner_type, owner_id, status,
                    priority, category, received_at, due_by, created_at, updated_at, completed_at, queue_pool_id,
                    kept_open_by_message_id, sla_warn_at, sla_warned_at, sla_breached_at, tags)
                values (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                item.id,
                item.practiceId,
                item.messageId,
                item.threadId,
                item.patientId,
                item.ownerType,
                item.ownerId,
                item.status,
                item.priority,
                item.category,
                item.receivedAt,
                item.dueBy,
                item.createdAt,
                item.updatedAt,
                item.completedAt,
                item.queuePoolId,
                item.keptOpenByMessageId,
                item.slaWarnAt,
                item.slaWarnedAt,
                item.slaBreachedAt,
                item.tags);
        item.version = 0;
    }

    /** The pool or practitioner the message was written to; else the thread's last owner; else the front desk. */
    private Party ownerFor(MessageCreatedEvent event) {
        for (String recipient : event.recipients()) {
            Party party = Party.parse(recipient);
            if (party.is(Party.CARE_TEAM) || party.is(Party.PRACTITIONER)) {
                return party;
            }
        }
        Optional<TriageItem> previous =
                em.createQuery(
                                "from TriageItem where threadId = :t order by createdAt desc",
                                TriageItem.class)
                        .setParameter("t", event.threadId())
                        .setMaxResults(1)
                        .getResultStream()
                        .findFirst();
        if (previous.isPresent()) {
            return new Party(previous.get().ownerType, previous.get().ownerId);
        }
        List<PoolView> pools = setups.of(event.practiceId()).pools();
        return pools.stream()
                .filter(p -> p.name().equalsIgnoreCase(DEFAULT_POOL))
                .findFirst()
                .or(() -> pools.stream().findFirst())
                .map(p -> new Party(Party.CARE_TEAM, p.id()))
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "practice "
                                                + event.practiceId()
                                                + " has no pool to queue message "
                                                + event.messageId()
                                                + " in"));
    }

    /** A retracted patient message no longer needs an answer: its open item is cancelled. */
    @Transactional
    public void onMessageRetracted(dev.bluepost.messaging.events.MessageRetractedEvent event) {
        if (!processed.firstDelivery(CONSUMER, event.eventId())) {
            return;
        }
        em.createQuery(
                        "from TriageItem where messageId = :m and status in ('requested', 'accepted', 'in-progress')",
                        TriageItem.class)
                .setParameter("m", event.messageId())
                .getResultList()
                .forEach(item -> close(item, TaskStatus.CANCELLED, "retracted"));
    }

    /** A closed conversation needs nothing more: its open items are completed. */
    @Transactional
    public void onThreadClosed(dev.bluepost.messaging.events.ThreadClosedEvent event) {
        if (!processed.firstDelivery(CONSUMER, event.eventId())) {
            return;
        }
        em.createQuery(
                        "from TriageItem where threadId = :t and status in ('requested', 'accepted', 'in-progress')",
                        TriageItem.class)
                .setParameter("t", event.threadId())
                .getResultList()
                .forEach(item -> close(item, TaskStatus.COMPLETED, "thread closed"));
        replies.dropPending(event.threadId(), null);
    }

    private void close(TriageItem item, TaskStatus status, String why) {
        Instant now = clock.instant();
        item.status = status.code();
        item.completedAt = now;
        item.updatedAt = now;
        announce(item, "status");
        Log.infof("triage item %s taskId=%s (%s)", status.code(), item.id, why);
    }

    /**
     * A care-team reply completes the thread's open items the patient wrote before it. An item
     * received after the reply stays open: it can be triaged first when it came through the
     * red-flag lane while the reply's event still waited in the routine lane.
     */
    private void completeOpenItems(UUID threadId, UUID replyMessageId, Instant replyReceivedAt) {
        List<TriageItem> open =
                em.createQuery(
                                "from TriageItem where threadId = :t and status in ('requested', 'accepted', 'in-progress') "
                                        + "and receivedAt <= :r",
                                TriageItem.class)
                        .setParameter("t", threadId)
                        .setParameter("r", replyReceivedAt)
                        .getResultList();
        for (TriageItem item : open) {
            if (replyMessageId.equals(item.keptOpenByMessageId)) {
                continue; // a macro answered and kept it open
            }
            close(item, TaskStatus.COMPLETED, "answered by message " + replyMessageId);
        }
        replies.dropPending(threadId, replyMessageId);
    }

    // ---------------------------------------------------------------- console and FHIR

    @Transactional
    public List<QueueItem> openItems(UUID practiceId) {
        return em
                .createQuery(
                        """
                        from TriageItem where practiceId = :p and status in ('requested', 'accepted', 'in-progress')
                        order by case priority when 'stat' then 0 when 'asap' then 1 when 'urgent' then 2 else 3 end,
                                 dueBy nulls last, receivedAt""",
                        TriageItem.class)
                .setParameter("p", practiceId)
                .getResultList()
                .stream()
                .map(TriageService::view)
                .toList();
    }

    @Transactional
    public Optional<QueueItem> item(UUID id, Actor actor) {
        return Optional.ofNullable(em.find(TriageItem.class, id))
                .filter(i -> visible(i, actor))
                .map(TriageService::view);
    }

    /**
     * Assigns an item to a pool or a practitioner of its practice, and/or changes its status: the
     * one operation behind the console and {@code PUT Task}. A stale version is a conflict.
     */
    @Transactional
    public QueueItem update(
            UUID id, Party owner, TaskStatus status, String expectedVersionId, Actor actor) {
        TriageItem item = em.find(TriageItem.class, id);
        if (item == null || !visible(item, actor)) {
            throw BluepostException.notFound("Task", id);
        }
        if (expectedVersionId != null && !expectedVersionId.equals(item.versionId())) {
            throw BluepostException.preconditionFailed(
                    "Task/"
                            + id
                            + " is at version "
                            + item.versionId()
                            + ", not "
                            + expectedVersionId
                            + "; someone changed it meanwhile.");
        }
        boolean assigned = false;
        if (owner != null
                && !(owner.type().equals(item.ownerType) && owner.id().equals(item.ownerId))) {
            checkOwner(owner, item.practiceId);
            item.ownerType = owner.type();
            item.ownerId = owner.id();
            if (owner.is(Party.CARE_TEAM)) {
                item.queuePoolId = owner.id();
            }
            threadAccess.shareWith(
                    item.threadId, owner); // a restricted thread opens to whoever holds its item
            assigned = true;
        }
        boolean statusChanged = false;
        if (status != null && !status.code().equals(item.status)) {
            item.status = status.code();
            item.completedAt = status.isOpen() ? null : clock.instant();
            statusChanged = true;
        }
        if (assigned || statusChanged) {
            item.updatedAt = clock.instant();
            em.flush();
            announce(item, assigned ? "assigned" : "status");
            Log.infof(
                    "triage item updated taskId=%s by=%s assigned=%s status=%s",
                    item.id, actor.logId(), assigned, item.status);
        }
        return view(item);
    }

    /**
     * The caller takes the item (owner = their Practitioner record, status in-progress). Refused,
     * naming the holder, when another person holds it already (a stale claim).
     */
    @Transactional
    public QueueItem claim(UUID id, Actor actor) {
        TriageItem item = lockedOpenItem(id, actor);
        Party me = me(actor);
        if (item.ownerType.equals(Party.PRACTITIONER) && !item.ownerId.equals(me.id())) {
            String holder = holder(item);
            throw Refused.conflict(m -> m.claimed(holder == null ? m.someone_else() : holder));
        }
        return update(id, me, TaskStatus.IN_PROGRESS, null, actor);
    }

    /** The holder gives the item back to its pool's queue. */
    @Transactional
    public QueueItem release(UUID id, Actor actor) {
        TriageItem item = lockedOpenItem(id, actor);
        Party me = me(actor);
        if (!(item.ownerType.equals(Party.PRACTITIONER) && item.ownerId.equals(me.id()))) {
            boolean held = item.ownerType.equals(Party.PRACTITIONER);
            String holder = held ? holder(item) : null;
            throw Refused.conflict(
                    m ->
                            !held
                                    ? m.release_nobody()
                                    : m.release_held(holder == null ? m.someone_else() : holder));
        }
        List<PoolView> pools = directory.poolsOfPractice(item.practiceId);
        UUID pool =
                item.queuePoolId != null
                        ? item.queuePoolId
                        : pools.stream()
                                .filter(p -> p.name().equalsIgnoreCase(DEFAULT_POOL))
                                .findFirst()
                                .or(() -> pools.stream().findFirst())
                                .map(PoolView::id)
                                .orElseThrow(() -> Refused.conflict(TriageRefusals::no_pool));
        return update(id, new Party(Party.CARE_TEAM, pool), TaskStatus.REQUESTED, null, actor);
    }

    /**
     * "Serve me the next one": the most urgent, soonest-due unclaimed item (of one pool, or of any),
     * claimed for the caller; two people asking at once get different items.
     */
    @Transactional
    public Optional<QueueItem> next(UUID poolId, Actor actor) {
        me(actor);
        String sql =
                "select id from triage_item where practice_id = ?1 and status in ('requested', 'accepted') "
                        + "and owner_type = 'CareTeam'"
                        + (poolId == null ? "" : " and owner_id = ?2")
                        + " order by case priority when 'stat' then 0 when 'asap' then 1 when 'urgent' then 2 else 3 end, "
                        + "due_by nulls last, received_at limit 1 for update skip locked";
        var query = em.createNativeQuery(sql).setParameter(1, actor.practiceId());
        if (poolId != null) {
            query.setParameter(2, poolId);
        }
        @SuppressWarnings("unchecked")
        List<UUID> ids = query.getResultList();
        return ids.isEmpty() ? Optional.empty() : Optional.of(claim(ids.get(0), actor));
    }

    /** Who holds an item, for messages to staff; null when their record is gone. */
    private String holder(TriageItem item) {
        return directory.practitioner(item.ownerId).map(p -> p.displayName()).orElse(null);
    }

    private TriageItem lockedOpenItem(UUID id, Actor actor) {
        TriageItem item =
                em.find(TriageItem.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (item == null || !visible(item, actor)) {
            throw BluepostException.notFound("Task", id);
        }
        if (!TaskStatus.fromCode(item.status).map(TaskStatus::isOpen).orElse(false)) {
            String status = item.status;
            throw Refused.conflict(
                    m ->
                            switch (status) {
                                case "completed" -> m.already_completed();
                                case "cancelled" -> m.already_cancelled();
                                default -> m.already(status);
                            });
        }
        return item;
    }

    private static Party me(Actor actor) {
        if (actor.practitionerId() == null) {
            throw Refused.forbidden(TriageRefusals::cannot_hold);
        }
        return new Party(Party.PRACTITIONER, actor.practitionerId());
    }

    /** Open items of a thread (the console's thread page). */
    @Transactional
    public List<QueueItem> openItemsOfThread(UUID threadId, Actor actor) {
        return em
                .createQuery(
                        "from TriageItem where threadId = :t and status in ('requested', 'accepted', 'in-progress') "
                                + "order by receivedAt",
                        TriageItem.class)
                .setParameter("t", threadId)
                .getResultList()
                .stream()
                .filter(i -> visible(i, actor))
                .map(TriageService::view)
                .toList();
    }

    private void checkOwner(Party owner, UUID practiceId) {
        boolean ok =
                switch (owner.type()) {
                    case Party.CARE_TEAM ->
                            directory
                                    .pool(owner.id())
                                    .filter(p -> p.practiceId().equals(practiceId))
                                    .isPresent();
                    case Party.PRACTITIONER ->
                            directory
                                    .practitioner(owner.id())
                                    .filter(p -> p.practiceIds().contains(practiceId))
                                    .isPresent();
                    default -> false;
                };
        if (!ok) {
            throw Refused.rule(m -> m.owner_not_of_practice(owner.reference()));
        }
    }

    public boolean visible(TriageItem item, Actor actor) {
        return actor.isSystem()
                || ((actor.isStaff() || actor.isPracticeClient())
                        && item.practiceId.equals(actor.practiceId()));
    }

    /**
     * A macro's part after its reply: assigns the thread's open items (when an owner is given) and,
     * when kept open, marks them in progress so that the macro's own reply does not complete them.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterMacroReply(
            UUID threadId, UUID replyMessageId, Party owner, boolean keepOpen, Actor actor) {
        List<TriageItem> open =
                em.createQuery(
                                "from TriageItem where threadId = :t and status in ('requested', 'accepted', 'in-progress')",
                                TriageItem.class)
                        .setParameter("t", threadId)
                        .getResultList();
        for (TriageItem item : open) {
            if (!visible(item, actor)) {
                throw BluepostException.notFound("Task", item.id);
            }
            if (keepOpen) {
                item.keptOpenByMessageId = replyMessageId;
            }
            update(item.id, owner, keepOpen ? TaskStatus.IN_PROGRESS : null, null, actor);
        }
    }

    /** A job changed the item (SLA clocks, time-based rules): announced like any change, so consoles update live. */
    void announceChange(TriageItem item, String change) {
        announce(item, change);
    }

    private void announce(TriageItem item, String change) {
        outbox.enqueue(
                Topics.TRIAGE_EVENTS,
                item.threadId.toString(),
                new dev.bluepost.triage.events.TriageItemChangedEvent(
                        Ids.newId(),
                        dev.bluepost.triage.events.TriageItemChangedEvent.TYPE,
                        dev.bluepost.triage.events.TriageItemChangedEvent.VERSION,
                        clock.instant(),
                        item.id,
                        item.messageId,
                        item.threadId,
                        item.practiceId,
                        change,
                        item.ownerType + "/" + item.ownerId,
                        item.status,
                        item.priority,
                        item.dueBy));
    }

    static QueueItem view(TriageItem i) {
        return new QueueItem(
                i.id,
                i.versionId(),
                i.practiceId,
                i.messageId,
                i.threadId,
                i.patientId,
                new Party(i.ownerType, i.ownerId),
                TaskStatus.fromCode(i.status).orElseThrow(),
                i.priority,
                i.category,
                i.receivedAt,
                i.dueBy,
                i.createdAt,
                i.updatedAt,
                i.queuePoolId,
                List.of(i.tags));
    }
}
