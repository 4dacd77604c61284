package dev.bluepost.messaging;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.TamperedDataException;
import dev.bluepost.messaging.MessageViews.AttachmentContent;
import dev.bluepost.messaging.MessageViews.AttachmentView;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.MessageViews.ThreadSummary;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.ThreadAccess.Access;
import dev.bluepost.platform.db.TxJdbc;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reading: messages and threads read back, decrypted and integrity-checked, to those allowed to
 * see them ({@link ThreadAccess}; a thread a caller may not see is reported as not found, so its
 * existence does not leak). A person opening a thread sets its read receipts and is recorded in the
 * audit log; so is a download of an attachment. Also what other features read by id: a message's
 * thread, what triage's rules read of a message, the care team's messages the patient has not opened.
 * The decrypting itself is {@link MessageSealing}'s.
 */
@ApplicationScoped
public class MessageReading {

    private final EntityManager em;
    private final ThreadAccess threadAccess;
    private final MessageSealing sealing;
    private final MessagingConfig config;
    private final Clock clock;
    private final AuditRecorder audit;

    public MessageReading(
            EntityManager em,
            ThreadAccess threadAccess,
            MessageSealing sealing,
            MessagingConfig config,
            Clock clock,
            AuditRecorder audit) {
        this.em = em;
        this.threadAccess = threadAccess;
        this.sealing = sealing;
        this.config = config;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * A thread as the caller may see it, decrypted. Opening it is recorded: staff opening it mark
     * the patient's messages "opened by your care team"; the patient or a proxy opening it marks the
     * care team's messages read by the patient.
     */
    @Transactional
    public ThreadView thread(UUID threadId, Actor actor) {
        return thread(em.find(MessageThread.class, threadId), actor, true);
    }

    /**
     * The whole message history of the caller's patient (every thread the caller may see, oldest
     * first), for the Blue Button download. Downloading is not reading: no read receipts are set.
     */
    @Transactional
    public List<ThreadView> history(Actor actor) {
        if (!actor.isPatientSide() || actor.patientId() == null) {
            throw MessageSending.said(ErrorKind.FORBIDDEN, ThreadMessages::error_history_own);
        }
        return em
                .createQuery(
                        "from MessageThread where patientId = :p order by createdAt",
                        MessageThread.class)
                .setParameter("p", actor.patientId())
                .getResultList()
                .stream()
                .filter(t -> threadAccess.visible(t, actor))
                .map(t -> thread(t, actor, false))
                .toList();
    }

    private ThreadView thread(MessageThread thread, Actor actor, boolean markAsRead) {
        Access access = threadAccess.requireVisible(thread, actor);
        UUID threadId = thread.id;
        List<Message> messages =
                em.createQuery(
                                "from Message where threadId = :t order by receivedAt, createdAt",
                                Message.class)
                        .setParameter("t", threadId)
                        .getResultList();
        if (markAsRead) {
            markRead(messages, actor);
            AuditEntry read =
                    AuditEntry.of(AuditAction.READ)
                            .on("Thread", thread.id)
                            .patient(thread.patientId)
                            .practice(thread.practiceId);
            audit.record(
                    actor,
                    access == Access.EMERGENCY ? read.reason(AuditRecorder.BREAK_GLASS) : read);
        }
        Map<UUID, Map<MessageRead.Side, Instant>> reads = reads(messages);
        Map<UUID, List<AttachmentView>> files = attachments(messages, Map.of(thread.id, thread));
        List<MessageView> views =
                messages.stream()
                        .map(m -> view(thread, m, reads.get(m.id), files.get(m.id)))
                        .toList();
        return new ThreadView(
                thread.id,
                thread.practiceId,
                thread.patientId,
                sealing.openTopic(thread),
                thread.category,
                thread.status,
                thread.sensitive,
                thread.createdAt,
                thread.lastMessageAt,
                thread.replyExpectedBy,
                thread.replyOnCall,
                actor.isPatientSide()
                        ? threadAccess.replyAvailability(thread)
                        : ("open".equals(thread.status)
                                ? ReplyAvailability.OPEN
                                : ReplyAvailability.CLOSED),
                views,
                threadAccess.emergencyAccessId(access, thread, actor),
                thread.closedEmergencyAccessId != null);
    }

    /** The threads of the patient the caller may see, newest first, with how many replies they have not opened. */
    @Transactional
    public List<ThreadSummary> threadsOfPatient(UUID patientId, Actor actor) {
        if (actor.isPatientSide() && !patientId.equals(actor.patientId())) {
            return List.of();
        }
        List<MessageThread> threads =
                em.createQuery(
                                "from MessageThread where patientId = :p order by lastMessageAt desc",
                                MessageThread.class)
                        .setParameter("p", patientId)
                        .getResultList();
        List<ThreadSummary> summaries = new ArrayList<>();
        for (MessageThread thread : threads) {
            if (!threadAccess.visible(thread, actor)) {
                continue;
            }
            Object[] counts =
                    em.createQuery(
                                    """
                            select count(m), sum(case when m.senderKind in :careTeam and not exists
                                (select 1 from MessageRead r where r.key.messageId = m.id and r.key.side = :patientSide)
                                then 1 else 0 end)
                            from Message m where m.threadId = :t""",
                                    Object[].class)
                            .setParameter("t", thread.id)
                            .setParameter(
                                    "careTeam",
                                    List.of(
                                            SenderKind.EP,
                                            SenderKind.STAFF_FOR_EP,
                                            SenderKind.STAFF,
                                            SenderKind.AUTOMATIC))
                            .setParameter("patientSide", MessageRead.Side.PATIENT)
                            .getSingleResult();
            summaries.add(
                    new ThreadSummary(
                            thread.id,
                            thread.practiceId,
                            thread.patientId,
                            sealing.openTopic(thread),
                            thread.category,
                            thread.status,
                            thread.sensitive,
                            thread.lastMessageAt,
                            thread.replyExpectedBy,
                            thread.replyOnCall,
                            ((Long) counts[0]).intValue(),
                            counts[1] == null ? 0 : ((Long) counts[1]).intValue()));
        }
        if (!summaries.isEmpty()) {
            audit.record(
                    actor,
                    AuditEntry.of(AuditAction.SEARCH)
                            .on("Thread", null)
                            .patient(patientId)
                            .practice(summaries.get(0).practiceId())
                            .reason("thread-list"));
        }
        return summaries;
    }

    /**
     * The subjects of these threads, for the staff queue: only of threads the caller reads as a
     * matter of course (a restricted thread's subject stays out, even under emergency access),
     * decrypted and checked; a thread without a subject is absent.
     */
    @Transactional
    public Map<UUID, String> topics(Collection<UUID> threadIds, Actor actor) {
        Map<UUID, String> topics = new HashMap<>();
        if (threadIds.isEmpty()) {
            return topics;
        }
        for (MessageThread thread :
                em.createQuery("from MessageThread where id in :ids", MessageThread.class)
                        .setParameter("ids", threadIds)
                        .getResultList()) {
            if (thread.topicCiphertext != null
                    && Set.of(Access.OPEN, Access.CARE_TEAM)
                            .contains(threadAccess.access(thread, actor))) {
                topics.put(thread.id, sealing.openTopic(thread));
            }
        }
        return topics;
    }

    @Transactional
    public MessageView message(UUID messageId, Actor actor) {
        Message message = em.find(Message.class, messageId);
        MessageThread thread =
                message == null ? null : em.find(MessageThread.class, message.threadId);
        if (!threadAccess.visible(thread, actor)) {
            // the same answer for a message the caller may not see as for none at all
            throw BluepostException.notFound("Communication", messageId);
        }
        return view(thread, message, reads(List.of(message)).get(message.id));
    }

    /** What triage's rules read of a patient's message. */
    public record RuleInput(
            UUID messageId,
            String text,
            String category,
            String priority,
            SenderKind senderKind,
            boolean hasAttachments) {}

    /**
     * A message as the triage rules read it, for the service itself (not shown to anyone, so not
     * audited): the text decrypted and checked, and whether files came with it — without the read
     * receipts and file names a person's view loads.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public RuleInput ruleInput(UUID messageId) {
        // one statement for what the rules need (a committed message: triage reads it after its
        // event),
        // instead of loading both entities and asking for the files separately
        Object[] row =
                TxJdbc.row(em, RULE_INPUT, messageId)
                        .orElseThrow(() -> BluepostException.notFound("Communication", messageId));
        UUID threadId = (UUID) row[0];
        String text =
                sealing.openBody(
                        messageId,
                        threadId,
                        (UUID) row[9],
                        (UUID) row[10],
                        (String) row[7],
                        (byte[]) row[8],
                        (byte[]) row[1],
                        (byte[]) row[2],
                        (byte[]) row[3]);
        return new RuleInput(
                messageId,
                text,
                (String) row[4],
                (String) row[5],
                SenderKind.valueOf((String) row[6]),
                (Boolean) row[11]);
    }

    private static final String RULE_INPUT =
            """
            select m.thread_id, m.body_iv, m.body_ciphertext, m.body_sha256, m.category, m.priority, m.sender_kind,
                   t.dek_kek_id, t.dek_wrapped, t.patient_id, t.practice_id,
                   exists (select 1 from message_attachment a where a.message_id = m.id)
            from message m join message_thread t on t.id = m.thread_id
            where m.id = ?""";

    /**
     * One attachment of a thread with its decrypted bytes, for a download. The caller must be
     * able to see the thread, and the attachment must belong to it; otherwise not found. The GCM
     * tag and the SHA-256 of the bytes (and of the name) are verified; a mismatch is refused.
     */
    @Transactional
    public AttachmentContent attachment(UUID threadId, UUID attachmentId, Actor actor) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        Access access = threadAccess.requireVisible(thread, actor);
        MessageAttachment row = em.find(MessageAttachment.class, attachmentId);
        if (row == null || !row.threadId.equals(thread.id)) {
            throw BluepostException.notFound("Attachment", attachmentId);
        }
        return content(thread, row, actor, access == Access.EMERGENCY);
    }

