package dev.bluepost.messaging;

import dev.bluepost.messaging.attachments.AttachmentPolicy;
import dev.bluepost.messaging.attachments.NewAttachment;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message to record.
 *
 * @param threadId          the thread to add to; null starts a new thread
 * @param sentAt            kept only for system clients (migrations, inbound Direct); otherwise the server clock
 * @param receivedAt        as {@code sentAt}; absent = {@code sentAt}
 * @param correctsMessageId the sender's own retracted message this one corrects, if any
 * @param attachments       files to attach (checked by {@link AttachmentPolicy}); empty for none
 */
public record NewMessage(
        UUID id,
        UUID patientId,
        Party sender,
        List<Party> recipients,
        UUID threadId,
        UUID inResponseTo,
        String category,
        String priority,
        String medium,
        String text,
        String topic,
        Instant sentAt,
        Instant receivedAt,
        String identifierSystem,
        String identifierValue,
        UUID correctsMessageId,
        List<NewAttachment> attachments) {

    public NewMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A message written on a page: the server assigns id and times. */
    public static NewMessage fromPage(
            UUID patientId,
            Party sender,
            List<Party> recipients,
            UUID threadId,
            UUID inResponseTo,
            String category,
            String text,
            String topic) {
        return new NewMessage(
                null,
                patientId,
                sender,
                recipients,
                threadId,
                inResponseTo,
                category,
                "routine",
                null,
                text,
                topic,
                null,
                null,
                null,
                null,
                null,
                List.of());
    }

    /** The same message as a correction of the sender's retracted {@code messageId}. */
    public NewMessage correcting(UUID messageId) {
        return new NewMessage(
                id,
                patientId,
                sender,
                recipients,
                threadId,
                inResponseTo,
                category,
                priority,
                medium,
                text,
                topic,
                sentAt,
                receivedAt,
                identifierSystem,
                identifierValue,
                messageId,
                attachments);
    }

    /** The same message carrying these files. */
    public NewMessage withAttachments(List<NewAttachment> files) {
        return new NewMessage(
                id,
                patientId,
                sender,
                recipients,
                threadId,
                inResponseTo,
                category,
                priority,
                medium,
                text,
                topic,
                sentAt,
                receivedAt,
                identifierSystem,
                identifierValue,
                correctsMessageId,
                files);
    }
}
