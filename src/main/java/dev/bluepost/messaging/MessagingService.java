package dev.bluepost.messaging;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditService;
import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.TamperedDataException;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.measurement.EncounterService;
import dev.bluepost.messaging.AttachmentPolicy.CheckedAttachment;
import dev.bluepost.messaging.MessageViews.AttachmentContent;
import dev.bluepost.messaging.MessageViews.AttachmentView;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.MessageViews.Sent;
import dev.bluepost.messaging.MessageViews.ThreadSummary;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.events.MessageCreatedEvent;
import dev.bluepost.messaging.events.MessageRetractedEvent;
import dev.bluepost.messaging.events.ThreadClosedEvent;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.db.TxJdbc;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.kafka.Topics;
import dev.bluepost.platform.outbox.OutboxService;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Secure messaging: records messages (encrypted, with an outbox event in the same transaction)
 * and reads them back, decrypted and integrity-checked, to those allowed to see them. A thread a
 * caller may not see is reported as not found, so its existence does not leak.
 */
@ApplicationScoped
public class MessagingService {

    private static final Set<String> PRIORITIES = Set.of("routine", "urgent", "asap", "stat");
    /** v3-ParticipationMode codes that are the platform's own electronic channel. */
    private static final Set<String> SECURE_MEDIA = Set.of("ELECTRONICDATA", "WRITTEN");

    private final EntityManager em;
    private final EnvelopeCipher cipher;
    private final DirectoryService directory;
    private final EncounterService encounters;
    private final OutboxService outbox;
    private final ReplyPromises replyPromises;
    private final MessagingConfig config;
    private final AttachmentPolicy attachmentPolicy;
    private final Clock clock;
    private final AuditService audit;
    private final EmergencyAccessService emergencyAccess;

    public MessagingService(EntityManager em, EnvelopeCipher cipher, DirectoryService directory, EncounterService encounters,
                            OutboxService outbox, ReplyPromises replyPromises, MessagingConfig config,
                            AttachmentPolicy attachmentPolicy, Clock clock, AuditService audit,
                            EmergencyAccessService emergencyAccess) {
        this.em = em;
        this.cipher = cipher;
        this.directory = directory;
        this.encounters = encounters;
        this.outbox = outbox;
        this.replyPromises = replyPromises;
        this.config = config;
        this.attachmentPolicy = attachmentPolicy;
        this.clock = clock;
        this.audit = audit;
        this.emergencyAccess = emergencyAccess;
    }

    // ---------------------------------------------------------------- sending

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
    public Sent sendAutomaticReply(UUID patientId, UUID threadId, UUID answeredMessageId, UUID deviceId, String category,
                                   String text, Actor platform) {
        return send(new NewMessage(null, patientId, new Party(Party.DEVICE, deviceId), List.of(new Party(Party.PATIENT, patientId)),
                threadId, answeredMessageId, category, "routine", null, text, null, null, null, null, null, null, List.of()),
                platform, true);
    }

