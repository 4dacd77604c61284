package dev.bluepost.messaging;

import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Drafts: unsent messages kept on the server (so they follow the person to another device), sealed
 * under a data key of their own, visible only to their author and only for the patient they were
 * written about. A draft reply needs a thread that still accepts replies.
 */
@ApplicationScoped
public class DraftService {

    private final MessageSending sending;
    private final ThreadAccess threadAccess;
    private final EnvelopeCipher cipher;
    private final Clock clock;

    public DraftService(
            MessageSending sending, ThreadAccess threadAccess, EnvelopeCipher cipher, Clock clock) {
        this.sending = sending;
        this.threadAccess = threadAccess;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** What a draft holds. {@code threadId} is set for a reply; {@code recipient} ({@code Type/id}) for a new message. */
    public record Draft(
            UUID id,
            UUID patientId,
            UUID threadId,
            String recipient,
            String category,
            String topic,
            String text,
            Instant updatedAt) {}

    /** Saves (creates or replaces) a draft and returns its id. */
    @Transactional
    public UUID save(Draft draft, Actor actor) {
        if (actor.userId() == null || actor.patientId() == null && !actor.isStaff()) {
            throw MessageSending.said(ErrorKind.FORBIDDEN, ThreadMessages::error_drafts_need_login);
        }
        String text = draft.text() == null ? "" : draft.text();
        if (text.isBlank() && (draft.topic() == null || draft.topic().isBlank())) {
            throw MessageSending.said(ThreadMessages::error_nothing_to_save).about("text");
        }
        if (!text.isBlank()) {
            sending.checkedText(text);
        }
        String topic =
                draft.topic() == null || draft.topic().isBlank()
                        ? null
                        : MessageSending.checkedSubject(draft.topic());
        if (draft.threadId() != null) {
            ReplyAvailability reply = threadAccess.replyAvailability(draft.threadId(), actor);
            if (!reply.isOpen()) {
                throw MessageSending.replyNotOpen(reply);
            }
        }
        MessageDraft row = draft.id() == null ? null : MessageDraft.findById(draft.id());
        if (row != null && !row.userId.equals(actor.userId())) {
            row = null;
        }
        if (row == null) {
            row = new MessageDraft();
            row.id = Ids.newId();
            row.userId = actor.userId();
            WrappedKey key = cipher.newDataKey();
            row.dekKekId = key.kekId();
            row.dekWrapped = key.wrapped();
        }
        row.patientId = actor.isPatientSide() ? actor.patientId() : draft.patientId();
        row.threadId = draft.threadId();
        row.recipient = draft.recipient();
        row.category =
                MessageCategory.fromCode(draft.category())
                        .map(MessageCategory::code)
                        .orElse(MessageCategory.OTHER.code());
        WrappedKey key = new WrappedKey(row.dekKekId, row.dekWrapped);
        SealedText body =
                cipher.seal(key, text.getBytes(StandardCharsets.UTF_8), aad(row.id, "body"));
        row.bodyIv = body.iv();
        row.bodyCiphertext = body.ciphertext();
        row.bodySha256 = body.sha256();
        if (topic != null) {
            SealedText sealedTopic =
                    cipher.seal(key, topic.getBytes(StandardCharsets.UTF_8), aad(row.id, "topic"));
            row.topicIv = sealedTopic.iv();
            row.topicCiphertext = sealedTopic.ciphertext();
            row.topicSha256 = sealedTopic.sha256();
        } else {
            row.topicIv = null;
            row.topicCiphertext = null;
            row.topicSha256 = null;
        }
        row.updatedAt = clock.instant();
        row.persist();
        return row.id;
    }

    /** The caller's newest draft of a reply in this thread, if any. */
    @Transactional
    public Optional<Draft> replyDraft(UUID threadId, Actor actor) {
        if (actor.userId() == null) {
            return Optional.empty();
        }
        return MessageDraft.<MessageDraft>find(
                        "userId = ?1 and threadId = ?2 order by updatedAt desc",
                        actor.userId(),
                        threadId)
                .firstResultOptional()
                .filter(d -> !actor.isPatientSide() || d.patientId.equals(actor.patientId()))
                .map(this::open);
    }

    /**
     * Keeps a half-written reply (the session script, before an automatic sign-out): replaces the
     * caller's draft of a reply in this thread, or starts one. The thread must be one the caller may
     * reply in, as for any draft.
     */
    @Transactional
    public UUID keepReply(UUID threadId, String text, Actor actor) {
        ReplyAvailability reply =
                threadAccess.replyAvailability(
                        threadId, actor); // the caller may see it (404/403 otherwise)
        if (!reply.isOpen()) {
            throw MessageSending.replyNotOpen(reply);
        }
        MessageThread thread = MessageThread.findById(threadId);
        UUID existing = replyDraft(threadId, actor).map(Draft::id).orElse(null);
        return save(
                new Draft(existing, thread.patientId, threadId, null, null, null, text, null),
                actor);
    }

    /** Deletes the caller's drafts of a reply in this thread: the reply was sent. */
    @Transactional
    public void deleteReplyDrafts(UUID threadId, Actor actor) {
        if (actor.userId() != null) {
            MessageDraft.delete("userId = ?1 and threadId = ?2", actor.userId(), threadId);
        }
    }

    /** The caller's drafts about the patient they see (or act for), newest first. */
    @Transactional
    public List<Draft> drafts(Actor actor) {
        if (actor.userId() == null) {
            return List.of();
        }
        List<MessageDraft> rows =
                actor.isPatientSide()
                        ? MessageDraft.list(
                                "userId = ?1 and patientId = ?2 order by updatedAt desc",
                                actor.userId(),
                                actor.patientId())
                        : MessageDraft.list("userId = ?1 order by updatedAt desc", actor.userId());
        return rows.stream().map(this::open).toList();
    }

    @Transactional
    public Optional<Draft> draft(UUID id, Actor actor) {
        return Optional.ofNullable(MessageDraft.<MessageDraft>findById(id))
                .filter(
                        d ->
                                d.userId.equals(actor.userId())
                                        && (!actor.isPatientSide()
                                                || d.patientId.equals(actor.patientId())))
                .map(this::open);
    }

    @Transactional
    public void delete(UUID id, Actor actor) {
        MessageDraft row = MessageDraft.findById(id);
        if (row != null && row.userId.equals(actor.userId())) {
            row.delete();
        }
    }

    /** Deletes one of the caller's drafts; someone else's draft (or none) is not found (404), like a missing one. */
    @Transactional
    public void deleteOwn(UUID id, Actor actor) {
        MessageDraft row = MessageDraft.findById(id);
        if (row == null
                || !row.userId.equals(actor.userId())
                || actor.isPatientSide() && !row.patientId.equals(actor.patientId())) {
            throw BluepostException.notFound("Draft", id);
        }
        row.delete();
    }

    private Draft open(MessageDraft row) {
        WrappedKey key = new WrappedKey(row.dekKekId, row.dekWrapped);
        String text =
                new String(
                        cipher.open(
                                key,
                                new SealedText(row.bodyIv, row.bodyCiphertext, row.bodySha256),
                                aad(row.id, "body"),
                                "draft " + row.id),
                        StandardCharsets.UTF_8);
        String topic =
                row.topicCiphertext == null
                        ? null
                        : new String(
                                cipher.open(
                                        key,
                                        new SealedText(
                                                row.topicIv, row.topicCiphertext, row.topicSha256),
                                        aad(row.id, "topic"),
                                        "draft " + row.id),
                                StandardCharsets.UTF_8);
        return new Draft(
                row.id,
                row.patientId,
                row.threadId,
                row.recipient,
                row.category,
                topic,
                text,
                row.updatedAt);
    }

    private static byte[] aad(UUID draftId, String part) {
        return ("draft-" + part + ":" + draftId).getBytes(StandardCharsets.US_ASCII);
    }
}
