package dev.bluepost.messaging;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Decrypted, access-checked views of messages and threads for pages and the FHIR adapter. */
public final class MessageViews {

    private MessageViews() {}

    /**
     * @param retractedAt        when the sender retracted it (the text stays, marked as retracted)
     * @param retractionReason   the sender's reason, decrypted
     * @param correctsMessageId  the retracted message this one corrects
     * @param openedByCareTeamAt first time any staff member opened it
     * @param readByPatientAt    first time the patient or a proxy opened it
     * @param attachments        the files it carries (metadata; the bytes are read one by one on download)
     * @param underEmergencyAccess its staff sender wrote it under emergency ("break-glass") access
     */
    public record MessageView(
            UUID id,
            UUID threadId,
            UUID practiceId,
            UUID patientId,
            Party sender,
            SenderKind senderKind,
            List<Party> recipients,
            UUID inResponseTo,
            UUID partOf,
            String category,
            String priority,
            String medium,
            boolean automatic,
            String status,
            Instant sentAt,
            Instant receivedAt,
            String text,
            String topic,
            String identifierSystem,
            String identifierValue,
            Instant retractedAt,
            String retractionReason,
            UUID correctsMessageId,
            Instant openedByCareTeamAt,
            Instant readByPatientAt,
            List<AttachmentView> attachments,
            boolean underEmergencyAccess) {

        public boolean retracted() {
            return retractedAt != null;
        }
    }

    /**
     * @param replyOnCall                the expected answer is the on-call team's, around the clock (a red flag)
     * @param emergencyAccessId          the emergency ("break-glass") access the caller reads it through; null when the
     *                                   thread is open to the caller without one
     * @param closedUnderEmergencyAccess it was closed by a clinician under emergency access
     */
    public record ThreadView(
            UUID id,
            UUID practiceId,
            UUID patientId,
            String topic,
            String category,
            String status,
            boolean sensitive,
            Instant createdAt,
            Instant lastMessageAt,
            Instant replyExpectedBy,
            boolean replyOnCall,
            ReplyAvailability reply,
            List<MessageView> messages,
            UUID emergencyAccessId,
            boolean closedUnderEmergencyAccess) {

        public boolean open() {
            return "open".equals(status);
        }
    }

    public record ThreadSummary(
            UUID id,
            UUID practiceId,
            UUID patientId,
            String topic,
            String category,
            String status,
            boolean sensitive,
            Instant lastMessageAt,
            Instant replyExpectedBy,
            boolean replyOnCall,
            int messageCount,
            int unread) {

        public boolean awaitingReply() {
            return replyExpectedBy != null;
        }
    }

    /**
     * A file of a message, without its bytes.
     *
     * @param fileName    sanitized and decrypted (its digest checked)
     * @param contentType detected from the bytes when it was stored
     * @param sha256      of the bytes, verified on every download
     * @param sha1        of the bytes, for FHIR {@code Attachment.hash}
     */
    public record AttachmentView(
            UUID id,
            UUID messageId,
            String fileName,
            String contentType,
            long size,
            byte[] sha256,
            byte[] sha1) {}

    /** A file with its decrypted, integrity-checked bytes. */
    public record AttachmentContent(AttachmentView attachment, UUID threadId, byte[] content) {}

    /**
     * A care-team message the patient's side has not opened: ids and times only, no content (what
     * the reminders need, and all they may know).
     *
     * @param hiddenFromProxies the thread is marked sensitive: only the patient may be told about it
     */
    public record UnreadByPatient(
            UUID messageId,
            UUID threadId,
            UUID patientId,
            UUID practiceId,
            boolean hiddenFromProxies,
            Instant receivedAt) {}

    /** The result of sending: the message, and whether it was new (false for a repeated identifier). */
    public record Sent(MessageView message, boolean created) {}
}