    /** An attachment by its id alone (FHIR Binary), if the caller may see its thread. */
    @Transactional
    public AttachmentContent attachment(UUID attachmentId, Actor actor) {
        MessageAttachment row = em.find(MessageAttachment.class, attachmentId);
        if (row == null) {
            throw BluepostException.notFound("Binary", attachmentId);
        }
        MessageThread thread = em.find(MessageThread.class, row.threadId);
        if (!threadAccess.visible(thread, actor)) {
            throw BluepostException.notFound("Binary", attachmentId);
        }
        return content(thread, row, actor, false);
    }

    /** The thread an attachment belongs to (for other features that hold only its id). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UUID> threadOfAttachment(UUID attachmentId) {
        MessageAttachment row = em.find(MessageAttachment.class, attachmentId);
        return row == null ? Optional.empty() : Optional.of(row.threadId);
    }

    private AttachmentContent content(
            MessageThread thread,
            MessageAttachment row,
            Actor actor,
            boolean underEmergencyAccess) {
        String name =
                sealing.openAttachmentName(
                        thread, row.id, row.nameIv, row.nameCiphertext, row.nameSha256);
        byte[] bytes = sealing.openAttachmentContent(thread, row);
        Log.infof("attachment read attachmentId=%s threadId=%s", row.id, thread.id);
        AuditEntry download =
                AuditEntry.of(AuditAction.DOWNLOAD)
                        .on("Attachment", row.id)
                        .patient(thread.patientId)
                        .practice(thread.practiceId);
        audit.record(
                actor,
                underEmergencyAccess ? download.reason(AuditRecorder.BREAK_GLASS) : download);
        return new AttachmentContent(
                new AttachmentView(
                        row.id,
                        row.messageId,
                        name,
                        row.contentType,
                        row.sizeBytes,
                        row.contentSha256,
                        row.contentSha1),
                thread.id,
                bytes);
    }

    /** Attachment metadata (names decrypted and checked, bytes not loaded) of these messages, by message id, in order. */
    private Map<UUID, List<AttachmentView>> attachments(
            List<Message> messages, Map<UUID, MessageThread> threads) {
        Map<UUID, List<AttachmentView>> byMessage = new HashMap<>();
        if (messages.isEmpty()) {
            return byMessage;
        }
        List<Object[]> rows =
                em.createQuery(
                                """
                        select a.id, a.messageId, a.threadId, a.contentType, a.sizeBytes, a.nameIv, a.nameCiphertext,
                               a.nameSha256, a.contentSha256, a.contentSha1
                        from MessageAttachment a where a.messageId in :ids order by a.messageId, a.position""",
                                Object[].class)
                        .setParameter("ids", messages.stream().map(m -> m.id).toList())
                        .getResultList();
        for (Object[] r : rows) {
            UUID id = (UUID) r[0];
            MessageThread thread = threads.get((UUID) r[2]);
            if (thread == null) {
                thread = em.find(MessageThread.class, (UUID) r[2]);
            }
            String name =
                    sealing.openAttachmentName(
                            thread, id, (byte[]) r[5], (byte[]) r[6], (byte[]) r[7]);
            byMessage
                    .computeIfAbsent((UUID) r[1], k -> new ArrayList<>())
                    .add(
                            new AttachmentView(
                                    id,
                                    (UUID) r[1],
                                    name,
                                    (String) r[3],
                                    (Long) r[4],
                                    (byte[]) r[8],
                                    (byte[]) r[9]));
        }
        return byMessage;
    }

