package dev.bluepost.messaging;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Decrypted, access-checked views of messages and threads for pages and the FHIR adapter. */
public final class MessageViews {

    private MessageViews() {
    }

    public record MessageView(UUID id, UUID threadId, UUID practiceId, UUID patientId, Party sender, SenderKind senderKind,
                              List<Party> recipients, UUID inResponseTo, UUID partOf, String category, String priority,
                              String medium, boolean automatic, String status, Instant sentAt, Instant receivedAt,
                              String text, String topic, String identifierSystem, String identifierValue) {
    }

    public record ThreadView(UUID id, UUID practiceId, UUID patientId, String topic, String category, String status,
                             Instant createdAt, Instant lastMessageAt, Instant replyExpectedBy, List<MessageView> messages) {
    }

    public record ThreadSummary(UUID id, UUID practiceId, UUID patientId, String topic, String category, String status, Instant lastMessageAt,
                                Instant replyExpectedBy, int messageCount) {

        public boolean awaitingReply() {
            return replyExpectedBy != null;
        }
    }

    /** The result of sending: the message, and whether it was new (false for a repeated identifier). */
    public record Sent(MessageView message, boolean created) {
    }
}
