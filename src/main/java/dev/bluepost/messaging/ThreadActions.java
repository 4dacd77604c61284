package dev.bluepost.messaging;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.ThreadAccess.Access;
import dev.bluepost.messaging.events.MessageRetractedEvent;
import dev.bluepost.messaging.events.ThreadClosedEvent;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.kafka.Topics;
import dev.bluepost.platform.outbox.OutboxService;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Thread actions: what is done to a thread or a message after it was written. The care team closes
 * a conversation, the patient marks one sensitive (hidden from proxies, and in the practice open
 * only to its care team), and a sender retracts a message with a reason (never edited: marked
 * entered-in-error, the reason sealed with the thread's parts). Each is checked against
 * {@link ThreadAccess}, recorded in the audit log, and a close or a retraction is announced through
 * the outbox in the same transaction.
 */
@ApplicationScoped
public class ThreadActions {

    /** The longest reason for retracting a message, in characters. */
    static final int MAX_REASON = 500;

    private final EntityManager em;
    private final ThreadAccess threadAccess;
    private final MessageSealing sealing;
    private final MessageReading reading;
    private final OutboxService outbox;
    private final Clock clock;
    private final AuditRecorder audit;

    public ThreadActions(
            EntityManager em,
            ThreadAccess threadAccess,
            MessageSealing sealing,
            MessageReading reading,
            OutboxService outbox,
            Clock clock,
            AuditRecorder audit) {
        this.em = em;
        this.threadAccess = threadAccess;
        this.sealing = sealing;
        this.reading = reading;
        this.outbox = outbox;
        this.clock = clock;
        this.audit = audit;
    }

    /** The care team closes a conversation; the patient can no longer reply, only start a new message. */
    @Transactional
    public void close(UUID threadId, Actor actor) {
        if (!actor.isStaff() && !actor.isSystem()) {
            throw MessageSending.said(ErrorKind.FORBIDDEN, ThreadMessages::error_close_care_team);
        }
        MessageThread thread =
                em.find(MessageThread.class, threadId, LockModeType.PESSIMISTIC_WRITE);
        Access access = threadAccess.requireVisible(thread, actor);
        if (!"open".equals(thread.status)) {
            return;
        }
        thread.closedEmergencyAccessId = threadAccess.emergencyAccessId(access, thread, actor);
        Instant now = clock.instant();
        thread.status = "closed";
        thread.closedAt = now;
        thread.closedByUserId = actor.userId();
        thread.replyExpectedBy = null;
        thread.replyOnCall = false;
        outbox.enqueue(
                Topics.MESSAGE_EVENTS,
                thread.id.toString(),
                new ThreadClosedEvent(
                        Ids.newId(),
                        ThreadClosedEvent.TYPE,
                        ThreadClosedEvent.VERSION,
                        now,
                        thread.id,
                        thread.practiceId,
                        thread.patientId));
        Log.infof("thread closed threadId=%s by=%s", thread.id, actor.logId());
        audit.record(
                actor,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("Thread", thread.id)
                        .patient(thread.patientId)
                        .practice(thread.practiceId)
                        .reason(
                                thread.closedEmergencyAccessId == null
                                        ? "closed"
                                        : AuditRecorder.BREAK_GLASS + ".closed"));
    }

    /**
     * The patient (not a proxy) marks a thread sensitive: proxies no longer see it, and in the
     * practice only its care team does (others need emergency access).
     */
    @Transactional
    public void markSensitive(UUID threadId, boolean sensitive, Actor actor) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        threadAccess.requireVisible(thread, actor);
        if (!actor.has(Role.PATIENT) || actor.relatedPersonId() != null) {
            throw MessageSending.said(ErrorKind.FORBIDDEN, ThreadMessages::error_sensitive_patient);
        }
        thread.sensitive = sensitive;
        Log.infof("thread sensitivity changed threadId=%s sensitive=%s", thread.id, sensitive);
        audit.record(
                actor,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("Thread", thread.id)
                        .patient(thread.patientId)
                        .practice(thread.practiceId)
                        .reason(sensitive ? "marked-sensitive" : "unmarked-sensitive"));
    }

    /**
     * The sender takes a message back, with a reason. The message is never edited: it is marked
     * retracted (FHIR status entered-in-error), the thread shows both it and any correction, and
     * the record keeps everything.
     */
    @Transactional
    public MessageView retract(UUID messageId, String reason, Actor actor) {
        Message message = em.find(Message.class, messageId, LockModeType.PESSIMISTIC_WRITE);
        if (message == null) {
            throw BluepostException.notFound("Communication", messageId);
        }
        MessageThread thread = em.find(MessageThread.class, message.threadId);
        Access access = threadAccess.requireVisible(thread, actor);
        if (!sentBy(message, actor)) {
            throw MessageSending.said(ErrorKind.FORBIDDEN, ThreadMessages::error_retract_sender);
        }
        if (message.retractedAt != null) {
            throw MessageSending.said(ErrorKind.CONFLICT, ThreadMessages::error_retracted_already);
        }
        String cleanReason = reason == null ? "" : reason.strip();
        if (cleanReason.isEmpty()
                || cleanReason.length() > MAX_REASON
                || !MessageSending.isWellFormed(cleanReason)) {
            throw MessageSending.said(m -> m.error_retract_reason(MAX_REASON)).about("reason");
        }
        Instant now = clock.instant();
        message.retractedAt = now;
        message.retractedByUserId = actor.userId();
        message.status = "entered-in-error";
        sealing.sealRetraction(thread, message, cleanReason);
        outbox.enqueue(
                Topics.MESSAGE_EVENTS,
                thread.id.toString(),
                new MessageRetractedEvent(
                        Ids.newId(),
                        MessageRetractedEvent.TYPE,
                        MessageRetractedEvent.VERSION,
                        now,
                        message.id,
                        thread.id,
                        thread.practiceId,
                        thread.patientId,
                        message.senderKind.name()));
        Log.infof(
                "message retracted messageId=%s threadId=%s by=%s",
                message.id, thread.id, actor.logId());
        AuditEntry retracted =
                AuditEntry.of(AuditAction.RETRACT)
                        .on("Communication", message.id)
                        .patient(thread.patientId)
                        .practice(thread.practiceId);
        audit.record(
                actor,
                access == Access.EMERGENCY
                        ? retracted.reason(AuditRecorder.BREAK_GLASS)
                        : retracted);
        return reading.view(thread, message, reading.reads(List.of(message)).get(message.id));
    }

    private static boolean sentBy(Message message, Actor actor) {
        if (actor.relatedPersonId() != null) {
            return message.senderType.equals(Party.RELATED_PERSON)
                    && message.senderId.equals(actor.relatedPersonId());
        }
        if (actor.isPatientSide()) {
            return message.senderType.equals(Party.PATIENT)
                    && message.senderId.equals(actor.patientId());
        }
        if (actor.userId() != null && actor.userId().equals(message.sentByUserId)) {
            return true;
        }
        return actor.practitionerId() != null
                && message.senderType.equals(Party.PRACTITIONER)
                && message.senderId.equals(actor.practitionerId());
    }
}
