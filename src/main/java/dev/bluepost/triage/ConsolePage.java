package dev.bluepost.triage;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.messaging.AttachmentDownloads;
import dev.bluepost.messaging.attachments.AttachmentPolicy;
import dev.bluepost.messaging.MessageCategory;
import dev.bluepost.messaging.PatientMessagesPage;
import dev.bluepost.messaging.attachments.Uploads;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.MessageViews;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.ThreadAccess;
import dev.bluepost.messaging.ThreadActions;
import dev.bluepost.messaging.NewMessage;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.ThreadPresenter;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.triage.TriageService.QueueItem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The front-desk and provider console: the practice's open queue items, updated live through
 * server-sent events, and each thread with a reply form.
 */
@Path("/staff")
@RolesAllowed({Roles.FRONT_DESK, Roles.PROVIDER})
@Produces(MediaType.TEXT_HTML)
public class ConsolePage {

    public record PatientChoice(String id, String label) {
    }

    public record CategoryChoice(String code, String label) {
    }

    /** A care-team message the patient has not opened. */
    public record UnreadRow(UUID threadId, String patientName, String sender, String sent) {
    }

    /**
     * A queue row: one conversation, however many of its messages wait (a patient's follow-up adds
     * none), with the names a person needs to work it. {@code item} is the conversation's first item
     * in the queue's order (the one Claim, Release and a batch reply act on, for the whole
     * conversation); priority is the most urgent, due-by the earliest, received the oldest waiting.
     */
    public record Row(QueueItem item, String patientName, String born, String subject, int waiting, String priorityCode,
                      String priority, String ownerName, String category, String received, String waited, String dueBy,
                      String sla, String slaLabel, boolean overdue, boolean mine, boolean held, String status, List<TagView> tags) {
    }

    /** A tag in words; {@code tone} "alarm" (a possible emergency, overdue), "warning" (due soon) or "" for the rest. */
    public record TagView(String label, String tone) {
    }

    /** A staff note as the page lists it. */
    public record NoteLine(String author, String at, String text, boolean emergency) {
    }

    /** A pool tab of the queue page, with how many open items it has. */
    public record PoolTab(String id, String name, long count, boolean selected) {
    }

    /** The queue page's filters (query parameters), kept across live refreshes. */
    public record Filter(String pool, String priority, String category, String tag, String sort, boolean mine) {

        String query() {
            StringBuilder q = new StringBuilder();
            append(q, "pool", pool);
            append(q, "priority", priority);
            append(q, "category", category);
            append(q, "tag", tag);
            append(q, "sort", sort);
            if (mine) {
                append(q, "mine", "1");
            }
            return q.toString();
        }

