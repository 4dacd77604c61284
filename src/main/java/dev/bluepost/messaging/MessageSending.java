package dev.bluepost.messaging;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.Digests;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.encounters.EncounterService;
import dev.bluepost.messaging.MessageViews.AttachmentView;
import dev.bluepost.messaging.MessageViews.Sent;
import dev.bluepost.messaging.ThreadAccess.Access;
import dev.bluepost.messaging.attachments.AttachmentPolicy;
import dev.bluepost.messaging.attachments.AttachmentPolicy.CheckedAttachment;
import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.kafka.Topics;
import dev.bluepost.platform.outbox.OutboxService;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Sending: records a message, encrypted, with its outbox event in the same transaction. Checks who
 * may send what (a patient as themself, a proxy as the RelatedPerson they act through, staff as a
 * practitioner of their practice, the platform's automatic replies as the practice's Device), to
 * whom (the patient's care team, for the patient's side), and the text, subject and files; finds
 * the thread (under a lock, one writer per thread at a time) or starts a new one with a data key of
 * its own; stores the attachments; keeps the thread's "expect an answer by" promise. The sealing
 * is {@link MessageSealing}'s, the check of who reaches an existing thread {@link ThreadAccess}'s.
 */
@ApplicationScoped
public class MessageSending {

    private static final Set<String> PRIORITIES = Set.of("routine", "urgent", "asap", "stat");

    /** v3-ParticipationMode codes that are the platform's own electronic channel. */
    private static final Set<String> SECURE_MEDIA = Set.of("ELECTRONICDATA", "WRITTEN");

    /** The longest subject, in characters. */
    static final int MAX_SUBJECT = 200;

    private final EntityManager em;
    private final ThreadAccess threadAccess;
    private final MessageSealing sealing;
    private final MessageReading reading;
    private final DirectoryService directory;
    private final EncounterService encounters;
    private final OutboxService outbox;
    private final ReplyPromises replyPromises;
    private final MessagingConfig config;
    private final AttachmentPolicy attachmentPolicy;
    private final Clock clock;
    private final AuditRecorder audit;

