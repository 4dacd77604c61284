package dev.bluepost.messaging;

import dev.bluepost.platform.db.TxJdbc;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a new message (and a new thread) with plain SQL on the transaction's connection, at once.
 * Every message passes here, a patient's and triage's automatic reply alike, and Hibernate's insert
 * of an entity — queued, bound through the entity's persister, checked at the flush — cost more
 * than the statement itself (docs/adr/0032-message-path-under-load.md). The objects stay plain: not
 * managed, so nothing flushes them again; a later read in the same transaction finds the rows.
 * Changes to an existing thread still go through its managed entity. Inserts Hibernate still holds
 * for this transaction (a Patient created earlier in the same FHIR transaction bundle, say) are
 * flushed first, so the rows a message refers to exist when it is written.
 */
final class MessageRows {

    private MessageRows() {}

    static void insertThread(EntityManager em, MessageThread t) {
        TxJdbc.flushPendingInserts(em);
        TxJdbc.update(
                em,
                """
                insert into message_thread (id, version, practice_id, patient_id, category, status, topic_iv, topic_ciphertext,
                    topic_sha256, dek_kek_id, dek_wrapped, root_message_id, created_at, last_message_at, sensitive, closed_at,
                    closed_by_user_id, closed_emergency_access_id, reply_expected_by, reply_on_call)
                values (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                t.id,
                t.practiceId,
                t.patientId,
                t.category,
                t.status,
                t.topicIv,
                t.topicCiphertext,
                t.topicSha256,
                t.dekKekId,
                t.dekWrapped,
                t.rootMessageId,
                t.createdAt,
                t.lastMessageAt,
                t.sensitive,
                t.closedAt,
                t.closedByUserId,
                t.closedEmergencyAccessId,
                t.replyExpectedBy,
                t.replyOnCall);
        t.version = 0;
    }

    /** The message and its recipients (two statements whatever the number of recipients). */
    static void insertMessage(EntityManager em, Message m) {
        TxJdbc.flushPendingInserts(em);
        TxJdbc.update(
                em,
                """
                insert into message (id, thread_id, practice_id, patient_id, sender_type, sender_id, sender_kind, sent_by_user_id,
                    in_response_to_id, category, priority, medium, secure, automatic, status, sent_at, received_at, body_iv,
                    body_ciphertext, body_sha256, identifier_system, identifier_value, created_at, retracted_at,
                    retracted_by_user_id, emergency_access_id, retraction_iv, retraction_ciphertext, retraction_sha256,
                    corrects_message_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                m.id,
                m.threadId,
                m.practiceId,
                m.patientId,
                m.senderType,
                m.senderId,
                m.senderKind.name(),
                m.sentByUserId,
                m.inResponseToId,
                m.category,
                m.priority,
                m.medium,
                m.secure,
                m.automatic,
                m.status,
                m.sentAt,
                m.receivedAt,
                m.bodyIv,
                m.bodyCiphertext,
                m.bodySha256,
                m.identifierSystem,
                m.identifierValue,
                m.createdAt,
                m.retractedAt,
                m.retractedByUserId,
                m.emergencyAccessId,
                m.retractionIv,
                m.retractionCiphertext,
                m.retractionSha256,
                m.correctsMessageId);
        List<Object[]> recipients = new ArrayList<>(m.recipients.size());
        for (int position = 0; position < m.recipients.size(); position++) {
            Message.Recipient r = m.recipients.get(position);
            recipients.add(new Object[] {m.id, position, r.type, r.id});
        }
        TxJdbc.insertRows(
                em,
                "insert into message_recipient (message_id, position, recipient_type, recipient_id) values ",
                recipients);
    }
}
