package dev.bluepost.messaging;

import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.TamperedDataException;
import dev.bluepost.crypto.WrappedKey;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Sealing: the one place that knows how a thread's parts are encrypted (ADR 0006). A thread has a
 * data key of its own, wrapped under the key ring's KEK and stored with the thread. Each part sealed
 * under it (a message's body and retraction reason, the thread's subject, an attachment's name and
 * bytes) is bound to its row by associated data, so ciphertext moved to another row fails
 * authentication. Opening verifies the GCM tag and the SHA-256 of the plaintext; a failed check is
 * refused, logged by id only, and recorded in the audit log (in its own transaction, so the record
 * survives the failed request).
 *
 * <p>Sending, thread actions and reading call it; it reads and writes no rows itself. A
 * {@code @Singleton} rather than {@code @ApplicationScoped}: reading calls it for every message,
 * subject and file name in its loops, and a singleton is injected as itself, with no client proxy
 * between the caller and it (ADR 0037).
 */
@Singleton
public class MessageSealing {

    private final EnvelopeCipher cipher;
    private final AuditRecorder audit;

    public MessageSealing(EnvelopeCipher cipher, AuditRecorder audit) {
        this.cipher = cipher;
        this.audit = audit;
    }

    // ---------------------------------------------------------------- sealing

    /** Gives a new thread its data key: a fresh one, wrapped under the active KEK. */
    void newDataKey(MessageThread thread) {
        WrappedKey key = cipher.newDataKey();
        thread.dekKekId = key.kekId();
        thread.dekWrapped = key.wrapped();
    }

    /** Seals a new thread's subject (already checked) under its data key. */
    void sealTopic(MessageThread thread, String topic) {
        SealedText sealed =
                cipher.seal(
                        dataKey(thread),
                        topic.getBytes(StandardCharsets.UTF_8),
                        topicAad(thread.id));
        thread.topicIv = sealed.iv();
        thread.topicCiphertext = sealed.ciphertext();
        thread.topicSha256 = sealed.sha256();
    }

    /** Seals a message's body (already checked) under its thread's data key. */
    void sealBody(MessageThread thread, Message message, String text) {
        SealedText sealed =
                cipher.seal(
                        dataKey(thread),
                        text.getBytes(StandardCharsets.UTF_8),
                        bodyAad(message.id));
        message.bodyIv = sealed.iv();
        message.bodyCiphertext = sealed.ciphertext();
        message.bodySha256 = sealed.sha256();
    }

    /** Seals the reason a message was retracted (already checked) under its thread's data key. */
    void sealRetraction(MessageThread thread, Message message, String reason) {
        SealedText sealed =
                cipher.seal(
                        dataKey(thread),
                        reason.getBytes(StandardCharsets.UTF_8),
                        retractionAad(message.id));
        message.retractionIv = sealed.iv();
        message.retractionCiphertext = sealed.ciphertext();
        message.retractionSha256 = sealed.sha256();
    }

    /** Seals an attachment's file name and bytes into its row (its id set) under its thread's data key. */
    void sealAttachment(
            MessageThread thread, MessageAttachment row, String fileName, byte[] content) {
        WrappedKey key = dataKey(thread);
        SealedText name =
                cipher.seal(
                        key, fileName.getBytes(StandardCharsets.UTF_8), attachmentNameAad(row.id));
        row.nameIv = name.iv();
        row.nameCiphertext = name.ciphertext();
        row.nameSha256 = name.sha256();
        SealedText sealed = cipher.seal(key, content, attachmentContentAad(row.id));
        row.contentIv = sealed.iv();
        row.contentCiphertext = sealed.ciphertext();
        row.contentSha256 = sealed.sha256();
    }

    // ---------------------------------------------------------------- opening

    /** A message's body, decrypted and checked. */
    String openBody(MessageThread thread, Message m) {
        return open(
                thread,
                m.bodyIv,
                m.bodyCiphertext,
                m.bodySha256,
                bodyAad(m.id),
                "body of message " + m.id,
                "Communication",
                m.id);
    }