    public MessageSending(
            EntityManager em,
            ThreadAccess threadAccess,
            MessageSealing sealing,
            MessageReading reading,
            DirectoryService directory,
            EncounterService encounters,
            OutboxService outbox,
            ReplyPromises replyPromises,
            MessagingConfig config,
            AttachmentPolicy attachmentPolicy,
            Clock clock,
            AuditRecorder audit) {
        this.em = em;
        this.threadAccess = threadAccess;
        this.sealing = sealing;
        this.reading = reading;
        this.directory = directory;
        this.encounters = encounters;
        this.outbox = outbox;
        this.replyPromises = replyPromises;
        this.config = config;
        this.attachmentPolicy = attachmentPolicy;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * Records a message. The caller's role decides what it may claim: a patient writes as
     * themself, a proxy as the RelatedPerson they act through, staff as a practitioner of their
     * practice; only a system client may bring its own sent/received times. A repeated identifier
     * returns the stored message instead of a second copy. Attachments are all checked before
     * anything is written, then stored, sealed under the thread's data key, in the same transaction.
     */
    @Transactional
    public Sent send(NewMessage request, Actor actor) {
        return send(request, actor, false);
    }

    /**
     * Triage's automatic reply to the patient's message it is triaging, from the practice's Device,
     * in the item's thread: what {@link #send(NewMessage, Actor)} checks for a client — that the
     * patient and the Device exist, that the answered message is of the thread — is the item's own
     * here, so only the thread is read (and locked, as for every message of an existing thread).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Sent sendAutomaticReply(
            UUID patientId,
            UUID threadId,
            UUID answeredMessageId,
            UUID deviceId,
            String category,
            String text,
            Actor platform) {
        return send(
                new NewMessage(
                        null,
                        patientId,
                        new Party(Party.DEVICE, deviceId),
                        List.of(new Party(Party.PATIENT, patientId)),
                        threadId,
                        answeredMessageId,
                        category,
                        "routine",
                        null,
                        text,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of()),
                platform,
                true);
    }

    private Sent send(NewMessage request, Actor actor, boolean automaticReply) {
        if (request.identifierValue() != null) {
            Optional<Message> existing =
                    reading.findByIdentifier(request.identifierSystem(), request.identifierValue());
            if (existing.isPresent()) {
                MessageThread thread = em.find(MessageThread.class, existing.get().threadId);
                if (!threadAccess.visible(thread, actor)) {
                    // names neither the other message nor its thread
                    throw BluepostException.conflict(
                            "The identifier is already used by another message.");
                }
                Map<MessageRead.Side, Instant> reads =
                        reading.reads(List.of(existing.get())).get(existing.get().id);
                return new Sent(reading.view(thread, existing.get(), reads), false);
            }
        }
        String text = checkedText(request.text());
        List<CheckedAttachment> files = attachmentPolicy.check(request.attachments());
        UUID patientId = request.patientId();
        PatientView patient =
                null; // read for a client's message; triage's automatic reply names the item's
        // patient
        SenderKind senderKind = SenderKind.AUTOMATIC;
        List<Party> recipients = request.recipients();
        if (!automaticReply) {
            patient =
                    directory
                            .patient(patientId)
                            .orElseThrow(
                                    () ->
                                            BluepostException.businessRule(
                                                    "The subject Patient/"
                                                            + patientId
                                                            + " is not known."));
            checkActorMaySend(request, actor);
            senderKind = senderKind(request.sender(), patient, actor, request);
            recipients = checkedRecipients(request.recipients(), patient);
        }
        if (actor.isPatientSide()) {
            checkPatientSideMessage(request, recipients, patient);
        }
        if (senderKind.isPatientSide()
                && recipients.stream()
                        .noneMatch(r -> r.is(Party.PRACTITIONER) || r.is(Party.CARE_TEAM))) {
            throw said(ThreadMessages::error_patient_message_recipient).about("recipient");
        }
        String category =
                request.category() == null ? MessageCategory.OTHER.code() : request.category();
        if (MessageCategory.fromCode(category).isEmpty()) {
            throw said(m -> m.error_category(category)).about("category");
        }
        String priority = request.priority() == null ? "routine" : request.priority();
        if (!PRIORITIES.contains(priority)) {
            throw said(ThreadMessages::error_priority);
        }
        Instant now = clock.instant();
        Instant sentAt = actor.isSystem() && request.sentAt() != null ? request.sentAt() : now;
        Instant receivedAt =
                actor.isSystem()
                        ? (request.receivedAt() != null ? request.receivedAt() : sentAt)
                        : now;

        MessageThread thread;
        Access access = Access.OPEN;
        boolean firstInThread = request.threadId() == null;
        UUID messageId = request.id() != null ? request.id() : Ids.newId();
        if (firstInThread) {
            thread = newThread(patient, recipients, category, request.topic(), messageId, now);
            if (actor.isStaff() && !thread.practiceId.equals(actor.practiceId())) {
                throw new BluepostException(
                        ErrorKind.NOT_FOUND, "Patient/" + patientId + " is not known");
            }
        } else {
            // one writer per thread at a time: its events reach the outbox in commit order
            thread =
                    em.find(
                            MessageThread.class,
                            request.threadId(),
                            LockModeType.PESSIMISTIC_WRITE);
            access = threadAccess.requireVisible(thread, actor);
            if (!thread.patientId.equals(patientId)) {
                throw said(ThreadMessages::error_thread_patient);
            }
            if (!actor.isSystem()) {
                ReplyAvailability reply =
                        actor.isPatientSide()
                                ? threadAccess.replyAvailability(thread)
                                : "open".equals(thread.status)
                                        ? ReplyAvailability.OPEN
                                        : ReplyAvailability.CLOSED;
                if (!reply.isOpen()) {
                    throw replyNotOpen(reply);
                }
            }
        }
        if (request.correctsMessageId() != null) {
            Message corrected = em.find(Message.class, request.correctsMessageId());
            if (corrected == null
                    || !corrected.threadId.equals(thread.id)
                    || corrected.retractedAt == null
                    || !corrected.senderType.equals(request.sender().type())
                    || !corrected.senderId.equals(request.sender().id())) {
                throw said(ThreadMessages::error_correction);
            }
        }
        if (request.inResponseTo() != null && !automaticReply) {
            // its thread only: the whole message (its ciphertext too) is not needed here
            UUID answeredThread =
                    em
                            .createQuery(
                                    "select m.threadId from Message m where m.id = :id", UUID.class)
                            .setParameter("id", request.inResponseTo())
                            .getResultList()
                            .stream()
                            .findFirst()
                            .orElse(null);
            if (!thread.id.equals(answeredThread)) {
                throw said(ThreadMessages::error_in_response_to);
            }
        }

        Message message = new Message();
        message.id = messageId;
        message.threadId = thread.id;
        message.practiceId = thread.practiceId;
        message.patientId = patientId;
        message.senderType = request.sender().type();
        message.senderId = request.sender().id();
        message.senderKind = senderKind;
        message.sentByUserId = actor.userId();
        recipients.forEach(r -> message.recipients.add(new Message.Recipient(r.type(), r.id())));
        message.inResponseToId = request.inResponseTo();
        message.category = category;
        message.priority = priority;
        message.medium = request.medium();
        message.secure = request.medium() == null || SECURE_MEDIA.contains(request.medium());
        message.automatic = senderKind == SenderKind.AUTOMATIC;
        message.sentAt = sentAt;
        message.receivedAt = receivedAt;
        message.identifierSystem = request.identifierSystem();
        message.identifierValue = request.identifierValue();
        message.createdAt = now;
        message.correctsMessageId = request.correctsMessageId();
        message.emergencyAccessId = threadAccess.emergencyAccessId(access, thread, actor);
        sealing.sealBody(thread, message, text);

        if (receivedAt.isAfter(thread.lastMessageAt) || firstInThread) {
            thread.lastMessageAt = receivedAt;
        }
        // the red-flag lane: decided here, where the text is at hand, so triage reads it before any
        // backlog
        boolean redFlag =
                message.secure && senderKind.isPatientSide() && RedFlags.find(text).isPresent();
        if (message.secure && senderKind.isPatientSide()) {
            if (thread.replyExpectedBy == null) {
                // the practice's own calendar (hours, holidays, targets; kept in memory by triage)
                // or the on-call clock
                Party queue =
                        recipients.stream()
                                .filter(r -> r.is(Party.CARE_TEAM) || r.is(Party.PRACTITIONER))
                                .findFirst()
                                .orElseThrow();
                ReplyPromises.Promise promise =
                        replyPromises.promise(
                                thread.practiceId,
                                queue,
                                priority,
                                receivedAt,
                                redFlag,
                                firstInThread);
                thread.replyExpectedBy = promise.by();
                thread.replyOnCall = promise.onCall();
            }
        } else if (message.secure && senderKind.isCareTeam()) {
            thread.replyExpectedBy = null;
            thread.replyOnCall = false;
        }
        // a new thread is written now that it is complete, and before its message
        if (firstInThread) {
            MessageRows.insertThread(em, thread);
        }
        MessageRows.insertMessage(em, message);
        List<AttachmentView> attached = storeAttachments(thread, message, files, now);

        outbox.enqueue(
                redFlag ? Topics.URGENT_MESSAGE_EVENTS : Topics.MESSAGE_EVENTS,
                thread.id.toString(),
                new MessageCreatedEvent(
                        Ids.newId(),
                        MessageCreatedEvent.TYPE,
                        MessageCreatedEvent.VERSION,
                        now,
                        message.id,
                        thread.id,
                        thread.practiceId,
                        patientId,
                        request.sender().reference(),
                        senderKind.name(),
                        recipients.stream().map(Party::reference).toList(),
                        message.inResponseToId,
                        category,
                        priority,
                        message.secure,
                        message.automatic,
                        firstInThread,
                        sentAt,
                        receivedAt,
                        thread.replyExpectedBy));
        Log.debugf(
                "message created messageId=%s threadId=%s senderKind=%s secure=%s attachments=%d",
                message.id, thread.id, senderKind, message.secure, attached.size());
        AuditEntry created =
                AuditEntry.of(AuditAction.CREATE)
                        .on("Communication", message.id)
                        .patient(patientId)
                        .practice(thread.practiceId);
        audit.record(
                actor,
                message.emergencyAccessId == null
                        ? created
                        : created.reason(AuditRecorder.BREAK_GLASS));
        // the view from the plaintext at hand: no need to decrypt what was sealed a moment ago
        return new Sent(
                reading.view(
                        thread,
                        message,
                        Map.of(),
                        attached,
                        text,
                        firstInThread && request.topic() != null && !request.topic().isBlank()
                                ? checkedSubject(request.topic())
                                : null),
                true);
    }

    private List<AttachmentView> storeAttachments(
            MessageThread thread, Message message, List<CheckedAttachment> files, Instant now) {
        List<AttachmentView> views = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            CheckedAttachment file = files.get(i);
            MessageAttachment row = new MessageAttachment();
            row.id = Ids.newId();
            row.messageId = message.id;
            row.threadId = thread.id;
            row.position = i;
            row.contentType = file.type().mediaType();
            row.sizeBytes = file.content().length;
            sealing.sealAttachment(thread, row, file.fileName(), file.content());
            row.contentSha1 = Digests.sha1(file.content());
            row.createdAt = now;
            em.persist(row);
            views.add(
                    new AttachmentView(
                            row.id,
                            message.id,
                            file.fileName(),
                            row.contentType,
                            row.sizeBytes,
                            row.contentSha256,
                            row.contentSha1));
        }
        return views;
    }

    private MessageThread newThread(
            PatientView patient,
            List<Party> recipients,
            String category,
            String topic,
            UUID rootMessageId,
            Instant now) {
        MessageThread thread = new MessageThread();
        thread.id = Ids.newId();
        thread.practiceId = practiceFor(patient, recipients);
        thread.patientId = patient.id();
        thread.category = category;
        thread.rootMessageId = rootMessageId;
        thread.createdAt = now;
        thread.lastMessageAt = now;
        sealing.newDataKey(thread);
        if (topic != null && !topic.isBlank()) {
            sealing.sealTopic(thread, checkedSubject(topic));
        }
        return thread; // persisted by send, once complete
    }

    /** The practice whose queue a new thread belongs to. */
    private UUID practiceFor(PatientView patient, List<Party> recipients) {
        for (Party recipient : recipients) {
            if (recipient.is(Party.CARE_TEAM)) {
                return directory.pool(recipient.id()).map(PoolView::practiceId).orElseThrow();
            }
        }
        if (patient.practiceId() != null) {
            return patient.practiceId();
        }
        for (Party recipient : recipients) {
            if (recipient.is(Party.PRACTITIONER)) {
                Set<UUID> practices =
                        directory
                                .practitioner(recipient.id())
                                .map(PractitionerView::practiceIds)
                                .orElse(Set.of());
                if (practices.size() == 1) {
                    return practices.iterator().next();
                }
            }
        }
        return encounters
                .latestPracticeOf(patient.id())
                .orElseThrow(() -> said(ThreadMessages::error_no_practice));
    }

    private void checkActorMaySend(NewMessage request, Actor actor) {
        Party sender = request.sender();
        if (actor.isSystem()) {
            return;
        }
        if (actor.isPatientSide()) {
            if (actor.patientId() == null || !request.patientId().equals(actor.patientId())) {
                // another patient's compartment: as if that patient did not exist
                throw new BluepostException(
                        ErrorKind.NOT_FOUND, "Patient/" + request.patientId() + " is not known");
            }
            boolean ownSelf =
                    actor.relatedPersonId() == null
                            ? sender.is(Party.PATIENT) && sender.id().equals(actor.patientId())
                            : sender.is(Party.RELATED_PERSON)
                                    && sender.id().equals(actor.relatedPersonId());
            if (!ownSelf) {
                throw BluepostException.forbidden(
                        actor.relatedPersonId() == null
                                ? "A patient sends messages as themself (sender = Patient/"
                                        + actor.patientId()
                                        + ")."
                                : "A proxy sends messages as the RelatedPerson they act through (sender = RelatedPerson/"
                                        + actor.relatedPersonId()
                                        + ").");
            }
            return;
        }
        if (actor.isStaff()) {
            PatientView patient = directory.patient(request.patientId()).orElseThrow();
            if (patient.practiceId() != null && !patient.practiceId().equals(actor.practiceId())) {
                throw new BluepostException(
                        ErrorKind.NOT_FOUND, "Patient/" + request.patientId() + " is not known");
            }
            if (!sender.is(Party.PRACTITIONER)) {
                throw said(ErrorKind.FORBIDDEN, ThreadMessages::error_staff_sender);
            }
            return;
        }
        throw said(ErrorKind.FORBIDDEN, ThreadMessages::error_role_cannot_send);
    }

    private SenderKind senderKind(
            Party sender, PatientView patient, Actor actor, NewMessage request) {
        switch (sender.type()) {
            case Party.PATIENT -> {
                if (!sender.id().equals(patient.id())) {
                    throw BluepostException.businessRule(
                            "A Patient sender must be the message's subject.");
                }
                return SenderKind.PATIENT;
            }
            case Party.RELATED_PERSON -> {
                ProxyView proxy =
                        directory
                                .relatedPerson(sender.id())
                                .orElseThrow(
                                        () ->
                                                BluepostException.businessRule(
                                                        "The sender RelatedPerson/"
                                                                + sender.id()
                                                                + " is not known."));
                if (!proxy.patientId().equals(patient.id())) {
                    throw said(ThreadMessages::error_proxy_not_for_patient);
                }
                Instant at =
                        actor.isSystem() && request.sentAt() != null
                                ? request.sentAt()
                                : clock.instant();
                if (!directory.authorizationInForce(proxy, at)) {
                    throw said(ThreadMessages::error_proxy_authorization);
                }
                return SenderKind.PROXY;
            }
            case Party.PRACTITIONER -> {
                PractitionerView practitioner =
                        directory
                                .practitioner(sender.id())
                                .orElseThrow(
                                        () ->
                                                BluepostException.businessRule(
                                                        "The sender Practitioner/"
                                                                + sender.id()
                                                                + " is not known."));
                if (actor.isStaff()
                        && !practitioner.practiceIds().contains(actor.practiceId())
                        && !sender.id().equals(actor.practitionerId())) {
                    throw said(ErrorKind.FORBIDDEN, ThreadMessages::error_staff_sender);
                }
                if (!practitioner.isEligibleProfessional()) {
                    return SenderKind.STAFF;
                }
                boolean writtenByStaff =
                        actor.userId() != null && !sender.id().equals(actor.practitionerId());
                return writtenByStaff ? SenderKind.STAFF_FOR_EP : SenderKind.EP;
            }
            case Party.DEVICE -> {
                if (!directory.deviceExists(sender.id())) {
                    throw BluepostException.businessRule(
                            "The sender Device/" + sender.id() + " is not known.");
                }
                if (!actor.isSystem()) {
                    throw BluepostException.forbidden(
                            "Only the platform sends automatic messages.");
                }
                return SenderKind.AUTOMATIC;
            }
            default ->
                    throw BluepostException.businessRule(
                            "The sender must be a Patient, RelatedPerson, Practitioner or Device.");
        }
    }

    /**
     * What a patient or proxy may write, whichever channel (page or patient app) it comes through:
     * a secure message of routine priority (urgency is triage's decision), to their own care team:
     * the pools and practitioners of the patient's practice, the practitioners who saw the patient,
     * and whoever already takes part in the thread. A system client is trusted with any of these.
     */
    private void checkPatientSideMessage(
            NewMessage request, List<Party> recipients, PatientView patient) {
        if (request.medium() != null && !SECURE_MEDIA.contains(request.medium())) {
            throw BluepostException.businessRule(
                    "A message from a patient or proxy is a secure message; "
                            + "medium must be absent, ELECTRONICDATA or WRITTEN.");
        }
        if (request.priority() != null && !"routine".equals(request.priority())) {
            throw BluepostException.businessRule(
                    "Messages from patients and proxies have routine priority; "
                            + "the care team's triage decides urgency.");
        }
        Set<Party> threadParties = new HashSet<>();
        if (request.threadId() != null) {
            for (Message earlier :
                    em.createQuery("from Message where threadId = :t", Message.class)
                            .setParameter("t", request.threadId())
                            .getResultList()) {
                threadParties.add(new Party(earlier.senderType, earlier.senderId));
                earlier.recipients.forEach(r -> threadParties.add(new Party(r.type, r.id)));
            }
        }
        List<UUID> sawPatient = null;
        for (Party recipient : recipients) {
            if (!(recipient.is(Party.PRACTITIONER) || recipient.is(Party.CARE_TEAM))
                    || threadParties.contains(recipient)) {
                continue;
            }
            boolean careTeam;
            if (recipient.is(Party.CARE_TEAM)) {
                careTeam =
                        directory
                                .pool(recipient.id())
                                .map(p -> p.practiceId().equals(patient.practiceId()))
                                .orElse(false);
            } else {
                if (sawPatient == null) {
                    sawPatient = encounters.practitionersWhoSaw(patient.id());
                }
                careTeam =
                        sawPatient.contains(recipient.id())
                                || (patient.practiceId() != null
                                        && directory
                                                .practitioner(recipient.id())
                                                .map(
                                                        p ->
                                                                p.practiceIds()
                                                                        .contains(
                                                                                patient
                                                                                        .practiceId()))
                                                .orElse(false));
            }
            if (!careTeam) {
                throw said(m -> m.error_recipient_not_care_team(recipient.reference()))
                        .about("recipient");
            }
        }
    }

    private List<Party> checkedRecipients(List<Party> recipients, PatientView patient) {
        if (recipients == null || recipients.isEmpty()) {
            throw said(ThreadMessages::error_no_recipient).about("recipient");
        }
        List<Party> checked = new ArrayList<>();
        for (Party recipient : recipients) {
            boolean known =
                    switch (recipient.type()) {
                        case Party.PRACTITIONER ->
                                directory.practitioner(recipient.id()).isPresent();
                        case Party.CARE_TEAM ->
                                directory.pool(recipient.id()).filter(PoolView::active).isPresent();
                        case Party.PATIENT -> recipient.id().equals(patient.id());
                        case Party.RELATED_PERSON ->
                                directory
                                        .relatedPerson(recipient.id())
                                        .filter(p -> p.patientId().equals(patient.id()))
                                        .isPresent();
                        default ->
                                throw BluepostException.businessRule(
                                        "A recipient must be a Practitioner, CareTeam, Patient or RelatedPerson.");
                    };
            if (!known) {
                throw said(m -> m.error_recipient_unknown(recipient.reference()))
                        .about("recipient");
            }
            if (!checked.contains(recipient)) {
                checked.add(recipient);
            }
        }
        return checked;
    }

    /** Non-empty, valid text within the size limit; line breaks and tabs are the only control characters kept. */
    String checkedText(String text) {
        if (text == null || text.isBlank()) {
            throw said(ThreadMessages::error_text_empty).about("text");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        int limit = config.maxTextBytes();
        if (bytes > limit) {
            throw said(ErrorKind.PAYLOAD_TOO_LARGE, m -> m.error_text_too_long(bytes, limit))
                    .about("text");
        }
        if (!decodedCleanly(text)) {
            throw said(ErrorKind.MALFORMED, ThreadMessages::error_text_not_utf8).about("text");
        }
        if (!isWellFormed(text)) {
            throw said(ThreadMessages::error_text_not_text).about("text");
        }
        return text;
    }

    /**
     * Bytes that are not UTF-8 reach us decoded as U+FFFD (the replacement character): the form and
     * JSON decoders substitute it. Such text is refused rather than stored with the damage.
     */
    private static boolean decodedCleanly(String text) {
        return text.indexOf('\uFFFD') < 0;
    }

    /** A subject: one line of valid text, at most {@value #MAX_SUBJECT} characters once trimmed. */
    static String checkedSubject(String text) {
        if (!decodedCleanly(text)) {
            throw said(ErrorKind.MALFORMED, ThreadMessages::error_subject_not_utf8)
                    .about("subject");
        }
        String trimmed = text.strip();
        if (trimmed.length() > MAX_SUBJECT) {
            throw said(m -> m.error_subject_long(MAX_SUBJECT)).about("subject");
        }
        if (!isWellFormed(trimmed) || trimmed.contains("\n")) {
            throw said(ThreadMessages::error_subject_one_line).about("subject");
        }
        return trimmed;
    }

    /** A reply (or a draft of one) where the patient's side may not reply: why, in the conversation's words. */
    static BluepostException replyNotOpen(ReplyAvailability reply) {
        return said(m -> ThreadPresenter.replyReason(reply, m) + " " + m.error_start_new());
    }

    /** A proxy whose authorization ended, or who has not chosen a patient yet, on a patient's page (403). */
    public static BluepostException choosePatientFirst() {
        return said(ErrorKind.FORBIDDEN, ThreadMessages::error_choose_patient);
    }

    /** A refusal of the sending rules (422), in {@link ThreadMessages}' words. */
    static BluepostException said(Function<ThreadMessages, String> words) {
        return said(ErrorKind.BUSINESS_RULE, words);
    }

    static BluepostException said(ErrorKind kind, Function<ThreadMessages, String> words) {
        return BluepostException.said(kind, ThreadMessages.class, words);
    }

    /** Rejects unpaired surrogates (invalid UTF-16/8) and control characters other than tab and line breaks. */
    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Triage's promise of when the care team will answer (the queue item's due-by), shown to the
     * patient; {@code onCall}: the on-call team's, around the clock. Only while the thread still
     * awaits an answer; a care-team reply clears it as before.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void promiseReplyBy(UUID threadId, Instant by, boolean onCall) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        if (thread != null
                && by != null
                && thread.replyExpectedBy != null
                && (!by.equals(thread.replyExpectedBy) || onCall != thread.replyOnCall)) {
            thread.replyExpectedBy = by;
            thread.replyOnCall = onCall;
        }
    }
}
