package dev.bluepost.triage.console;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.NewMessage;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.ThreadActions;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.triage.AutoReplies;
import dev.bluepost.triage.Refused;
import dev.bluepost.triage.RuleService;
import dev.bluepost.triage.TaskStatus;
import dev.bluepost.triage.Templates;
import dev.bluepost.triage.TriageConfig;
import dev.bluepost.triage.TriageItem;
import dev.bluepost.triage.TriageRefusals;
import dev.bluepost.triage.TriageService;
import dev.bluepost.triage.TriageService.QueueItem;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What the console does beyond the queue itself: template replies (one item or a batch, each
 * patient getting a one-to-one message of their own), macros, staff-only notes, routing to a
 * provider with a note, and who else is viewing or replying to a thread (a soft lock).
 */
@ApplicationScoped
public class ConsoleService {

    /** A batch sends at most this many replies at once. */
    public static final int MAX_BATCH = 100;

    private final EntityManager em;
    private final TriageService triage;
    private final RuleService rules;
    private final AutoReplies replies;
    private final MessageSending sending;
    private final MessageReading reading;
    private final ThreadActions threadActions;
    private final DirectoryService directory;
    private final EnvelopeCipher cipher;
    private final AuditRecorder audit;
    private final TriageConfig config;
    private final Clock clock;