    /** Decrypted views of stored messages (for searches; the caller has already scoped the query). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<MessageView> views(List<Message> messages, Actor actor) {
        return views(messages, actor, null);
    }

    /**
     * As {@link #views(List, Actor)}, but a message whose body fails its integrity check (refused,
     * logged by id and audited as always) is left out and its id handed to {@code leftOut}, so a
     * search still answers with the others. A null {@code leftOut} lets the failure propagate.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<MessageView> views(List<Message> messages, Actor actor, Consumer<UUID> leftOut) {
        Map<UUID, Map<MessageRead.Side, Instant>> reads = reads(messages);
        Map<UUID, MessageThread> threads = new HashMap<>();
        List<Message> visibleMessages = new ArrayList<>();
        for (Message message : messages) {
            MessageThread thread =
                    threads.computeIfAbsent(message.threadId, t -> em.find(MessageThread.class, t));
            if (threadAccess.visible(thread, actor)) {
                visibleMessages.add(message);
            }
        }
        Map<UUID, List<AttachmentView>> files = attachments(visibleMessages, threads);
        List<MessageView> views = new ArrayList<>();
        for (Message message : visibleMessages) {
            try {
                views.add(
                        view(
                                threads.get(message.threadId),
                                message,
                                reads.get(message.id),
                                files.get(message.id)));
            } catch (TamperedDataException e) {
                if (leftOut == null) {
                    throw e;
                }
                leftOut.accept(message.id);
            }
        }
        return views;
    }

    /** The message stored under this identifier, if the caller may see it (empty otherwise, as if absent). */
    @Transactional
    public Optional<MessageView> byIdentifier(String system, String value, Actor actor) {
        return findByIdentifier(system, value)
                .flatMap(
                        message -> {
                            MessageThread thread = em.find(MessageThread.class, message.threadId);
                            return threadAccess.visible(thread, actor)
                                    ? Optional.of(
                                            view(
                                                    thread,
                                                    message,
                                                    reads(List.of(message)).get(message.id)))
                                    : Optional.empty();
                        });
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UUID> threadOfMessage(UUID messageId) {
        return Optional.ofNullable(em.find(Message.class, messageId)).map(m -> m.threadId);
    }

    /**
     * The care team's messages of a practice that the patient has not opened within
     * {@code unreadReminderDays}, oldest first (for the staff list and the reminders).
     */
    @Transactional
    public List<MessageView> unreadByPatient(UUID practiceId, Actor actor) {
        List<Message> messages =
                em.createQuery(
                                "select m "
                                        + UNREAD_BY_PATIENT
                                        + " and m.practiceId = :p order by m.receivedAt",
                                Message.class)
                        .setParameter("p", practiceId)
                        .setParameter("careTeam", CARE_TEAM_KINDS)
                        .setParameter("cutoff", unreadCutoff())
                        .setParameter("patientSide", MessageRead.Side.PATIENT)
                        .setMaxResults(500)
                        .getResultList();
        return views(messages, actor);
    }

    /**
     * The same messages in every practice, as ids only, oldest first: those received from
     * {@code receivedFrom} up to the unread cut-off, after {@code after} in (received, id) order
     * when given (the last one of the previous page). What the unread reminders work through.
     */
    @Transactional
    public List<MessageViews.UnreadByPatient> unreadByPatientSince(
            Instant receivedFrom, MessageViews.UnreadByPatient after, int limit) {
        String page =
                after == null
                        ? " and m.receivedAt >= :from"
                        : " and m.receivedAt >= :from and (m.receivedAt > :afterAt or (m.receivedAt = :afterAt and m.id > :afterId))";
        var query =
                em.createQuery(
                        "select m.id, m.threadId, m.patientId, m.practiceId, t.sensitive, m.receivedAt "
                                + UNREAD_BY_PATIENT
                                + page
                                + " order by m.receivedAt, m.id",
                        Object[].class);
        if (after != null) {
            query.setParameter("afterAt", after.receivedAt())
                    .setParameter("afterId", after.messageId());
        }
        return query
                .setParameter("from", receivedFrom)
                .setParameter("careTeam", CARE_TEAM_KINDS)
                .setParameter("cutoff", unreadCutoff())
                .setParameter("patientSide", MessageRead.Side.PATIENT)
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(
                        row ->
                                new MessageViews.UnreadByPatient(
                                        (UUID) row[0],
                                        (UUID) row[1],
                                        (UUID) row[2],
                                        (UUID) row[3],
                                        (Boolean) row[4],
                                        (Instant) row[5]))
                .toList();
    }

    /**
     * The care team's replies of a practice written by people (not automatic) that the patient's
     * side has not opened and that were received before {@code cutoff}, oldest first, as ids (what
     * triage's "patient has not read a reply in N days" event works through).
     */
    @Transactional
    public List<MessageViews.UnreadByPatient> unreadRepliesBefore(
            UUID practiceId, Instant cutoff, int offset, int limit) {
        return em
                .createQuery(
                        "select m.id, m.threadId, m.patientId, m.practiceId, t.sensitive, m.receivedAt "
                                + UNREAD_BY_PATIENT
                                + " and m.automatic = false and m.practiceId = :p order by m.receivedAt, m.id",
                        Object[].class)
                .setParameter("p", practiceId)
                .setParameter("careTeam", CARE_TEAM_KINDS)
                .setParameter("cutoff", cutoff)
                .setParameter("patientSide", MessageRead.Side.PATIENT)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(
                        row ->
                                new MessageViews.UnreadByPatient(
                                        (UUID) row[0],
                                        (UUID) row[1],
                                        (UUID) row[2],
                                        (UUID) row[3],
                                        (Boolean) row[4],
                                        (Instant) row[5]))
                .toList();
    }

    /** Messages received before this instant and still unopened by the patient's side are overdue. */
    public Instant unreadCutoff() {
        return clock.instant().minus(Duration.ofDays(config.unreadReminderDays()));
    }

    private static final List<SenderKind> CARE_TEAM_KINDS =
            List.of(SenderKind.EP, SenderKind.STAFF_FOR_EP, SenderKind.STAFF);

    /** Secure, not retracted care-team messages received before :cutoff that nobody on the patient's side opened. */
    private static final String UNREAD_BY_PATIENT =
            """
            from Message m join MessageThread t on t.id = m.threadId
            where m.senderKind in :careTeam and m.secure = true and m.retractedAt is null and m.receivedAt < :cutoff
              and not exists (select 1 from MessageRead r where r.key.messageId = m.id and r.key.side = :patientSide)""";

    private void markRead(List<Message> messages, Actor actor) {
        MessageRead.Side side;
        if (actor.isPatientSide()) {
            side = MessageRead.Side.PATIENT;
        } else if (actor.isStaff()) {
            side = MessageRead.Side.CARE_TEAM;
        } else {
            return; // a system client reading is not a person opening the message
        }
        Instant now = clock.instant();
        for (Message message : messages) {
            boolean fromOtherSide =
                    side == MessageRead.Side.PATIENT
                            ? !message.senderKind.isPatientSide()
                            : message.senderKind.isPatientSide();
            if (fromOtherSide) {
                em.createNativeQuery(
                                """
                                insert into message_read (message_id, reader_side, first_read_at, reader_user_id)
                                values (:m, :s, :t, :u) on conflict do nothing""")
                        .setParameter("m", message.id)
                        .setParameter("s", side.name())
                        .setParameter("t", now)
                        .setParameter("u", actor.userId())
                        .executeUpdate();
            }
        }
    }

    Map<UUID, Map<MessageRead.Side, Instant>> reads(List<Message> messages) {
        Map<UUID, Map<MessageRead.Side, Instant>> reads = new HashMap<>();
        if (messages.isEmpty()) {
            return reads;
        }
        em.createQuery("from MessageRead where key.messageId in :ids", MessageRead.class)
                .setParameter("ids", messages.stream().map(m -> m.id).toList())
                .getResultList()
                .forEach(
                        r ->
                                reads.computeIfAbsent(
                                                r.key.messageId,
                                                k -> new EnumMap<>(MessageRead.Side.class))
                                        .put(r.key.side, r.firstReadAt));
        return reads;
    }

    /** The thread of a message the caller may see; empty for one they may not, as for an unknown one. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UUID> threadOfMessage(UUID messageId, Actor actor) {
        return threadOfMessage(messageId)
                .filter(
                        threadId ->
                                threadAccess.visible(
                                        em.find(MessageThread.class, threadId), actor));
    }

    /**
     * The message with this identifier, if any. Asked on every create with an identifier and nearly
     * always answered "none", so its id is looked up with plain SQL on the identifier index and the
     * entity loaded only when there is one. Exact within a transaction: messages are written at once
     * (MessageRows), never held back for a flush.
     */
    Optional<Message> findByIdentifier(String system, String value) {
        return TxJdbc.first(
                        em,
                        "select id from message where coalesce(identifier_system, '') = ? and identifier_value = ?",
                        system == null ? "" : system,
                        value)
                .map(id -> em.find(Message.class, id));
    }

    MessageView view(MessageThread thread, Message m, Map<MessageRead.Side, Instant> reads) {
        return view(thread, m, reads, attachments(List.of(m), Map.of(thread.id, thread)).get(m.id));
    }

    private MessageView view(
            MessageThread thread,
            Message m,
            Map<MessageRead.Side, Instant> reads,
            List<AttachmentView> files) {
        return view(thread, m, reads, files, null, null);
    }

    /** The view; {@code knownText} and {@code knownTopic}, when given, are the plaintexts just sealed (not decrypted again). */
    MessageView view(
            MessageThread thread,
            Message m,
            Map<MessageRead.Side, Instant> reads,
            List<AttachmentView> files,
            String knownText,
            String knownTopic) {
        String text = knownText != null ? knownText : sealing.openBody(thread, m);
        String reason = sealing.openRetraction(thread, m);
        Map<MessageRead.Side, Instant> read = reads == null ? Map.of() : reads;
        return new MessageView(
                m.id,
                m.threadId,
                m.practiceId,
                m.patientId,
                new Party(m.senderType, m.senderId),
                m.senderKind,
                m.recipients.stream().map(r -> new Party(r.type, r.id)).toList(),
                m.inResponseToId,
                m.id.equals(thread.rootMessageId) ? null : thread.rootMessageId,
                m.category,
                m.priority,
                m.medium,
                m.automatic,
                m.status,
                m.sentAt,
                m.receivedAt,
                text,
                knownTopic != null ? knownTopic : sealing.openTopic(thread),
                m.identifierSystem,
                m.identifierValue,
                m.retractedAt,
                reason,
                m.correctsMessageId,
                read.get(MessageRead.Side.CARE_TEAM),
                read.get(MessageRead.Side.PATIENT),
                files == null ? List.of() : List.copyOf(files),
                m.emergencyAccessId != null);
    }
}