    /**
     * A message's body, decrypted and checked, from the columns of its row and its thread's
     * (for a reader that loads neither entity).
     */
    String openBody(
            UUID messageId,
            UUID threadId,
            UUID patientId,
            UUID practiceId,
            String dekKekId,
            byte[] dekWrapped,
            byte[] iv,
            byte[] ciphertext,
            byte[] sha256) {
        return new String(
                openBytes(
                        threadId,
                        patientId,
                        practiceId,
                        new WrappedKey(dekKekId, dekWrapped),
                        iv,
                        ciphertext,
                        sha256,
                        bodyAad(messageId),
                        "body of message " + messageId,
                        "Communication",
                        messageId),
                StandardCharsets.UTF_8);
    }

    /** The reason a message was retracted, decrypted and checked; null for a message not retracted. */
    String openRetraction(MessageThread thread, Message m) {
        return m.retractionCiphertext == null
                ? null
                : open(
                        thread,
                        m.retractionIv,
                        m.retractionCiphertext,
                        m.retractionSha256,
                        retractionAad(m.id),
                        "retraction reason of message " + m.id,
                        "Communication",
                        m.id);
    }

    /** The thread's subject, decrypted and checked; null for a thread without one. */
    String openTopic(MessageThread thread) {
        if (thread.topicCiphertext == null) {
            return null;
        }
        return open(
                thread,
                thread.topicIv,
                thread.topicCiphertext,
                thread.topicSha256,
                topicAad(thread.id),
                "subject of thread " + thread.id,
                "Thread",
                thread.id);
    }

    /** An attachment's file name, decrypted and checked, from the name columns of its row. */
    String openAttachmentName(
            MessageThread thread, UUID attachmentId, byte[] iv, byte[] ciphertext, byte[] sha256) {
        return new String(
                openBytes(
                        thread,
                        iv,
                        ciphertext,
                        sha256,
                        attachmentNameAad(attachmentId),
                        "name of attachment " + attachmentId,
                        "Binary",
                        attachmentId),
                StandardCharsets.UTF_8);
    }

    /** An attachment's bytes, decrypted and checked, and of the size recorded with them. */
    byte[] openAttachmentContent(MessageThread thread, MessageAttachment row) {
        byte[] bytes =
                openBytes(
                        thread,
                        row.contentIv,
                        row.contentCiphertext,
                        row.contentSha256,
                        attachmentContentAad(row.id),
                        "content of attachment " + row.id,
                        "Binary",
                        row.id);
        if (bytes.length != row.sizeBytes) {
            Log.errorf(
                    "integrity check failed threadId=%s attachmentId=%s size", thread.id, row.id);
            audit.integrityFailure("Binary", row.id, thread.patientId, thread.practiceId);
            throw new TamperedDataException("content of attachment " + row.id);
        }
        return bytes;
    }

    private String open(
            MessageThread thread,
            byte[] iv,
            byte[] ciphertext,
            byte[] sha256,
            byte[] aad,
            String what,
            String resourceType,
            UUID resourceId) {
        return new String(
                openBytes(thread, iv, ciphertext, sha256, aad, what, resourceType, resourceId),
                StandardCharsets.UTF_8);
    }

    /**
     * Decrypts and verifies one sealed part of a thread. A failed check is refused, logged by id
     * only, and recorded in the audit log (in its own transaction, so the record survives the failed request).
     */
    private byte[] openBytes(
            MessageThread thread,
            byte[] iv,
            byte[] ciphertext,
            byte[] sha256,
            byte[] aad,
            String what,
            String resourceType,
            UUID resourceId) {
        return openBytes(
                thread.id,
                thread.patientId,
                thread.practiceId,
                dataKey(thread),
                iv,
                ciphertext,
                sha256,
                aad,
                what,
                resourceType,
                resourceId);
    }

    private byte[] openBytes(
            UUID threadId,
            UUID patientId,
            UUID practiceId,
            WrappedKey key,
            byte[] iv,
            byte[] ciphertext,
            byte[] sha256,
            byte[] aad,
            String what,
            String resourceType,
            UUID resourceId) {
        try {
            return cipher.open(key, new SealedText(iv, ciphertext, sha256), aad, what);
        } catch (TamperedDataException e) {
            Log.errorf(
                    "integrity check failed threadId=%s %s",
                    threadId,
                    switch (resourceType) {
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