        private static void append(StringBuilder q, String key, String value) {
            if (value != null && !value.isBlank()) {
                q.append(q.isEmpty() ? "?" : "&").append(key).append('=')
                        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /** A choice in a select. */
    public record Choice(String value, String label) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance queue(List<Row> rows, List<PoolTab> pools, Filter filter, String rowsQuery,
                                             List<CategoryChoice> categories, List<Choice> priorities, List<Choice> templates,
                                             long mineCount, long allCount, boolean empty, BacklogNotice backlog, String done);

        static native TemplateInstance rows(List<Row> rows);

        static native TemplateInstance pools(List<PoolTab> pools, Filter filter, long mineCount, long allCount);

        static native TemplateInstance thread(ThreadView thread, String patientName, List<ThreadPresenter.Line> lines,
                                              String category, String error, String corrects, String text,
                                              boolean filesDropped, PatientMessagesPage.FileLimits files, List<ItemLine> items,
                                              List<Choice> templates, List<Choice> owners, List<Choice> providers,
                                              List<NoteLine> notes, List<ConsoleService.Viewer> viewers,
                                              List<LogLine> log, String templateId, String emergencyUntil, String draftKept,
                                              String done);

        static native TemplateInstance compose(List<PatientChoice> patients, List<CategoryChoice> categories, String patient,
                                               String category, String subject, String text, String error);

        static native TemplateInstance unread(List<UnreadRow> rows, int days);

        static native TemplateInstance viewers(List<ConsoleService.Viewer> viewers);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    TriageService triage;

    @Inject
    MessageSending sending;

    @Inject
    MessageReading reading;

    @Inject
    ThreadAccess threadAccess;

    @Inject
    ThreadActions threadActions;

    @Inject
    DirectoryService directory;

    @Inject
    ThreadPresenter presenter;

    @Inject
    QueueBroadcaster broadcaster;

    @Inject
    dev.bluepost.messaging.MessagingConfig messagingConfig;

    @Inject
    java.time.Clock clock;

    @Inject
    AttachmentPolicy attachmentPolicy;

    @Inject
    ConsoleService console;

    @Inject
    RuleService rules;

    @Inject
    dev.bluepost.messaging.emergency.EmergencyAccessService emergencyAccess;

    @Inject
    TriageBacklog backlog;

    @Inject
    dev.bluepost.messaging.DraftService drafts;

    @Inject
    dev.bluepost.identity.SessionService sessions;

    @Inject
    org.eclipse.microprofile.context.ManagedExecutor workers;

    @Inject
    dev.bluepost.platform.i18n.ReaderLanguage lang;

    /** The staff pages' words in this request's language. */
    private StaffWords words() {
        return new StaffWords(lang.messages(StaffMessages.class), lang.language());
    }

    /** "N messages are still being sorted (oldest 40 s)": shown while triage is behind (docs/triage.md). */
    public record BacklogNotice(long messages, String oldest) {

        static BacklogNotice of(TriageBacklog.Backlog backlog, StaffWords words) {
            if (!backlog.behind()) {
                return null;
            }
            long seconds = backlog.oldest().toSeconds();
            String oldest = seconds < 120 ? seconds + " s" : words.waited(backlog.oldest());
            return new BacklogNotice(backlog.messages(), oldest);
        }
    }

    /** An open item of the thread on its page: who holds it and what the caller may do, in words. */
    public record ItemLine(QueueItem item, String ownerName, String dueBy, boolean mine, boolean held, String priority,
                           String status, List<TagView> tags) {
    }

    /** One line of the rules' execution log of a message of the thread. */
    public record LogLine(String when, String rule, String outcome, String detail) {
    }

    @GET
    @Path("queue")
    public Response queue(@QueryParam("pool") String pool, @QueryParam("priority") String priority,
                          @QueryParam("category") String category, @QueryParam("tag") String tag,
                          @QueryParam("sort") String sort, @QueryParam("mine") String mine, @QueryParam("empty") String empty,
                          @jakarta.ws.rs.CookieParam(Flash.COOKIE) String done) {
        Actor actor = currentActor.get();
        StaffWords words = words();
        Filter filter = new Filter(blank(pool), blank(priority), blank(category), blank(tag), blank(sort), "1".equals(mine));
        Counts counts = counts(actor, filter);
        List<CategoryChoice> categories = categories(words);
        List<Choice> priorities = java.util.stream.Stream.of("routine", "urgent", "asap", "stat")
                .map(p -> new Choice(p, words.priority(p))).toList();
        List<Choice> templates = rules.templates(actor.practiceId()).stream()
                .map(t -> new Choice(t.id().toString(), t.name())).toList();
        return page(Templates.queue(rows(actor, filter, words), counts.tabs(), filter, filter.query(), categories, priorities,
                templates, counts.mine(), counts.all(), empty != null, BacklogNotice.of(backlog.current(), words),
                Flash.words(done, words.messages())), done);
    }

    /** The pool tabs with their counts: the queue page asks for them again on every live update. */
    @GET
    @Path("queue/pools")
    public TemplateInstance queuePools(@QueryParam("pool") String pool, @QueryParam("priority") String priority,
                                       @QueryParam("category") String category, @QueryParam("tag") String tag,
                                       @QueryParam("sort") String sort, @QueryParam("mine") String mine) {
        Filter filter = new Filter(blank(pool), blank(priority), blank(category), blank(tag), blank(sort), "1".equals(mine));
        Counts counts = counts(currentActor.get(), filter);
        return Templates.pools(counts.tabs(), filter, counts.mine(), counts.all());
    }

    /** Conversations waiting: in each pool, held by the caller, in all. */
    private record Counts(List<PoolTab> tabs, long mine, long all) {
    }

    private Counts counts(Actor actor, Filter filter) {
        Map<UUID, java.util.Set<UUID>> conversations = new HashMap<>();
        java.util.Set<UUID> all = new java.util.HashSet<>();
        java.util.Set<UUID> mine = new java.util.HashSet<>();
        triage.openItems(actor.practiceId()).forEach(i -> {
            all.add(i.threadId());
            if (i.owner().is(Party.PRACTITIONER) && i.owner().id().equals(actor.practitionerId())) {
                mine.add(i.threadId());
            }
            if (i.queuePoolId() != null) {
                conversations.computeIfAbsent(i.queuePoolId(), k -> new java.util.HashSet<>()).add(i.threadId());
            }
        });
        List<PoolTab> tabs = directory.poolsOfPractice(actor.practiceId()).stream()
                .map(p -> new PoolTab(p.id().toString(), p.name(), conversations.getOrDefault(p.id(), java.util.Set.of()).size(),
                        p.id().toString().equals(filter.pool())))
                .toList();
        return new Counts(tabs, mine.size(), all.size());
    }

    private static List<CategoryChoice> categories(StaffWords words) {
        return java.util.Arrays.stream(MessageCategory.values()).map(c -> new CategoryChoice(c.code(), words.category(c.code())))
                .toList();
    }

    /** A page that shows a confirmation clears it, so that a reload does not show it again. */
    private static Response page(TemplateInstance page, String done) {
        Response.ResponseBuilder ok = Response.ok(page).type(MediaType.TEXT_HTML_TYPE);
        return done == null ? ok.build() : ok.cookie(Flash.cleared()).build();
    }

    @GET
    @Path("queue/rows")
    public TemplateInstance queueRows(@QueryParam("pool") String pool, @QueryParam("priority") String priority,
                                      @QueryParam("category") String category, @QueryParam("tag") String tag,
                                      @QueryParam("sort") String sort, @QueryParam("mine") String mine) {
        return Templates.rows(rows(currentActor.get(), new Filter(blank(pool), blank(priority), blank(category), blank(tag),
                blank(sort), "1".equals(mine)), words()));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * Live updates: one {@code queue} event per change of an item of the practice; a comment every 20 s
     * keeps the line open. The stream ends when the browser session does (signed out, or idle past its
     * limit: the stream itself is not activity), so an open page stops receiving the practice's updates.
     */
    @GET
    @Path("queue/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        UUID practiceId = currentActor.get().practiceId();
        UUID sessionId = currentActor.sessionId();
        OutboundSseEvent ended = sse.newEventBuilder().comment("session ended").build();
        Multi<OutboundSseEvent> changes = broadcaster.stream()
                .filter(e -> e.practiceId().equals(practiceId))
                .map(e -> sse.newEventBuilder().name("queue").id(e.eventId().toString())
                        .data(String.class, "{\"taskId\":\"" + e.taskId() + "\",\"change\":\"" + e.change() + "\"}").build());
        Multi<OutboundSseEvent> heartbeat = Multi.createFrom().ticks().every(Duration.ofSeconds(20))
                // the session is looked up on a worker thread: the database is not asked from the event loop
                .onItem().transformToUniAndConcatenate(tick -> io.smallrye.mutiny.Uni.createFrom()
                        .item(() -> sessionId == null || sessions.remaining(sessionId).isPresent())
                        .runSubscriptionOn(workers))
                .map(open -> open ? sse.newEventBuilder().comment("keep-alive").build() : ended);
        return Multi.createBy().merging().streams(changes, heartbeat).select().first(event -> event != ended);
    }

    @GET
    @Path("threads/{id}")
    public Response thread(@PathParam("id") String id, @QueryParam("corrects") String corrects,
                           @QueryParam("template") String template, @jakarta.ws.rs.CookieParam(Flash.COOKIE) String done) {
        ThreadView thread;
        try {
            thread = reading.thread(threadId(id), currentActor.get());
        } catch (dev.bluepost.messaging.RestrictedThreadException restricted) {
            String patientName = directory.patient(restricted.patientId()).map(PatientView::displayName).orElse(Role.PATIENT.inWords(lang.language()));
            return dev.bluepost.messaging.emergency.EmergencyAccessPage.restrictedPage(restricted.kind().status(), restricted.threadId(),
                    patientName, currentActor.get(), null);
        }
        String correcting = Ids.parse(corrects).filter(c -> thread.messages().stream().anyMatch(m -> m.id().equals(c) && m.retracted()))
                .map(UUID::toString).orElse("");
        String text = Ids.parse(template).map(t -> console.render(thread.id(), t, currentActor.get())).orElse("");
        String draftKept = null;
        if (template == null && correcting.isEmpty() && thread.open()) {
            // a reply kept as a draft when the session ended for inactivity comes back in the reply box
            var draft = drafts.replyDraft(thread.id(), currentActor.get());
            if (draft.isPresent()) {
                text = draft.get().text();
                draftKept = words().when(draft.get().updatedAt(), directory.zoneOf(thread.practiceId()));
            }
        }
        return page(threadPage(thread, null, correcting, text, false, template == null ? "" : template, draftKept, done), done);
    }

    /**
     * A clinician outside a restricted thread's care team opens emergency ("break-glass") access to
     * the patient's restricted threads, with a reason (ADR 0026); then reads the thread.
     */
    @POST
    @Path("threads/{id}/emergency-access")
    @RolesAllowed(Roles.PROVIDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response emergencyAccess(@PathParam("id") String id, @FormParam("reason") String reason) {
        Actor actor = currentActor.get();
        UUID threadId = threadId(id);
        try {
            threadAccess.openEmergencyAccess(threadId, reason, actor);
        } catch (BluepostException e) {
            if (e.kind().status() == 404 || e.kind().status() == 403) {
                throw e;
            }
            return dev.bluepost.messaging.emergency.EmergencyAccessPage.restrictedPage(e.kind().status(), threadId, Role.PATIENT.inWords(lang.language()), actor,
                    e.in(lang.language()));
        }
        return Response.seeOther(java.net.URI.create("/staff/threads/" + threadId)).build();
    }

    /** A macro: template reply + status + assignment, in one step. */
    @POST
    @Path("threads/{id}/macro")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response macro(@PathParam("id") String id, @FormParam("template") String template, @FormParam("after") String after,
                          @FormParam("assign") String assign) {
        UUID thread = visibleThread(id);
        UUID templateId = Ids.parse(template).orElseThrow(ConsoleService::chooseTemplate);
        ConsoleService.After then = switch (after == null ? "" : after) {
            case "close" -> ConsoleService.After.CLOSE;
            case "in-progress" -> ConsoleService.After.IN_PROGRESS;
            case "", "open" -> ConsoleService.After.ANSWERED;
            default -> throw Refused.rule(TriageRefusals::macro_after).about("after");
        };
        Actor actor = currentActor.get();
        Party owner;
        if (assign == null || assign.isBlank()) {
            owner = null;
        } else if ("me".equals(assign)) {
            if (actor.practitionerId() == null) {
                throw Refused.rule(TriageRefusals::cannot_be_assigned).about("assign");
            }
            owner = new Party(Party.PRACTITIONER, actor.practitionerId());
        } else {
            owner = QueueActionsPage.owner(assign);
        }
        console.macro(thread, templateId, then, owner, actor);
        return Flash.seeOther("/staff/threads/" + thread, then == ConsoleService.After.CLOSE ? "closed" : "macro");
    }

    /** A staff-only note. */
    @POST
    @Path("threads/{id}/notes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response note(@PathParam("id") String id, @FormParam("note") String note) {
        UUID thread = visibleThread(id);
        console.addNote(thread, note, currentActor.get());
        return Flash.seeOther("/staff/threads/" + thread + "#notes", "note");
    }

    /** Hands the conversation to a provider, with a note saying why. */
    @POST
    @Path("threads/{id}/route")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response route(@PathParam("id") String id, @FormParam("practitioner") String practitioner, @FormParam("note") String note) {
        UUID thread = visibleThread(id);
        console.routeToProvider(thread, Ids.parse(practitioner).orElse(null), note, currentActor.get());
        return Flash.seeOther("/staff/threads/" + thread, "routed");
    }

    /** The page's heartbeat: the caller is here (and typing, or not); answers who else is (an HTML fragment). */
    @POST
    @Path("threads/{id}/presence")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance presence(@PathParam("id") String id, @FormParam("replying") String replying) {
        UUID thread = threadId(id);
        Actor actor = currentActor.get();
        threadAccess.replyAvailability(thread, actor);
        return Templates.viewers(console.seen(thread, "true".equals(replying), actor));
    }

    /**
     * Keeps the caller's half-written reply as a draft: the session script sends it when it warns that
     * the session is about to end for inactivity (a background request). The thread page offers it
     * again; sending the reply deletes it.
     */
    @POST
    @Path("threads/{id}/draft")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response keepDraft(@PathParam("id") String id, @FormParam("text") String text) {
        drafts.keepReply(threadId(id), text, currentActor.get());
        return Response.noContent().build();
    }

    /** Discards the caller's kept reply (the thread page offers it until it is sent or discarded). */
    @POST
    @Path("threads/{id}/draft/discard")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response discardDraft(@PathParam("id") String id) {
        UUID thread = visibleThread(id);
        drafts.deleteReplyDrafts(thread, currentActor.get());
        return Flash.seeOther("/staff/threads/" + thread + "#reply", "draft-discarded");
    }

    @POST
    @Path("threads/{id}/reply")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reply(@PathParam("id") String id, @FormParam("text") String text, @FormParam("corrects") String corrects) {
        return reply(id, text, corrects, List.of());
    }

    /** The reply form as browsers send it (multipart/form-data), with the chosen files. */
    @POST
    @Path("threads/{id}/reply")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response replyWithFiles(@PathParam("id") String id, @RestForm String text, @RestForm String corrects,
                                   @RestForm("files") List<FileUpload> files) {
        return reply(id, text, corrects, Uploads.chosen(files));
    }

    /** Downloads an attachment of a thread of the practice (404 otherwise). */
    @GET
    @Path("threads/{id}/attachments/{attachmentId}")
    @Produces(MediaType.WILDCARD)
    public Response attachment(@PathParam("id") String id, @PathParam("attachmentId") String attachmentId) {
        UUID attachment = Ids.parse(attachmentId).orElseThrow(() -> BluepostException.notFound("Attachment", attachmentId));
        return AttachmentDownloads.of(reading.attachment(threadId(id), attachment, currentActor.get()));
    }

    private Response reply(String id, String text, String corrects, List<FileUpload> files) {
        Actor actor = currentActor.get();
        ThreadView thread = reading.thread(threadId(id), actor);
        MessageView last = thread.messages().get(thread.messages().size() - 1);
        Party patient = new Party(Party.PATIENT, thread.patientId());
        try {
            NewMessage reply = NewMessage.fromPage(thread.patientId(), signer(actor), List.of(patient), thread.id(), last.id(),
                    thread.category(), text, null).withAttachments(Uploads.read(files, attachmentPolicy));
            sending.send(Ids.parse(corrects).map(reply::correcting).orElse(reply), actor);
            drafts.deleteReplyDrafts(thread.id(), actor);
            return Flash.seeOther("/staff/threads/" + thread.id(), Ids.parse(corrects).isPresent() ? "corrected" : "sent");
        } catch (BluepostException e) {
            if (!Uploads.isFormError(e)) {
                throw e;
            }
            return html(e.kind().status(), threadPage(thread, e.in(lang.language()), corrects == null ? "" : corrects,
                    text == null ? "" : text, !files.isEmpty(), "", null, null));
        }
    }

    /** The care team closes the conversation (its open items are completed); the patient can start a new one. */
    @POST
    @Path("threads/{id}/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response close(@PathParam("id") String id) {
        UUID thread = threadId(id);
        threadActions.close(thread, currentActor.get());
        return Flash.seeOther("/staff/threads/" + thread, "closed");
    }

    @POST
    @Path("threads/{id}/messages/{messageId}/retract")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retract(@PathParam("id") String id, @PathParam("messageId") String messageId, @FormParam("reason") String reason) {
        Actor actor = currentActor.get();
        UUID thread = threadId(id);
        UUID message = Ids.parse(messageId).orElseThrow(() -> BluepostException.notFound("Communication", messageId));
        if (!reading.threadOfMessage(message).map(thread::equals).orElse(false)) {
            throw BluepostException.notFound("Communication", messageId);
        }
        try {
            threadActions.retract(message, reason, actor);
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(422, threadPage(reading.thread(thread, actor), e.in(lang.language()), "", "", false, "", null, null));
        }
        return Flash.seeOther("/staff/threads/" + thread + "?corrects=" + message + "#reply", "retracted");
    }

    /** Starting a conversation with a patient of the practice. */
    @GET
    @Path("messages/new")
    public TemplateInstance compose(@QueryParam("patient") String patient) {
        return composePage(patient == null ? "" : patient, MessageCategory.OTHER.code(), "", "", null);
    }

    @POST
    @Path("messages")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(@FormParam("patient") String patient, @FormParam("category") String category,
                          @FormParam("subject") String subject, @FormParam("text") String text) {
        Actor actor = currentActor.get();
        try {
            UUID patientId = Ids.parse(patient).filter(p -> directory.patient(p)
                            .map(v -> actor.practiceId().equals(v.practiceId())).orElse(false))
                    .orElseThrow(() -> BluepostException.said(ErrorKind.BUSINESS_RULE, StaffMessages.class,
                            StaffMessages::choose_patient).about("patient"));
            MessageViews.Sent sent = sending.send(NewMessage.fromPage(patientId, signer(actor),
                    List.of(new Party(Party.PATIENT, patientId)), null, null, category, text, subject), actor);
            return Flash.seeOther("/staff/threads/" + sent.message().threadId(), "started");
        } catch (BluepostException e) {
            if (e.kind().status() != 422 && e.kind().status() != 413) {
                throw e;
            }
            return html(e.kind().status(), composePage(patient, category, subject, text, e.in(lang.language())));
        }
    }

    /** The care team's messages that patients have not opened after the configured number of days. */
    @GET
    @Path("unread")
    public TemplateInstance unread() {
        Actor actor = currentActor.get();
        List<MessageView> messages = reading.unreadByPatient(actor.practiceId(), actor);
        Map<UUID, String> patients = new HashMap<>();
        directory.patients(messages.stream().map(MessageView::patientId).distinct().toList())
                .forEach(p -> patients.put(p.id(), p.displayName()));
        StaffWords words = words();
        List<UnreadRow> rows = messages.stream().map(m -> new UnreadRow(m.threadId(), patients.getOrDefault(m.patientId(), Role.PATIENT.inWords(lang.language())),
                presenter.senderName(m), words.when(m.receivedAt(), directory.zoneOf(m.practiceId())))).toList();
        return Templates.unread(rows, messagingConfig.unreadReminderDays());
    }

    private TemplateInstance composePage(String patient, String category, String subject, String text, String error) {
        UUID practice = currentActor.get().practiceId();
        StaffWords words = words();
        List<PatientChoice> patients = directory.patientsOfPractice(practice).stream().filter(p -> p.active() && !p.testPatient())
                .map(p -> new PatientChoice(p.id().toString(), p.displayName()
                        + (p.birthDate() == null ? "" : ", " + words.messages().born(words.date(p.birthDate())))))
                .toList();
        return Templates.compose(patients, categories(words), patient, category, subject == null ? "" : subject,
                text == null ? "" : text, error);
    }

    /** Staff sign with their Practitioner record. */
    private static Party signer(Actor actor) {
        if (actor.practitionerId() == null) {
            throw ConsoleService.cannotSign();
        }
        return new Party(Party.PRACTITIONER, actor.practitionerId());
    }

    private TemplateInstance threadPage(ThreadView thread, String error, String corrects, String text, boolean filesDropped,
                                        String templateId, String draftKept, String done) {
        Actor actor = currentActor.get();
        StaffWords words = words();
        java.time.ZoneId zone = directory.zoneOf(thread.practiceId());
        String patientName = directory.patient(thread.patientId()).map(PatientView::displayName).orElse(Role.PATIENT.inWords(lang.language()));
        Map<UUID, String> owners = ownerNames(actor.practiceId());
        List<ItemLine> items = triage.openItemsOfThread(thread.id(), actor).stream()
                .map(i -> new ItemLine(i, owners.getOrDefault(i.owner().id(), ""), words.when(i.dueBy(), zone),
                        i.owner().is(Party.PRACTITIONER) && i.owner().id().equals(actor.practitionerId()),
                        i.owner().is(Party.PRACTITIONER), words.priority(i.priority()), words.status(i.status()),
                        tags(i.tags(), words))).toList();
        List<Choice> templates = rules.templates(actor.practiceId()).stream().map(t -> new Choice(t.id().toString(), t.name())).toList();
        List<Choice> ownerChoices = new java.util.ArrayList<>();
        directory.poolsOfPractice(actor.practiceId()).forEach(p -> ownerChoices.add(new Choice("CareTeam/" + p.id(),
                words.messages().pool_owner(p.name()))));
        List<Choice> providers = new java.util.ArrayList<>();
        directory.practitionersOfPractice(actor.practiceId()).stream().filter(PractitionerView::active).forEach(p -> {
            ownerChoices.add(new Choice("Practitioner/" + p.id(), p.displayName()));
            if (p.isEligibleProfessional()) {
                providers.add(new Choice(p.id().toString(), p.displayName()));
            }
        });
        List<LogLine> log = new java.util.ArrayList<>();
        RuleLogWords logWords = new RuleLogWords(lang.messages(RuleLogMessages.class), words, zone);
        for (MessageView m : thread.messages()) {
            if (m.senderKind().isPatientSide()) {
                // a line kept as steps is worded for the reader; one written before shows its English as it was kept
                rules.executions(m.id()).forEach(e -> log.add(new LogLine(words.when(e.at(), zone),
                        e.ruleName() + (e.ruleVersion() == null ? "" : " (" + words.messages().rule_version(e.ruleVersion()) + ")"),
                        words.outcome(e.outcome()), e.steps().isEmpty() ? words.detail(e.detail(), zone) : logWords.line(e.steps()))));
            }
        }
        List<NoteLine> notes = console.notes(thread.id(), actor).stream()
                .map(n -> new NoteLine(n.author(), words.when(n.at(), zone), n.text(), n.emergency())).toList();
        return Templates.thread(thread, patientName, presenter.lines(thread, actor),
                words.category(thread.category()), error, corrects, text, filesDropped,
                PatientMessagesPage.fileLimits(attachmentPolicy), items, templates, ownerChoices, providers,
                notes, console.seen(thread.id(), false, actor), log, templateId,
                thread.sensitive() ? emergencyAccess.inForce(thread.patientId(), actor)
                        .map(a -> words.when(a.expiresAt(), zone)).orElse(null) : null, draftKept,
                Flash.words(done, words.messages()));
    }

    private static List<TagView> tags(java.util.Collection<String> tags, StaffWords words) {
        return tags.stream().map(t -> new TagView(words.tag(t), t.equals("red-flag") || t.equals("sla-breached") ? "alarm"
                : t.equals("sla-warning") ? "warning" : "")).toList();
    }

    private Map<UUID, String> ownerNames(UUID practiceId) {
        Map<UUID, String> owners = new HashMap<>();
        for (PoolView pool : directory.poolsOfPractice(practiceId)) {
            owners.put(pool.id(), pool.name());
        }
        for (PractitionerView p : directory.practitionersOfPractice(practiceId)) {
            owners.put(p.id(), p.displayName());
        }
        return owners;
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status).entity(page.render()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    private List<Row> rows(Actor actor, Filter filter, StaffWords words) {
        List<QueueItem> items = triage.openItems(actor.practiceId()).stream()
                .filter(i -> filter.pool() == null || (i.queuePoolId() != null && i.queuePoolId().toString().equals(filter.pool())))
                .filter(i -> filter.priority() == null || i.priority().equals(filter.priority()))
                .filter(i -> filter.category() == null || i.category().equals(filter.category()))
                .filter(i -> filter.tag() == null || i.tags().contains(filter.tag()))
                .filter(i -> !filter.mine() || (i.owner().is(Party.PRACTITIONER) && i.owner().id().equals(actor.practitionerId())))
                .toList();
        if ("due".equals(filter.sort())) {
            items = items.stream().sorted(java.util.Comparator.comparing(QueueItem::dueBy,
                    java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))).toList();
        } else if ("received".equals(filter.sort())) {
            items = items.stream().sorted(java.util.Comparator.comparing(QueueItem::receivedAt)).toList();
        }
        // one row per conversation, in the order of its first item
        Map<UUID, List<QueueItem>> byConversation = new java.util.LinkedHashMap<>();
        items.forEach(i -> byConversation.computeIfAbsent(i.threadId(), k -> new java.util.ArrayList<>()).add(i));
        Map<UUID, PatientView> patients = new HashMap<>();
        directory.patients(items.stream().map(QueueItem::patientId).distinct().toList()).forEach(p -> patients.put(p.id(), p));
        Map<UUID, String> subjects = reading.topics(byConversation.keySet(), actor);
        Map<UUID, String> owners = ownerNames(actor.practiceId());
        java.time.Instant now = clock.instant();
        List<Row> rows = new java.util.ArrayList<>();
        for (List<QueueItem> conversation : byConversation.values()) {
            QueueItem i = conversation.get(0);
            java.time.Instant due = conversation.stream().map(QueueItem::dueBy).filter(java.util.Objects::nonNull)
                    .min(java.util.Comparator.naturalOrder()).orElse(null);
            java.time.Instant received = conversation.stream().map(QueueItem::receivedAt).min(java.util.Comparator.naturalOrder())
                    .orElseThrow();
            String priority = conversation.stream().map(QueueItem::priority)
                    .min(java.util.Comparator.comparingInt(ConsolePage::urgency)).orElseThrow();
            java.time.ZoneId zone = directory.zoneOf(i.practiceId());
            boolean overdue = due != null && due.isBefore(now) || conversation.stream().anyMatch(c -> c.tags().contains("sla-breached"));
            boolean dueSoon = !overdue && conversation.stream().anyMatch(c -> c.tags().contains("sla-warning"));
            String sla = due == null ? "none" : overdue ? "overdue" : dueSoon ? "due-soon" : "on-time";
            String slaLabel = switch (sla) {
                case "overdue" -> words.messages().sla_overdue();
                case "due-soon" -> words.messages().sla_due_soon();
                case "on-time" -> words.messages().sla_on_time();
                default -> words.messages().sla_none();
            };
            PatientView patient = patients.get(i.patientId());
            java.util.Set<String> tagSet = conversation.stream().flatMap(c -> c.tags().stream())
                    .filter(t -> !t.equals("sla-warning") && !t.equals("sla-breached"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
            rows.add(new Row(i, patient == null ? Role.PATIENT.inWords(lang.language()) : patient.displayName(),
                    patient == null || patient.birthDate() == null ? null : words.date(patient.birthDate()),
                    subjects.getOrDefault(i.threadId(), words.category(i.category())), conversation.size(), priority,
                    words.priority(priority), owners.getOrDefault(i.owner().id(), ""), words.category(i.category()),
                    words.recent(received, zone, now), words.waited(java.time.Duration.between(received, now)),
                    words.recent(due, zone, now),
                    sla, slaLabel, overdue,
                    i.owner().is(Party.PRACTITIONER) && i.owner().id().equals(actor.practitionerId()),
                    i.owner().is(Party.PRACTITIONER), words.status(i.status()), tags(tagSet, words)));
        }
        return rows;
    }

    /** 0 for stat, the most urgent, to 3 for routine. */
    private static int urgency(String priority) {
        return switch (priority) {
            case "stat" -> 0;
            case "asap" -> 1;
            case "urgent" -> 2;
            default -> 3;
        };
    }

    /**
     * A thread the caller may see (404 otherwise, recorded as a denied access), checked before the
     * form is: another practice's staff are refused, not told what their form lacks.
     */
    private UUID visibleThread(String id) {
        UUID thread = threadId(id);
        threadAccess.replyAvailability(thread, currentActor.get());
        return thread;
    }

    private static UUID threadId(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Thread", id));
    }
}