    public ConsoleService(
            EntityManager em,
            TriageService triage,
            RuleService rules,
            AutoReplies replies,
            MessageSending sending,
            MessageReading reading,
            ThreadActions threadActions,
            DirectoryService directory,
            EnvelopeCipher cipher,
            AuditRecorder audit,
            TriageConfig config,
            Clock clock) {
        this.em = em;
        this.triage = triage;
        this.rules = rules;
        this.replies = replies;
        this.sending = sending;
        this.reading = reading;
        this.threadActions = threadActions;
        this.directory = directory;
        this.cipher = cipher;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- templates

    /** The template filled in for this thread's patient and the signing staff member (for the reply form). */
    @Transactional
    public String render(UUID threadId, UUID templateId, Actor actor) {
        RuleService.TemplateView template =
                rules.template(actor.practiceId(), templateId)
                        .orElseThrow(() -> BluepostException.notFound("Template", templateId));
        TriageItem item = latestItem(threadId, actor);
        dev.bluepost.platform.i18n.Language language = replies.language(template, item.patientId);
        return Templates.render(
                template.body(language.tag()),
                replies.values(item, Optional.empty(), staffName(actor), language));
    }

    // ---------------------------------------------------------------- batch replies

    /**
     * One patient's reply in a batch: its preview, and after sending, the result; {@code failure} says why it
     * was not (or cannot be) sent, for the page to show in its reader's language. {@code patientName} is null
     * for a message not in the caller's queue.
     */
    public record BatchLine(
            UUID itemId,
            UUID threadId,
            String patientName,
            String text,
            boolean sent,
            UUID messageId,
            BluepostException failure) {}

    /**
     * The replies the batch would send: one per conversation (two selected items of one thread,
     * e.g. a patient's message and their follow-up, get one reply), each filled in for its own patient.
     */
    @Transactional
    public List<BatchLine> preview(List<UUID> itemIds, UUID templateId, Actor actor) {
        RuleService.TemplateView template = batchTemplate(itemIds, templateId, actor);
        List<BatchLine> lines = new ArrayList<>();
        Set<UUID> conversations = new HashSet<>();
        for (UUID id : new LinkedHashSet<>(itemIds)) {
            TriageItem item = em.find(TriageItem.class, id);
            if (item == null || !triage.visible(item, actor)) {
                lines.add(
                        new BatchLine(
                                id,
                                null,
                                null,
                                "",
                                false,
                                null,
                                Refused.rule(TriageRefusals::batch_not_in_queue)));
                continue;
            }
            if (!conversations.add(item.threadId)) {
                continue; // this conversation already gets its reply
            }
            dev.bluepost.platform.i18n.Language language =
                    replies.language(template, item.patientId);
            lines.add(
                    new BatchLine(
                            id,
                            item.threadId,
                            patientName(item.patientId),
                            Templates.render(
                                    template.body(language.tag()),
                                    replies.values(
                                            item, Optional.empty(), staffName(actor), language)),
                            false,
                            null,
                            null));
        }
        return lines;
    }

    /**
     * Sends the template to each selected item's patient as a reply in that patient's own thread,
     * each in a transaction of its own: one that fails (closed thread, patient gone, …) leaves
     * the others sent and is reported with its reason.
     */
    public List<BatchLine> sendBatch(List<UUID> itemIds, UUID templateId, Actor actor) {
        List<BatchLine> previews =
                QuarkusTransaction.requiringNew().call(() -> preview(itemIds, templateId, actor));
        List<BatchLine> results = new ArrayList<>();
        for (BatchLine line : previews) {
            if (line.failure() != null) {
                results.add(line);
                continue;
            }
            try {
                UUID messageId =
                        QuarkusTransaction.requiringNew()
                                .call(() -> reply(line.threadId(), line.text(), actor));
                results.add(
                        new BatchLine(
                                line.itemId(),
                                line.threadId(),
                                line.patientName(),
                                line.text(),
                                true,
                                messageId,
                                null));
            } catch (BluepostException e) {
                results.add(
                        new BatchLine(
                                line.itemId(),
                                line.threadId(),
                                line.patientName(),
                                line.text(),
                                false,
                                null,
                                e));
            } catch (RuntimeException e) {
                Log.errorf(
                        "batch reply failed taskId=%s: %s", line.itemId(), e.getClass().getName());
                results.add(
                        new BatchLine(
                                line.itemId(),
                                line.threadId(),
                                line.patientName(),
                                line.text(),
                                false,
                                null,
                                BluepostException.said(
                                        ErrorKind.INTERNAL,
                                        TriageRefusals.class,
                                        TriageRefusals::batch_not_sent)));
            }
        }
        Log.infof(
                "batch reply by=%s sent=%d failed=%d",
                actor.logId(),
                results.stream().filter(BatchLine::sent).count(),
                results.stream().filter(l -> !l.sent()).count());
        return results;
    }

    // ---------------------------------------------------------------- conversations in the queue

    /**
     * The caller takes a conversation: the chosen item (refused, naming the holder, when someone
     * else holds it) and the conversation's other waiting items that nobody holds.
     */
    @Transactional
    public QueueItem claim(UUID itemId, Actor actor) {
        QueueItem claimed = triage.claim(itemId, actor);
        takeRestOfConversation(claimed, actor);
        return claimed;
    }

    /** "Serve me the next one", as a conversation: the item served and the rest of its conversation nobody holds. */
    @Transactional
    public Optional<QueueItem> next(UUID poolId, Actor actor) {
        Optional<QueueItem> next = triage.next(poolId, actor);
        next.ifPresent(item -> takeRestOfConversation(item, actor));
        return next;
    }

    /** The holder gives the conversation back to its pool's queue: every waiting item of it they hold. */
    @Transactional
    public void release(UUID itemId, Actor actor) {
        QueueItem released = triage.release(itemId, actor);
        for (QueueItem other : triage.openItemsOfThread(released.threadId(), actor)) {
            if (!other.id().equals(itemId)
                    && other.owner().is(Party.PRACTITIONER)
                    && other.owner().id().equals(actor.practitionerId())) {
                triage.release(other.id(), actor);
            }
        }
    }

    private void takeRestOfConversation(QueueItem claimed, Actor actor) {
        for (QueueItem other : triage.openItemsOfThread(claimed.threadId(), actor)) {
            if (!other.id().equals(claimed.id()) && !other.owner().is(Party.PRACTITIONER)) {
                triage.update(other.id(), claimed.owner(), TaskStatus.IN_PROGRESS, null, actor);
            }
        }
    }

    private RuleService.TemplateView batchTemplate(
            List<UUID> itemIds, UUID templateId, Actor actor) {
        if (itemIds.isEmpty()) {
            throw Refused.rule(TriageRefusals::batch_none);
        }
        if (itemIds.size() > MAX_BATCH) {
            throw Refused.rule(m -> m.batch_too_many(MAX_BATCH));
        }
        if (templateId == null) {
            throw chooseTemplate();
        }
        return rules.template(actor.practiceId(), templateId)
                .orElseThrow(ConsoleService::chooseTemplate);
    }

    /** No template chosen (or not one of the practice's staff templates). */
    static BluepostException chooseTemplate() {
        return Refused.rule(TriageRefusals::choose_template).about("template");
    }

    /** A login without a practitioner record signs nothing. */
    static BluepostException cannotSign() {
        return Refused.forbidden(TriageRefusals::cannot_sign);
    }

    /** A staff reply in the thread, signed by the caller's practitioner record, answering its last message. */
    @Transactional
    public UUID reply(UUID threadId, String text, Actor actor) {
        ThreadView thread = reading.thread(threadId, actor);
        MessageView last = thread.messages().get(thread.messages().size() - 1);
        if (actor.practitionerId() == null) {
            throw cannotSign();
        }
        return sending.send(
                        NewMessage.fromPage(
                                thread.patientId(),
                                new Party(Party.PRACTITIONER, actor.practitionerId()),
                                List.of(new Party(Party.PATIENT, thread.patientId())),
                                thread.id(),
                                last.id(),
                                thread.category(),
                                text,
                                null),
                        actor)
                .message()
                .id();
    }

    // ---------------------------------------------------------------- macros

    /**
     * The status a macro leaves: {@code ANSWERED} (the reply completes the thread's open items, the
     * conversation stays open for the patient), {@code IN_PROGRESS} (the items stay open, in progress,
     * e.g. "we are looking into it" while a provider takes it), {@code CLOSE} (the conversation closes).
     */
    public enum After {
        ANSWERED,
        IN_PROGRESS,
        CLOSE
    }

    /**
     * A macro: reply from a template, set the status and assign the thread's open items (to the
     * caller, a pool or a practitioner; {@code owner} null leaves them), in one step and one
     * transaction (a refused assignment sends nothing).
     */
    @Transactional
    public void macro(UUID threadId, UUID templateId, After after, Party owner, Actor actor) {
        String text = render(threadId, templateId, actor);
        UUID reply = reply(threadId, text, actor);
        if (owner != null || after == After.IN_PROGRESS) {
            triage.afterMacroReply(threadId, reply, owner, after == After.IN_PROGRESS, actor);
        }
        if (after == After.CLOSE) {
            threadActions.close(threadId, actor);
        }
    }

    // ---------------------------------------------------------------- notes and routing

    /** A note as the thread page shows it; {@code emergency}: written under emergency ("break-glass") access. */
    public record NoteView(UUID id, String author, Instant at, String text, boolean emergency) {}

    /** A staff-only note on a thread (sealed at rest; never shown to the patient). */
    @Transactional
    public void addNote(UUID threadId, String text, Actor actor) {
        if (text == null || text.isBlank()) {
            throw Refused.rule(TriageRefusals::note_empty).about("note");
        }
        if (text.length() > 5000) {
            throw Refused.rule(TriageRefusals::note_too_long).about("note");
        }
        ThreadView thread = reading.thread(threadId, actor);
        WrappedKey key = cipher.newDataKey();
        TriageNote note = new TriageNote();
        note.id = Ids.newId();
        note.practiceId = thread.practiceId();
        note.threadId = threadId;
        note.authorUserId = actor.userId();
        note.authorName = staffName(actor);
        note.dekKekId = key.kekId();
        note.dekWrapped = key.wrapped();
        SealedText sealed =
                cipher.seal(key, text.strip().getBytes(StandardCharsets.UTF_8), noteAad(note.id));
        note.bodyIv = sealed.iv();
        note.bodyCiphertext = sealed.ciphertext();
        note.bodySha256 = sealed.sha256();
        note.createdAt = clock.instant();
        note.emergencyAccessId = thread.emergencyAccessId();
        em.persist(note);
        AuditEntry created =
                AuditEntry.of(AuditAction.CREATE)
                        .on("Note", note.id)
                        .patient(thread.patientId())
                        .practice(thread.practiceId());
        audit.record(
                actor,
                note.emergencyAccessId == null
                        ? created
                        : created.reason(AuditRecorder.BREAK_GLASS));
        Log.infof("note added noteId=%s threadId=%s by=%s", note.id, threadId, actor.logId());
    }

    @Transactional
    public List<NoteView> notes(UUID threadId, Actor actor) {
        return em
                .createQuery(
                        "from TriageNote where threadId = :t and practiceId = :p order by createdAt",
                        TriageNote.class)
                .setParameter("t", threadId)
                .setParameter("p", actor.practiceId())
                .getResultList()
                .stream()
                .map(
                        n ->
                                new NoteView(
                                        n.id,
                                        n.authorName,
                                        n.createdAt,
                                        new String(
                                                cipher.open(
                                                        new WrappedKey(n.dekKekId, n.dekWrapped),
                                                        new SealedText(
                                                                n.bodyIv,
                                                                n.bodyCiphertext,
                                                                n.bodySha256),
                                                        noteAad(n.id),
                                                        "note " + n.id),
                                                StandardCharsets.UTF_8),
                                        n.emergencyAccessId != null))
                .toList();
    }

    /** Hands the thread's open items to a provider of the practice, with a note saying why. */
    @Transactional
    public void routeToProvider(UUID threadId, UUID practitionerId, String note, Actor actor) {
        if (practitionerId == null
                || directory
                        .practitioner(practitionerId)
                        .filter(p -> p.practiceIds().contains(actor.practiceId()))
                        .isEmpty()) {
            throw Refused.rule(TriageRefusals::route_provider).about("practitioner");
        }
        List<QueueItem> open = triage.openItemsOfThread(threadId, actor);
        if (open.isEmpty()) {
            throw Refused.rule(TriageRefusals::route_nothing_open);
        }
        if (note != null && !note.isBlank()) {
            addNote(threadId, note, actor);
        }
        for (QueueItem item : open) {
            triage.update(
                    item.id(),
                    new Party(Party.PRACTITIONER, practitionerId),
                    TaskStatus.ACCEPTED,
                    null,
                    actor);
        }
    }

    private static byte[] noteAad(UUID noteId) {
        return ("triage-note:" + noteId).getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- viewers (soft lock)

    public record Viewer(String name, boolean replying) {}

    /** Records that the caller is looking at (or typing a reply in) the thread; returns the others doing so now. */
    @Transactional
    public List<Viewer> seen(UUID threadId, boolean replying, Actor actor) {
        if (actor.userId() != null) {
            em.createNativeQuery(
                            """
                            insert into triage_viewer (thread_id, user_id, display_name, replying, seen_at) values (?1, ?2, ?3, ?4, ?5)
                            on conflict (thread_id, user_id) do update set replying = excluded.replying, seen_at = excluded.seen_at,
                              display_name = excluded.display_name""")
                    .setParameter(1, threadId)
                    .setParameter(2, actor.userId())
                    .setParameter(3, staffName(actor))
                    .setParameter(4, replying)
                    .setParameter(5, clock.instant())
                    .executeUpdate();
        }
        return others(threadId, actor);
    }

    @Transactional
    public List<Viewer> others(UUID threadId, Actor actor) {
        Instant since = clock.instant().minus(config.viewerTimeout());
        @SuppressWarnings("unchecked")
        List<Object[]> rows =
                em.createNativeQuery(
                                "select display_name, replying from triage_viewer where thread_id = ?1 "
                                        + "and seen_at >= ?2 and user_id <> ?3 order by display_name")
                        .setParameter(1, threadId)
                        .setParameter(2, since)
                        .setParameter(3, actor.userId() == null ? new UUID(0, 0) : actor.userId())
                        .getResultList();
        return rows.stream().map(r -> new Viewer((String) r[0], (Boolean) r[1])).toList();
    }

    /** The caller left the thread page. */
    @Transactional
    public void left(UUID threadId, Actor actor) {
        if (actor.userId() != null) {
            em.createNativeQuery("delete from triage_viewer where thread_id = ?1 and user_id = ?2")
                    .setParameter(1, threadId)
                    .setParameter(2, actor.userId())
                    .executeUpdate();
        }
    }

    // ---------------------------------------------------------------- helpers

    private TriageItem latestItem(UUID threadId, Actor actor) {
        return em.createQuery(
                        "from TriageItem where threadId = :t order by receivedAt desc",
                        TriageItem.class)
                .setParameter("t", threadId)
                .setMaxResults(1)
                .getResultStream()
                .filter(i -> triage.visible(i, actor))
                .findFirst()
                .orElseGet(
                        () -> {
                            ThreadView thread = reading.thread(threadId, actor);
                            TriageItem placeholder = new TriageItem();
                            placeholder.practiceId = thread.practiceId();
                            placeholder.patientId = thread.patientId();
                            placeholder.threadId = threadId;
                            placeholder.dueBy = thread.replyExpectedBy();
                            return placeholder;
                        });
    }

    String staffName(Actor actor) {
        return actor.practitionerId() == null
                ? ""
                : directory
                        .practitioner(actor.practitionerId())
                        .map(p -> p.displayName())
                        .orElse("");
    }

    private String patientName(UUID patientId) {
        return directory.patient(patientId).map(PatientView::displayName).orElse("Patient");
    }
}