    private Sent send(NewMessage request, Actor actor, boolean automaticReply) {
        if (request.identifierValue() != null) {
            Optional<Message> existing = findByIdentifier(request.identifierSystem(), request.identifierValue());
            if (existing.isPresent()) {
                MessageThread thread = em.find(MessageThread.class, existing.get().threadId);
                if (!visible(thread, actor)) {
                    // names neither the other message nor its thread
                    throw BluepostException.conflict("The identifier is already used by another message.");
                }
                return new Sent(view(thread, existing.get(), reads(List.of(existing.get())).get(existing.get().id)), false);
            }
        }
        String text = checkedText(request.text());
        List<CheckedAttachment> files = attachmentPolicy.check(request.attachments());
        UUID patientId = request.patientId();
        PatientView patient = null; // read for a client's message; triage's automatic reply names the item's patient
        SenderKind senderKind = SenderKind.AUTOMATIC;
        List<Party> recipients = request.recipients();
        if (!automaticReply) {
            patient = directory.patient(patientId).orElseThrow(() ->
                    BluepostException.businessRule("The subject Patient/" + patientId + " is not known."));
            checkActorMaySend(request, actor);
            senderKind = senderKind(request.sender(), patient, actor, request);
            recipients = checkedRecipients(request.recipients(), patient);
        }
        if (actor.isPatientSide()) {
            checkPatientSideMessage(request, recipients, patient);
        }
        if (senderKind.isPatientSide() && recipients.stream().noneMatch(r -> r.is(Party.PRACTITIONER) || r.is(Party.CARE_TEAM))) {
            throw BluepostException.businessRule("A patient's message goes to a practitioner or a care team (CareTeam).");
        }
        String category = request.category() == null ? MessageCategory.OTHER.code() : request.category();
        if (MessageCategory.fromCode(category).isEmpty()) {
            throw BluepostException.businessRule("'" + category + "' is not a message category of "
                    + "https://fhir.bluepost.dev/CodeSystem/message-category.");
        }
        String priority = request.priority() == null ? "routine" : request.priority();
        if (!PRIORITIES.contains(priority)) {
            throw BluepostException.businessRule("Priority must be routine, urgent, asap or stat.");
        }
        Instant now = clock.instant();
        Instant sentAt = actor.isSystem() && request.sentAt() != null ? request.sentAt() : now;
        Instant receivedAt = actor.isSystem() ? (request.receivedAt() != null ? request.receivedAt() : sentAt) : now;

        MessageThread thread;
        Access access = Access.OPEN;
        boolean firstInThread = request.threadId() == null;
        UUID messageId = request.id() != null ? request.id() : Ids.newId();
        if (firstInThread) {
            thread = newThread(patient, recipients, category, request.topic(), messageId, now);
            if (actor.isStaff() && !thread.practiceId.equals(actor.practiceId())) {
                throw new BluepostException(ErrorKind.NOT_FOUND, "Patient/" + patientId + " is not known");
            }
        } else {
            // one writer per thread at a time: its events reach the outbox in commit order
            thread = em.find(MessageThread.class, request.threadId(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            access = requireVisible(thread, actor);
            if (!thread.patientId.equals(patientId)) {
                throw BluepostException.businessRule("The message's subject differs from the patient of its thread.");
            }
            if (!actor.isSystem()) {
                ReplyAvailability reply = actor.isPatientSide() ? replyAvailability(thread)
                        : "open".equals(thread.status) ? ReplyAvailability.OPEN : ReplyAvailability.CLOSED;
                if (!reply.isOpen()) {
                    throw BluepostException.businessRule(reply.reason() + " Start a new message instead.");
                }
            }
        }
        if (request.correctsMessageId() != null) {
            Message corrected = em.find(Message.class, request.correctsMessageId());
            if (corrected == null || !corrected.threadId.equals(thread.id) || corrected.retractedAt == null
                    || !corrected.senderType.equals(request.sender().type()) || !corrected.senderId.equals(request.sender().id())) {
                throw BluepostException.businessRule("A correction follows a message its sender retracted in the same thread.");
            }
        }
        if (request.inResponseTo() != null && !automaticReply) {
            // its thread only: the whole message (its ciphertext too) is not needed here
            UUID answeredThread = em.createQuery("select m.threadId from Message m where m.id = :id", UUID.class)
                    .setParameter("id", request.inResponseTo()).getResultList().stream().findFirst().orElse(null);
            if (!thread.id.equals(answeredThread)) {
                throw BluepostException.businessRule("inResponseTo must name a message of the same thread.");
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
        message.emergencyAccessId = emergencyAccessId(access, thread, actor);
        SealedText sealed = cipher.seal(dataKey(thread), text.getBytes(StandardCharsets.UTF_8), bodyAad(message.id));
        message.bodyIv = sealed.iv();
        message.bodyCiphertext = sealed.ciphertext();
        message.bodySha256 = sealed.sha256();

        if (receivedAt.isAfter(thread.lastMessageAt) || firstInThread) {
            thread.lastMessageAt = receivedAt;
        }
        // the red-flag lane: decided here, where the text is at hand, so triage reads it before any backlog
        boolean redFlag = message.secure && senderKind.isPatientSide() && RedFlags.find(text).isPresent();
        if (message.secure && senderKind.isPatientSide()) {
            if (thread.replyExpectedBy == null) {
                // the practice's own calendar (hours, holidays, targets; kept in memory by triage) or the on-call clock
                Party queue = recipients.stream().filter(r -> r.is(Party.CARE_TEAM) || r.is(Party.PRACTITIONER)).findFirst()
                        .orElseThrow();
                ReplyPromises.Promise promise = replyPromises.promise(thread.practiceId, queue, priority, receivedAt, redFlag,
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

        outbox.enqueue(redFlag ? Topics.URGENT_MESSAGE_EVENTS : Topics.MESSAGE_EVENTS, thread.id.toString(), new MessageCreatedEvent(
                Ids.newId(), MessageCreatedEvent.TYPE, MessageCreatedEvent.VERSION, now, message.id, thread.id,
                thread.practiceId, patientId, request.sender().reference(), senderKind.name(),
                recipients.stream().map(Party::reference).toList(), message.inResponseToId, category, priority,
                message.secure, message.automatic, firstInThread, sentAt, receivedAt, thread.replyExpectedBy));
        Log.debugf("message created messageId=%s threadId=%s senderKind=%s secure=%s attachments=%d", message.id, thread.id,
                senderKind, message.secure, attached.size());
        AuditEntry created = AuditEntry.of(AuditAction.CREATE).on("Communication", message.id).patient(patientId)
                .practice(thread.practiceId);
        audit.record(actor, message.emergencyAccessId == null ? created : created.reason(AuditService.BREAK_GLASS));
        // the view from the plaintext at hand: no need to decrypt what was sealed a moment ago
        return new Sent(view(thread, message, Map.of(), attached, text,
                firstInThread && request.topic() != null && !request.topic().isBlank() ? checkedLine(request.topic(), "The subject")
                        : null), true);
    }

    private List<AttachmentView> storeAttachments(MessageThread thread, Message message, List<CheckedAttachment> files,
                                                  Instant now) {
        List<AttachmentView> views = new ArrayList<>();
        WrappedKey key = dataKey(thread);
        for (int i = 0; i < files.size(); i++) {
            CheckedAttachment file = files.get(i);
            MessageAttachment row = new MessageAttachment();
            row.id = Ids.newId();
            row.messageId = message.id;
            row.threadId = thread.id;
            row.position = i;
            row.contentType = file.type().mediaType();
            row.sizeBytes = file.content().length;
            SealedText name = cipher.seal(key, file.fileName().getBytes(StandardCharsets.UTF_8), attachmentNameAad(row.id));
            row.nameIv = name.iv();
            row.nameCiphertext = name.ciphertext();
            row.nameSha256 = name.sha256();
            SealedText content = cipher.seal(key, file.content(), attachmentContentAad(row.id));
            row.contentIv = content.iv();
            row.contentCiphertext = content.ciphertext();
            row.contentSha256 = content.sha256();
            row.contentSha1 = dev.bluepost.crypto.Digests.sha1(file.content());
            row.createdAt = now;
            em.persist(row);
            views.add(new AttachmentView(row.id, message.id, file.fileName(), row.contentType, row.sizeBytes, row.contentSha256,
                    row.contentSha1));
        }
        return views;
    }

    private MessageThread newThread(PatientView patient, List<Party> recipients, String category, String topic,
                                    UUID rootMessageId, Instant now) {
        MessageThread thread = new MessageThread();
        thread.id = Ids.newId();
        thread.practiceId = practiceFor(patient, recipients);
        thread.patientId = patient.id();
        thread.category = category;
        thread.rootMessageId = rootMessageId;
        thread.createdAt = now;
        thread.lastMessageAt = now;
        WrappedKey key = cipher.newDataKey();
        thread.dekKekId = key.kekId();
        thread.dekWrapped = key.wrapped();
        if (topic != null && !topic.isBlank()) {
            String cleanTopic = checkedLine(topic, "The subject");
            SealedText sealed = cipher.seal(key, cleanTopic.getBytes(StandardCharsets.UTF_8), topicAad(thread.id));
            thread.topicIv = sealed.iv();
            thread.topicCiphertext = sealed.ciphertext();
            thread.topicSha256 = sealed.sha256();
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
                Set<UUID> practices = directory.practitioner(recipient.id()).map(PractitionerView::practiceIds).orElse(Set.of());
                if (practices.size() == 1) {
                    return practices.iterator().next();
                }
            }
        }
        return encounters.latestPracticeOf(patient.id()).orElseThrow(() -> BluepostException.businessRule(
                "No practice can be determined for this message: set Patient.managingOrganization, "
                        + "or address a CareTeam of the practice."));
    }

    private void checkActorMaySend(NewMessage request, Actor actor) {
        Party sender = request.sender();
        if (actor.isSystem()) {
            return;
        }
        if (actor.isPatientSide()) {
            if (actor.patientId() == null || !request.patientId().equals(actor.patientId())) {
                // another patient's compartment: as if that patient did not exist
                throw new BluepostException(ErrorKind.NOT_FOUND, "Patient/" + request.patientId() + " is not known");
            }
            boolean ownSelf = actor.relatedPersonId() == null
                    ? sender.is(Party.PATIENT) && sender.id().equals(actor.patientId())
                    : sender.is(Party.RELATED_PERSON) && sender.id().equals(actor.relatedPersonId());
            if (!ownSelf) {
                throw BluepostException.forbidden(actor.relatedPersonId() == null
                        ? "A patient sends messages as themself (sender = Patient/" + actor.patientId() + ")."
                        : "A proxy sends messages as the RelatedPerson they act through (sender = RelatedPerson/"
                        + actor.relatedPersonId() + ").");
            }
            return;
        }
        if (actor.isStaff()) {
            PatientView patient = directory.patient(request.patientId()).orElseThrow();
            if (patient.practiceId() != null && !patient.practiceId().equals(actor.practiceId())) {
                throw new BluepostException(ErrorKind.NOT_FOUND, "Patient/" + request.patientId() + " is not known");
            }
            if (!sender.is(Party.PRACTITIONER)) {
                throw BluepostException.forbidden("Staff send messages as a practitioner of their practice.");
            }
            return;
        }
        throw BluepostException.forbidden("This role cannot send messages.");
    }

    private SenderKind senderKind(Party sender, PatientView patient, Actor actor, NewMessage request) {
        switch (sender.type()) {
            case Party.PATIENT -> {
                if (!sender.id().equals(patient.id())) {
                    throw BluepostException.businessRule("A Patient sender must be the message's subject.");
                }
                return SenderKind.PATIENT;
            }
            case Party.RELATED_PERSON -> {
                ProxyView proxy = directory.relatedPerson(sender.id()).orElseThrow(() ->
                        BluepostException.businessRule("The sender RelatedPerson/" + sender.id() + " is not known."));
                if (!proxy.patientId().equals(patient.id())) {
                    throw BluepostException.businessRule("The sender RelatedPerson does not act for the message's subject.");
                }
                Instant at = actor.isSystem() && request.sentAt() != null ? request.sentAt() : clock.instant();
                if (!directory.authorizationInForce(proxy, at)) {
                    throw BluepostException.businessRule("The sender RelatedPerson's authorization is not in force at the time sent.");
                }
                return SenderKind.PROXY;
            }
            case Party.PRACTITIONER -> {
                PractitionerView practitioner = directory.practitioner(sender.id()).orElseThrow(() ->
                        BluepostException.businessRule("The sender Practitioner/" + sender.id() + " is not known."));
                if (actor.isStaff() && !practitioner.practiceIds().contains(actor.practiceId())
                        && !sender.id().equals(actor.practitionerId())) {
                    throw BluepostException.forbidden("Staff send messages as a practitioner of their practice.");
                }
                if (!practitioner.isEligibleProfessional()) {
                    return SenderKind.STAFF;
                }
                boolean writtenByStaff = actor.userId() != null && !sender.id().equals(actor.practitionerId());
                return writtenByStaff ? SenderKind.STAFF_FOR_EP : SenderKind.EP;
            }
            case Party.DEVICE -> {
                if (!directory.deviceExists(sender.id())) {
                    throw BluepostException.businessRule("The sender Device/" + sender.id() + " is not known.");
                }
                if (!actor.isSystem()) {
                    throw BluepostException.forbidden("Only the platform sends automatic messages.");
                }
                return SenderKind.AUTOMATIC;
            }
            default -> throw BluepostException.businessRule(
                    "The sender must be a Patient, RelatedPerson, Practitioner or Device.");
        }
    }

    /**
     * What a patient or proxy may write, whichever channel (page or patient app) it comes through:
     * a secure message of routine priority (urgency is triage's decision), to their own care team:
     * the pools and practitioners of the patient's practice, the practitioners who saw the patient,
     * and whoever already takes part in the thread. A system client is trusted with any of these.
     */
    private void checkPatientSideMessage(NewMessage request, List<Party> recipients, PatientView patient) {
        if (request.medium() != null && !SECURE_MEDIA.contains(request.medium())) {
            throw BluepostException.businessRule("A message from a patient or proxy is a secure message; "
                    + "medium must be absent, ELECTRONICDATA or WRITTEN.");
        }
        if (request.priority() != null && !"routine".equals(request.priority())) {
            throw BluepostException.businessRule("Messages from patients and proxies have routine priority; "
                    + "the care team's triage decides urgency.");
        }
        Set<Party> threadParties = new java.util.HashSet<>();
        if (request.threadId() != null) {
            for (Message earlier : em.createQuery("from Message where threadId = :t", Message.class)
                    .setParameter("t", request.threadId()).getResultList()) {
                threadParties.add(new Party(earlier.senderType, earlier.senderId));
                earlier.recipients.forEach(r -> threadParties.add(new Party(r.type, r.id)));
            }
        }
        List<UUID> sawPatient = null;
        for (Party recipient : recipients) {
            if (!(recipient.is(Party.PRACTITIONER) || recipient.is(Party.CARE_TEAM)) || threadParties.contains(recipient)) {
                continue;
            }
            boolean careTeam;
            if (recipient.is(Party.CARE_TEAM)) {
                careTeam = directory.pool(recipient.id()).map(p -> p.practiceId().equals(patient.practiceId())).orElse(false);
            } else {
                if (sawPatient == null) {
                    sawPatient = encounters.practitionersWhoSaw(patient.id());
                }
                careTeam = sawPatient.contains(recipient.id()) || (patient.practiceId() != null && directory.practitioner(recipient.id())
                        .map(p -> p.practiceIds().contains(patient.practiceId())).orElse(false));
            }
            if (!careTeam) {
                throw BluepostException.businessRule("The recipient " + recipient.reference()
                        + " is not part of the patient's care team (their practice's pools and practitioners, "
                        + "the practitioners who saw them, or those already in the thread).");
            }
        }
    }

    private List<Party> checkedRecipients(List<Party> recipients, PatientView patient) {
        if (recipients == null || recipients.isEmpty()) {
            throw BluepostException.businessRule("A message needs at least one recipient.");
        }
        List<Party> checked = new ArrayList<>();
        for (Party recipient : recipients) {
            boolean known = switch (recipient.type()) {
                case Party.PRACTITIONER -> directory.practitioner(recipient.id()).isPresent();
                case Party.CARE_TEAM -> directory.pool(recipient.id()).filter(PoolView::active).isPresent();
                case Party.PATIENT -> recipient.id().equals(patient.id());
                case Party.RELATED_PERSON -> directory.relatedPerson(recipient.id())
                        .filter(p -> p.patientId().equals(patient.id())).isPresent();
                default -> throw BluepostException.businessRule(
                        "A recipient must be a Practitioner, CareTeam, Patient or RelatedPerson.");
            };
            if (!known) {
                throw BluepostException.businessRule("The recipient " + recipient.reference()
                        + " is not known (or not related to the message's subject).");
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
            throw BluepostException.businessRule("The message text is empty.");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.maxTextBytes()) {
            throw BluepostException.tooLarge("The message text is " + bytes + " bytes; the limit is " + config.maxTextBytes()
                    + " bytes. Shorten it, or send the rest as another message.");
        }
        requireDecodedCleanly(text, "The message text");
        if (!isWellFormed(text)) {
            throw BluepostException.businessRule("The message text contains characters that are not valid text.");
        }
        return text;
    }

    /**
     * Bytes that are not UTF-8 reach us decoded as U+FFFD (the replacement character): the form and
     * JSON decoders substitute it. Such text is refused rather than stored with the damage.
     */
    static void requireDecodedCleanly(String text, String what) {
        if (text.indexOf('\uFFFD') >= 0) {
            throw BluepostException.malformed(what + " is not valid UTF-8: some of its bytes are not text. "
                    + "Send it again from a program that writes UTF-8.");
        }
    }

    static String checkedLine(String text, String what) {
        requireDecodedCleanly(text, what);
        String trimmed = text.strip();
        if (trimmed.length() > 200) {
            throw BluepostException.businessRule(what + " is longer than 200 characters.");
        }
        if (!isWellFormed(trimmed) || trimmed.contains("\n")) {
            throw BluepostException.businessRule(what + " must be one line of text.");
        }
        return trimmed;
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
            StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(java.nio.CharBuffer.wrap(text));
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
        if (thread != null && by != null && thread.replyExpectedBy != null
                && (!by.equals(thread.replyExpectedBy) || onCall != thread.replyOnCall)) {
            thread.replyExpectedBy = by;
            thread.replyOnCall = onCall;
        }
    }

    // ---------------------------------------------------------------- reading

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
            throw BluepostException.forbidden("The download is the patient's own history.");
        }
        return em.createQuery("from MessageThread where patientId = :p order by createdAt", MessageThread.class)
                .setParameter("p", actor.patientId()).getResultList().stream()
                .filter(t -> visible(t, actor))
                .map(t -> thread(t, actor, false))
                .toList();
    }

    private ThreadView thread(MessageThread thread, Actor actor, boolean markAsRead) {
        Access access = requireVisible(thread, actor);
        UUID threadId = thread.id;
        List<Message> messages = em.createQuery("from Message where threadId = :t order by receivedAt, createdAt", Message.class)
                .setParameter("t", threadId).getResultList();
        if (markAsRead) {
            markRead(messages, actor);
            AuditEntry read = AuditEntry.of(AuditAction.READ).on("Thread", thread.id).patient(thread.patientId)
                    .practice(thread.practiceId);
            audit.record(actor, access == Access.EMERGENCY ? read.reason(AuditService.BREAK_GLASS) : read);
        }
        Map<UUID, Map<MessageRead.Side, Instant>> reads = reads(messages);
        Map<UUID, List<AttachmentView>> files = attachments(messages, Map.of(thread.id, thread));
        List<MessageView> views = messages.stream().map(m -> view(thread, m, reads.get(m.id), files.get(m.id))).toList();
        return new ThreadView(thread.id, thread.practiceId, thread.patientId, topic(thread), thread.category, thread.status,
                thread.sensitive, thread.createdAt, thread.lastMessageAt, thread.replyExpectedBy, thread.replyOnCall,
                actor.isPatientSide() ? replyAvailability(thread) : ("open".equals(thread.status) ? ReplyAvailability.OPEN
                        : ReplyAvailability.CLOSED), views, emergencyAccessId(access, thread, actor),
                thread.closedEmergencyAccessId != null);
    }

    /** The threads of the patient the caller may see, newest first, with how many replies they have not opened. */
    @Transactional
    public List<ThreadSummary> threadsOfPatient(UUID patientId, Actor actor) {
        if (actor.isPatientSide() && !patientId.equals(actor.patientId())) {
            return List.of();
        }
        List<MessageThread> threads = em.createQuery("from MessageThread where patientId = :p order by lastMessageAt desc",
                MessageThread.class).setParameter("p", patientId).getResultList();
        List<ThreadSummary> summaries = new ArrayList<>();
        for (MessageThread thread : threads) {
            if (!visible(thread, actor)) {
                continue;
            }
            Object[] counts = em.createQuery("""
                            select count(m), sum(case when m.senderKind in :careTeam and not exists
                                (select 1 from MessageRead r where r.key.messageId = m.id and r.key.side = :patientSide)
                                then 1 else 0 end)
                            from Message m where m.threadId = :t""", Object[].class)
                    .setParameter("t", thread.id)
                    .setParameter("careTeam", List.of(SenderKind.EP, SenderKind.STAFF_FOR_EP, SenderKind.STAFF, SenderKind.AUTOMATIC))
                    .setParameter("patientSide", MessageRead.Side.PATIENT)
                    .getSingleResult();
            summaries.add(new ThreadSummary(thread.id, thread.practiceId, thread.patientId, topic(thread), thread.category,
                    thread.status, thread.sensitive, thread.lastMessageAt, thread.replyExpectedBy, thread.replyOnCall,
                    ((Long) counts[0]).intValue(), counts[1] == null ? 0 : ((Long) counts[1]).intValue()));
        }
        if (!summaries.isEmpty()) {
            audit.record(actor, AuditEntry.of(AuditAction.SEARCH).on("Thread", null).patient(patientId)
                    .practice(summaries.get(0).practiceId()).reason("thread-list"));
        }
        return summaries;
    }

    /**
     * The subjects of these threads, for the staff queue: only of threads the caller reads as a
     * matter of course (a restricted thread's subject stays out, even under emergency access),
     * decrypted and checked; a thread without a subject is absent.
     */
    @Transactional
    public Map<UUID, String> topics(java.util.Collection<UUID> threadIds, Actor actor) {
        Map<UUID, String> topics = new HashMap<>();
        if (threadIds.isEmpty()) {
            return topics;
        }
        for (MessageThread thread : em.createQuery("from MessageThread where id in :ids", MessageThread.class)
                .setParameter("ids", threadIds).getResultList()) {
            if (thread.topicCiphertext != null && Set.of(Access.OPEN, Access.CARE_TEAM).contains(access(thread, actor))) {
                topics.put(thread.id, topic(thread));
            }
        }
        return topics;
    }

    @Transactional
    public MessageView message(UUID messageId, Actor actor) {
        Message message = em.find(Message.class, messageId);
        MessageThread thread = message == null ? null : em.find(MessageThread.class, message.threadId);
        if (!visible(thread, actor)) {
            // the same answer for a message the caller may not see as for none at all
            throw BluepostException.notFound("Communication", messageId);
        }
        return view(thread, message, reads(List.of(message)).get(message.id));
    }

    /** What triage's rules read of a patient's message. */
    public record RuleInput(UUID messageId, String text, String category, String priority, SenderKind senderKind,
                            boolean hasAttachments) {
    }

    /**
     * A message as the triage rules read it, for the service itself (not shown to anyone, so not
     * audited): the text decrypted and checked, and whether files came with it — without the read
     * receipts and file names a person's view loads.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public RuleInput ruleInput(UUID messageId) {
        // one statement for what the rules need (a committed message: triage reads it after its event),
        // instead of loading both entities and asking for the files separately
        Object[] row = TxJdbc.row(em, RULE_INPUT, messageId)
                .orElseThrow(() -> BluepostException.notFound("Communication", messageId));
        UUID threadId = (UUID) row[0];
        WrappedKey key = new WrappedKey((String) row[7], (byte[]) row[8]);
        String text = new String(openBytes(threadId, (UUID) row[9], (UUID) row[10], key, (byte[]) row[1], (byte[]) row[2],
                (byte[]) row[3], bodyAad(messageId), "body of message " + messageId, "Communication", messageId),
                StandardCharsets.UTF_8);
        return new RuleInput(messageId, text, (String) row[4], (String) row[5], SenderKind.valueOf((String) row[6]),
                (Boolean) row[11]);
    }

    private static final String RULE_INPUT = """
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
        Access access = requireVisible(thread, actor);
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
        if (!visible(thread, actor)) {
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

    private AttachmentContent content(MessageThread thread, MessageAttachment row, Actor actor, boolean underEmergencyAccess) {
        String name = new String(openBytes(thread, row.nameIv, row.nameCiphertext, row.nameSha256, attachmentNameAad(row.id),
                "name of attachment " + row.id, "Binary", row.id), StandardCharsets.UTF_8);
        byte[] bytes = openBytes(thread, row.contentIv, row.contentCiphertext, row.contentSha256, attachmentContentAad(row.id),
                "content of attachment " + row.id, "Binary", row.id);
        if (bytes.length != row.sizeBytes) {
            Log.errorf("integrity check failed threadId=%s attachmentId=%s size", thread.id, row.id);
            audit.integrityFailure("Binary", row.id, thread.patientId, thread.practiceId);
            throw new TamperedDataException("content of attachment " + row.id);
        }
        Log.infof("attachment read attachmentId=%s threadId=%s", row.id, thread.id);
        AuditEntry download = AuditEntry.of(AuditAction.DOWNLOAD).on("Attachment", row.id).patient(thread.patientId)
                .practice(thread.practiceId);
        audit.record(actor, underEmergencyAccess ? download.reason(AuditService.BREAK_GLASS) : download);
        return new AttachmentContent(new AttachmentView(row.id, row.messageId, name, row.contentType, row.sizeBytes,
                row.contentSha256, row.contentSha1), thread.id, bytes);
    }

    /** Attachment metadata (names decrypted and checked, bytes not loaded) of these messages, by message id, in order. */
    private Map<UUID, List<AttachmentView>> attachments(List<Message> messages, Map<UUID, MessageThread> threads) {
        Map<UUID, List<AttachmentView>> byMessage = new HashMap<>();
        if (messages.isEmpty()) {
            return byMessage;
        }
        List<Object[]> rows = em.createQuery("""
                        select a.id, a.messageId, a.threadId, a.contentType, a.sizeBytes, a.nameIv, a.nameCiphertext,
                               a.nameSha256, a.contentSha256, a.contentSha1
                        from MessageAttachment a where a.messageId in :ids order by a.messageId, a.position""", Object[].class)
                .setParameter("ids", messages.stream().map(m -> m.id).toList())
                .getResultList();
        for (Object[] r : rows) {
            UUID id = (UUID) r[0];
            MessageThread thread = threads.get((UUID) r[2]);
            if (thread == null) {
                thread = em.find(MessageThread.class, (UUID) r[2]);
            }
            String name = new String(openBytes(thread, (byte[]) r[5], (byte[]) r[6], (byte[]) r[7], attachmentNameAad(id),
                    "name of attachment " + id, "Binary", id), StandardCharsets.UTF_8);
            byMessage.computeIfAbsent((UUID) r[1], k -> new ArrayList<>()).add(new AttachmentView(id, (UUID) r[1], name,
                    (String) r[3], (Long) r[4], (byte[]) r[8], (byte[]) r[9]));
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
            MessageThread thread = threads.computeIfAbsent(message.threadId, t -> em.find(MessageThread.class, t));
            if (visible(thread, actor)) {
                visibleMessages.add(message);
            }
        }
        Map<UUID, List<AttachmentView>> files = attachments(visibleMessages, threads);
        List<MessageView> views = new ArrayList<>();
        for (Message message : visibleMessages) {
            try {
                views.add(view(threads.get(message.threadId), message, reads.get(message.id), files.get(message.id)));
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
        return findByIdentifier(system, value).flatMap(message -> {
            MessageThread thread = em.find(MessageThread.class, message.threadId);
            return visible(thread, actor) ? Optional.of(view(thread, message, reads(List.of(message)).get(message.id)))
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
        List<Message> messages = em.createQuery("select m " + UNREAD_BY_PATIENT + " and m.practiceId = :p order by m.receivedAt",
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
    public List<MessageViews.UnreadByPatient> unreadByPatientSince(Instant receivedFrom, MessageViews.UnreadByPatient after,
                                                                   int limit) {
        String page = after == null ? " and m.receivedAt >= :from"
                : " and m.receivedAt >= :from and (m.receivedAt > :afterAt or (m.receivedAt = :afterAt and m.id > :afterId))";
        var query = em.createQuery("select m.id, m.threadId, m.patientId, m.practiceId, t.sensitive, m.receivedAt "
                        + UNREAD_BY_PATIENT + page + " order by m.receivedAt, m.id", Object[].class);
        if (after != null) {
            query.setParameter("afterAt", after.receivedAt()).setParameter("afterId", after.messageId());
        }
        return query
                .setParameter("from", receivedFrom)
                .setParameter("careTeam", CARE_TEAM_KINDS)
                .setParameter("cutoff", unreadCutoff())
                .setParameter("patientSide", MessageRead.Side.PATIENT)
                .setMaxResults(limit)
                .getResultList().stream()
                .map(row -> new MessageViews.UnreadByPatient((UUID) row[0], (UUID) row[1], (UUID) row[2], (UUID) row[3],
                        (Boolean) row[4], (Instant) row[5]))
                .toList();
    }

    /**
     * The care team's replies of a practice written by people (not automatic) that the patient's
     * side has not opened and that were received before {@code cutoff}, oldest first, as ids (what
     * triage's "patient has not read a reply in N days" event works through).
     */
    @Transactional
    public List<MessageViews.UnreadByPatient> unreadRepliesBefore(UUID practiceId, Instant cutoff, int offset, int limit) {
        return em.createQuery("select m.id, m.threadId, m.patientId, m.practiceId, t.sensitive, m.receivedAt "
                        + UNREAD_BY_PATIENT + " and m.automatic = false and m.practiceId = :p order by m.receivedAt, m.id", Object[].class)
                .setParameter("p", practiceId)
                .setParameter("careTeam", CARE_TEAM_KINDS)
                .setParameter("cutoff", cutoff)
                .setParameter("patientSide", MessageRead.Side.PATIENT)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList().stream()
                .map(row -> new MessageViews.UnreadByPatient((UUID) row[0], (UUID) row[1], (UUID) row[2], (UUID) row[3],
                        (Boolean) row[4], (Instant) row[5]))
                .toList();
    }

    /** Messages received before this instant and still unopened by the patient's side are overdue. */
    public Instant unreadCutoff() {
        return clock.instant().minus(Duration.ofDays(config.unreadReminderDays()));
    }

    private static final List<SenderKind> CARE_TEAM_KINDS = List.of(SenderKind.EP, SenderKind.STAFF_FOR_EP, SenderKind.STAFF);

    /** Secure, not retracted care-team messages received before :cutoff that nobody on the patient's side opened. */
    private static final String UNREAD_BY_PATIENT = """
            from Message m join MessageThread t on t.id = m.threadId
            where m.senderKind in :careTeam and m.secure = true and m.retractedAt is null and m.receivedAt < :cutoff
              and not exists (select 1 from MessageRead r where r.key.messageId = m.id and r.key.side = :patientSide)""";

    /**
     * Whether the thread is hidden from the patient's proxies (marked sensitive by the patient); an
     * unknown thread counts as hidden. Lets other features decide whom to tell without reading it.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean hiddenFromProxies(UUID threadId) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        return thread == null || thread.sensitive;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Whether the patient's side may reply: not when the thread is closed, when the reply window
     * after its last message has passed, or when the clinician or pool they wrote with is no longer
     * part of the practice's care team.
     */
    ReplyAvailability replyAvailability(MessageThread thread) {
        if (!"open".equals(thread.status)) {
            return ReplyAvailability.CLOSED;
        }
        int windowDays = directory.practice(thread.practiceId).map(p -> p.replyWindowDays()).filter(d -> d != null)
                .orElse(config.replyWindowDays());
        if (clock.instant().isAfter(thread.lastMessageAt.plus(Duration.ofDays(windowDays)))) {
            return ReplyAvailability.WINDOW_PASSED;
        }
        List<Party> careTeam = careTeamOf(thread);
        boolean stillThere = careTeam.isEmpty() || careTeam.stream().anyMatch(party -> inCareTeam(party, thread.practiceId));
        return stillThere ? ReplyAvailability.OPEN : ReplyAvailability.NOT_IN_CARE_TEAM;
    }

    private boolean inCareTeam(Party party, UUID practiceId) {
        return switch (party.type()) {
            case Party.CARE_TEAM -> directory.pool(party.id()).filter(p -> p.active()).isPresent();
            case Party.PRACTITIONER -> directory.practitioner(party.id())
                    .filter(p -> p.active() && p.practiceIds().contains(practiceId)).isPresent();
            default -> false;
        };
    }

    /** Whom a patient's reply goes to: the most relevant member of the thread's care team who is still there. */
    @Transactional
    public List<Party> replyTarget(UUID threadId, Actor actor) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        requireVisible(thread, actor);
        return careTeamOf(thread).stream().filter(p -> inCareTeam(p, thread.practiceId)).limit(1).toList();
    }

    /** Whether the caller may reply in the thread now (without opening it). */
    @Transactional
    public ReplyAvailability replyAvailability(UUID threadId, Actor actor) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        requireVisible(thread, actor);
        return actor.isPatientSide() ? replyAvailability(thread)
                : "open".equals(thread.status) ? ReplyAvailability.OPEN : ReplyAvailability.CLOSED;
    }

    /** Who on the care team a patient's reply goes to: the last care-team sender, else the first message's recipients. */
    public List<Party> careTeamOf(UUID threadId, Actor actor) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        requireVisible(thread, actor);
        return careTeamOf(thread);
    }

    /**
     * The care team of a thread, most relevant first: the practitioner who wrote last for the care
     * team, then whoever the first message was addressed to (a pool or a clinician).
     */
    private List<Party> careTeamOf(MessageThread thread) {
        List<Message> messages = em.createQuery("from Message where threadId = :t order by receivedAt desc, createdAt desc",
                Message.class).setParameter("t", thread.id).getResultList();
        java.util.LinkedHashSet<Party> team = new java.util.LinkedHashSet<>();
        messages.stream().filter(m -> m.senderKind.isCareTeam() && m.senderType.equals(Party.PRACTITIONER)).findFirst()
                .ifPresent(m -> team.add(new Party(m.senderType, m.senderId)));
        if (!messages.isEmpty()) {
            messages.get(messages.size() - 1).recipients.stream().map(r -> new Party(r.type, r.id))
                    .filter(p -> p.is(Party.CARE_TEAM) || p.is(Party.PRACTITIONER)).forEach(team::add);
        }
        return List.copyOf(team);
    }

    /** The care team closes a conversation; the patient can no longer reply, only start a new message. */
    @Transactional
    public void close(UUID threadId, Actor actor) {
        if (!actor.isStaff() && !actor.isSystem()) {
            throw BluepostException.forbidden("Only the care team closes conversations.");
        }
        MessageThread thread = em.find(MessageThread.class, threadId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        Access access = requireVisible(thread, actor);
        if (!"open".equals(thread.status)) {
            return;
        }
        thread.closedEmergencyAccessId = emergencyAccessId(access, thread, actor);
        Instant now = clock.instant();
        thread.status = "closed";
        thread.closedAt = now;
        thread.closedByUserId = actor.userId();
        thread.replyExpectedBy = null;
        thread.replyOnCall = false;
        outbox.enqueue(Topics.MESSAGE_EVENTS, thread.id.toString(), new ThreadClosedEvent(Ids.newId(), ThreadClosedEvent.TYPE,
                ThreadClosedEvent.VERSION, now, thread.id, thread.practiceId, thread.patientId));
        Log.infof("thread closed threadId=%s by=%s", thread.id, actor.logId());
        audit.record(actor, AuditEntry.of(AuditAction.UPDATE).on("Thread", thread.id).patient(thread.patientId)
                .practice(thread.practiceId).reason(thread.closedEmergencyAccessId == null ? "closed" : AuditService.BREAK_GLASS + ".closed"));
    }

    /**
     * The patient (not a proxy) marks a thread sensitive: proxies no longer see it, and in the
     * practice only its care team does (others need emergency access).
     */
    @Transactional
    public void markSensitive(UUID threadId, boolean sensitive, Actor actor) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        requireVisible(thread, actor);
        if (!actor.has(dev.bluepost.platform.security.Role.PATIENT) || actor.relatedPersonId() != null) {
            throw BluepostException.forbidden("Only the patient decides which conversations are hidden from proxies.");
        }
        thread.sensitive = sensitive;
        Log.infof("thread sensitivity changed threadId=%s sensitive=%s", thread.id, sensitive);
        audit.record(actor, AuditEntry.of(AuditAction.UPDATE).on("Thread", thread.id).patient(thread.patientId)
                .practice(thread.practiceId).reason(sensitive ? "marked-sensitive" : "unmarked-sensitive"));
    }

    /**
     * The sender takes a message back, with a reason. The message is never edited: it is marked
     * retracted (FHIR status entered-in-error), the thread shows both it and any correction, and
     * the record keeps everything.
     */
    @Transactional
    public MessageView retract(UUID messageId, String reason, Actor actor) {
        Message message = em.find(Message.class, messageId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (message == null) {
            throw BluepostException.notFound("Communication", messageId);
        }
        MessageThread thread = em.find(MessageThread.class, message.threadId);
        Access access = requireVisible(thread, actor);
        if (!sentBy(message, actor)) {
            throw BluepostException.forbidden("Only the sender can retract a message.");
        }
        if (message.retractedAt != null) {
            throw BluepostException.conflict("This message was already retracted.");
        }
        String cleanReason = reason == null ? "" : reason.strip();
        if (cleanReason.isEmpty() || cleanReason.length() > 500 || !isWellFormed(cleanReason)) {
            throw BluepostException.businessRule("Give a reason for retracting the message (at most 500 characters).");
        }
        Instant now = clock.instant();
        message.retractedAt = now;
        message.retractedByUserId = actor.userId();
        message.status = "entered-in-error";
        SealedText sealed = cipher.seal(dataKey(thread), cleanReason.getBytes(StandardCharsets.UTF_8), retractionAad(message.id));
        message.retractionIv = sealed.iv();
        message.retractionCiphertext = sealed.ciphertext();
        message.retractionSha256 = sealed.sha256();
        outbox.enqueue(Topics.MESSAGE_EVENTS, thread.id.toString(), new MessageRetractedEvent(Ids.newId(),
                MessageRetractedEvent.TYPE, MessageRetractedEvent.VERSION, now, message.id, thread.id, thread.practiceId,
                thread.patientId, message.senderKind.name()));
        Log.infof("message retracted messageId=%s threadId=%s by=%s", message.id, thread.id, actor.logId());
        AuditEntry retracted = AuditEntry.of(AuditAction.RETRACT).on("Communication", message.id).patient(thread.patientId)
                .practice(thread.practiceId);
        audit.record(actor, access == Access.EMERGENCY ? retracted.reason(AuditService.BREAK_GLASS) : retracted);
        return view(thread, message, reads(List.of(message)).get(message.id));
    }

    private static boolean sentBy(Message message, Actor actor) {
        if (actor.relatedPersonId() != null) {
            return message.senderType.equals(Party.RELATED_PERSON) && message.senderId.equals(actor.relatedPersonId());
        }
        if (actor.isPatientSide()) {
            return message.senderType.equals(Party.PATIENT) && message.senderId.equals(actor.patientId());
        }
        if (actor.userId() != null && actor.userId().equals(message.sentByUserId)) {
            return true;
        }
        return actor.practitionerId() != null && message.senderType.equals(Party.PRACTITIONER)
                && message.senderId.equals(actor.practitionerId());
    }

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
            boolean fromOtherSide = side == MessageRead.Side.PATIENT ? !message.senderKind.isPatientSide()
                    : message.senderKind.isPatientSide();
            if (fromOtherSide) {
                em.createNativeQuery("""
                                insert into message_read (message_id, reader_side, first_read_at, reader_user_id)
                                values (:m, :s, :t, :u) on conflict do nothing""")
                        .setParameter("m", message.id).setParameter("s", side.name()).setParameter("t", now)
                        .setParameter("u", actor.userId()).executeUpdate();
            }
        }
    }

    private Map<UUID, Map<MessageRead.Side, Instant>> reads(List<Message> messages) {
        Map<UUID, Map<MessageRead.Side, Instant>> reads = new HashMap<>();
        if (messages.isEmpty()) {
            return reads;
        }
        em.createQuery("from MessageRead where key.messageId in :ids", MessageRead.class)
                .setParameter("ids", messages.stream().map(m -> m.id).toList())
                .getResultList()
                .forEach(r -> reads.computeIfAbsent(r.key.messageId, k -> new EnumMap<>(MessageRead.Side.class))
                        .put(r.key.side, r.firstReadAt));
        return reads;
    }

    /** The thread of a message the caller may see; empty for one they may not, as for an unknown one. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UUID> threadOfMessage(UUID messageId, Actor actor) {
        return threadOfMessage(messageId).filter(threadId -> visible(em.find(MessageThread.class, threadId), actor));
    }

    public boolean visible(MessageThread thread, Actor actor) {
        Access access = access(thread, actor);
        return access == Access.OPEN || access == Access.CARE_TEAM || access == Access.EMERGENCY;
    }

    /** How the caller reaches a thread, if at all. */
    private enum Access {
        /** Not the caller's: another patient's, another practice's, or a sensitive thread for a proxy. */
        NONE,
        /** Open to the caller as a patient, a system client, or staff of the practice (not sensitive). */
        OPEN,
        /** Sensitive, and the caller is on its care team. */
        CARE_TEAM,
        /** Sensitive, the caller is staff of the practice outside its care team, with emergency access in force. */
        EMERGENCY,
        /** Sensitive, the caller is staff of the practice outside its care team, without emergency access. */
        RESTRICTED
    }

    private Access access(MessageThread thread, Actor actor) {
        if (thread == null) {
            return Access.NONE;
        }
        if (actor.isSystem()) {
            return Access.OPEN;
        }
        if (actor.isPatientSide()) {
            return thread.patientId.equals(actor.patientId()) && !(thread.sensitive && actor.relatedPersonId() != null)
                    ? Access.OPEN : Access.NONE;
        }
        if (!actor.isStaff() || !thread.practiceId.equals(actor.practiceId())) {
            return Access.NONE;
        }
        if (!thread.sensitive) {
            return Access.OPEN;
        }
        if (onCareTeam(thread, actor.practitionerId())) {
            return Access.CARE_TEAM;
        }
        return emergencyAccess.inForceRow(thread.patientId, actor).isPresent() ? Access.EMERGENCY : Access.RESTRICTED;
    }

    /**
     * Whether the practitioner is on the thread's care team: wrote in it, was addressed in it
     * directly or as a member of an addressed pool, or was handed it, or a pool they are in ({@link #shareWith}).
     */
    private boolean onCareTeam(MessageThread thread, UUID practitionerId) {
        if (practitionerId == null) {
            return false;
        }
        Set<UUID> pools = new java.util.HashSet<>();
        @SuppressWarnings("unchecked")
        List<Object[]> shares = em.createNativeQuery("select party_type, party_id from thread_share where thread_id = ?1")
                .setParameter(1, thread.id).getResultList();
        for (Object[] share : shares) {
            if (Party.PRACTITIONER.equals(share[0]) && practitionerId.equals(share[1])) {
                return true;
            }
            if (Party.CARE_TEAM.equals(share[0])) {
                pools.add((UUID) share[1]);
            }
        }
        for (Message m : em.createQuery("from Message where threadId = :t", Message.class).setParameter("t", thread.id).getResultList()) {
            if (m.senderType.equals(Party.PRACTITIONER) && m.senderId.equals(practitionerId) && m.emergencyAccessId == null) {
                return true; // a reply written under emergency access does not make its writer one of the care team
            }
            for (Message.Recipient r : m.recipients) {
                if (Party.PRACTITIONER.equals(r.type) && practitionerId.equals(r.id)) {
                    return true;
                }
                if (Party.CARE_TEAM.equals(r.type)) {
                    pools.add(r.id);
                }
            }
        }
        return pools.stream().anyMatch(pool -> directory.pool(pool).filter(p -> p.memberIds().contains(practitionerId)).isPresent());
    }

    /**
     * A practitioner or a pool joins the thread's care team: triage handed the thread to them (a
     * person's or a rule's assignment, routing, escalation), so a restricted thread opens to them (a
     * pool: to its members) without emergency access. Repeating it changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void shareWith(UUID threadId, Party party) {
        if (!party.is(Party.PRACTITIONER) && !party.is(Party.CARE_TEAM)) {
            throw new IllegalArgumentException("a thread is handed to a Practitioner or a CareTeam");
        }
        // plain SQL, no flush: the thread exists already (an item of it was triaged from its committed message)
        dev.bluepost.platform.db.TxJdbc.update(em, """
                insert into thread_share (thread_id, party_type, party_id, shared_at) values (?, ?, ?, ?)
                on conflict do nothing""", threadId, party.type(), party.id(), clock.instant());
    }

    /**
     * A clinician outside a restricted thread's care team opens emergency access to the patient's
     * restricted threads (ADR 0026): only when the thread is restricted to them now. Returns the
     * access (the one already in force, if any).
     */
    @Transactional
    public EmergencyAccessService.EmergencyAccessView openEmergencyAccess(UUID threadId, String reasonCode, Actor actor) {
        EmergencyAccessService.requireClinician(actor);
        MessageThread thread = em.find(MessageThread.class, threadId);
        Access access = access(thread, actor);
        if (access == Access.NONE) {
            throw BluepostException.notFound("Thread", threadId);
        }
        EmergencyReason reason = EmergencyReason.ofCode(reasonCode)
                .orElseThrow(() -> BluepostException.businessRule("Choose the reason for the emergency access."));
        return switch (access) {
            case OPEN, CARE_TEAM -> throw BluepostException.businessRule(
                    "This conversation is open to you; emergency access is not needed.");
            case EMERGENCY, RESTRICTED -> emergencyAccess.open(thread.patientId, reason, actor);
            case NONE -> throw new IllegalStateException("handled above");
        };
    }

    /** The emergency access the caller reaches the thread through, when that is how (ADR 0026); null otherwise. */
    private UUID emergencyAccessId(Access access, MessageThread thread, Actor actor) {
        return access == Access.EMERGENCY ? emergencyAccess.inForceRow(thread.patientId, actor).map(a -> a.id).orElse(null) : null;
    }

    /** How the caller reaches the thread; refuses (and records the refusal) when it does not. */
    private Access requireVisible(MessageThread thread, Actor actor) {
        Access access = access(thread, actor);
        if (access == Access.RESTRICTED) {
            audit.recordIndependently(actor, AuditEntry.of(AuditAction.READ).on("Thread", thread.id).patient(thread.patientId)
                    .practice(thread.practiceId).failure(AuditService.RESTRICTED));
            throw new RestrictedThreadException(thread.id, thread.patientId);
        }
        if (access == Access.NONE) {
            if (thread != null) {
                // someone reached for a thread they may not see: recorded for the thread's practice (its request fails)
                audit.recordIndependently(actor, AuditEntry.of(AuditAction.READ).on("Thread", thread.id).patient(thread.patientId)
                        .practice(thread.practiceId).failure(AuditService.ACCESS_DENIED));
            }
            throw BluepostException.notFound("Thread", thread == null ? "unknown" : thread.id);
        }
        return access;
    }

    private Optional<Message> findByIdentifier(String system, String value) {
        // a list of at most one row: a result stream is a scrollable cursor, heavier for one row
        return em.createQuery("from Message where identifierValue = :v and coalesce(identifierSystem, '') = :s", Message.class)
                .setParameter("v", value).setParameter("s", system == null ? "" : system)
                .setMaxResults(1).getResultList().stream().findFirst();
    }

    private MessageView view(MessageThread thread, Message m, Map<MessageRead.Side, Instant> reads) {
        return view(thread, m, reads, attachments(List.of(m), Map.of(thread.id, thread)).get(m.id));
    }

    private MessageView view(MessageThread thread, Message m, Map<MessageRead.Side, Instant> reads, List<AttachmentView> files) {
        return view(thread, m, reads, files, null, null);
    }

    /** The view; {@code knownText} and {@code knownTopic}, when given, are the plaintexts just sealed (not decrypted again). */
    private MessageView view(MessageThread thread, Message m, Map<MessageRead.Side, Instant> reads, List<AttachmentView> files,
                             String knownText, String knownTopic) {
        String text = knownText != null ? knownText : open(thread, m.bodyIv, m.bodyCiphertext, m.bodySha256, bodyAad(m.id),
                "body of message " + m.id, "Communication", m.id);
        String reason = m.retractionCiphertext == null ? null : open(thread, m.retractionIv, m.retractionCiphertext,
                m.retractionSha256, retractionAad(m.id), "retraction reason of message " + m.id, "Communication", m.id);
        Map<MessageRead.Side, Instant> read = reads == null ? Map.of() : reads;
        return new MessageView(m.id, m.threadId, m.practiceId, m.patientId, new Party(m.senderType, m.senderId), m.senderKind,
                m.recipients.stream().map(r -> new Party(r.type, r.id)).toList(), m.inResponseToId,
                m.id.equals(thread.rootMessageId) ? null : thread.rootMessageId, m.category, m.priority, m.medium, m.automatic,
                m.status, m.sentAt, m.receivedAt, text, knownTopic != null ? knownTopic : topic(thread), m.identifierSystem,
                m.identifierValue,
                m.retractedAt, reason, m.correctsMessageId, read.get(MessageRead.Side.CARE_TEAM), read.get(MessageRead.Side.PATIENT),
                files == null ? List.of() : List.copyOf(files), m.emergencyAccessId != null);
    }

    private String topic(MessageThread thread) {
        if (thread.topicCiphertext == null) {
            return null;
        }
        return open(thread, thread.topicIv, thread.topicCiphertext, thread.topicSha256, topicAad(thread.id),
                "subject of thread " + thread.id, "Thread", thread.id);
    }

    private String open(MessageThread thread, byte[] iv, byte[] ciphertext, byte[] sha256, byte[] aad, String what,
                        String resourceType, UUID resourceId) {
        return new String(openBytes(thread, iv, ciphertext, sha256, aad, what, resourceType, resourceId), StandardCharsets.UTF_8);
    }

    /**
     * Decrypts and verifies one sealed part of a thread. A failed check is refused, logged by id
     * only, and recorded in the audit log (in its own transaction, so the record survives the failed request).
     */
    private byte[] openBytes(MessageThread thread, byte[] iv, byte[] ciphertext, byte[] sha256, byte[] aad, String what,
                             String resourceType, UUID resourceId) {
        return openBytes(thread.id, thread.patientId, thread.practiceId, dataKey(thread), iv, ciphertext, sha256, aad, what,
                resourceType, resourceId);
    }

    private byte[] openBytes(UUID threadId, UUID patientId, UUID practiceId, WrappedKey key, byte[] iv, byte[] ciphertext,
                             byte[] sha256, byte[] aad, String what, String resourceType, UUID resourceId) {
        try {
            return cipher.open(key, new SealedText(iv, ciphertext, sha256), aad, what);
        } catch (TamperedDataException e) {
            Log.errorf("integrity check failed threadId=%s %s", threadId, switch (resourceType) {
                case "Communication" -> "messageId=" + resourceId;
                case "Binary" -> "attachmentId=" + resourceId;
                default -> "part=subject";
            });
            audit.integrityFailure(resourceType, resourceId, patientId, practiceId);
            throw e;
        }
    }

    private static WrappedKey dataKey(MessageThread thread) {
        return new WrappedKey(thread.dekKekId, thread.dekWrapped);
    }

    /** Associated data binding a body to its message: moving ciphertext to another row fails authentication. */
    private static byte[] bodyAad(UUID messageId) {
        return ("message-body:" + messageId).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] topicAad(UUID threadId) {
        return ("thread-subject:" + threadId).getBytes(StandardCharsets.US_ASCII);
    }

    /** Associated data binding an attachment's name and bytes to its row. */
    private static byte[] attachmentNameAad(UUID attachmentId) {
        return ("attachment-name:" + attachmentId).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] attachmentContentAad(UUID attachmentId) {
        return ("attachment-content:" + attachmentId).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] retractionAad(UUID messageId) {
        return ("message-retraction:" + messageId).getBytes(StandardCharsets.US_ASCII);
    }
}
