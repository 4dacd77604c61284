package dev.bluepost.messaging;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.encounters.EncounterService;
import dev.bluepost.messaging.DraftService.Draft;
import dev.bluepost.messaging.MessageViews.ThreadSummary;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.attachments.AttachmentPolicy;
import dev.bluepost.messaging.attachments.Uploads;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The patient's (or proxy's) messages: threads and drafts, composing to a pool or an EP the patient
 * has seen (the safety notice first; an urgent-help panel when the text sounds like an emergency),
 * reading a thread ("opened by your care team"), replying while replies are accepted (and saying
 * why not otherwise), retracting and correcting one's own messages, hiding a thread from proxies.
 * Every action lands on a page that says it was done ({@link Flash}); a conversation page receives
 * the care team's answer without a reload (server-sent events, ids only; the page fetches the message).
 * Words come from {@link PatientMessages} and {@link ThreadMessages} in the reader's language.
 */
@Path("/patient")
@RolesAllowed({Roles.PATIENT, Roles.PROXY})
@Produces(MediaType.TEXT_HTML)
public class PatientMessagesPage {

    /** Where the patient's pages live (the confirmation cookie's path). */
    static final String PATH = "/patient";

    /** A choice of recipient on the compose form: {@code CareTeam/id} or {@code Practitioner/id}. */
    public record RecipientChoice(String value, String label, boolean careTeam) {}

    public record CategoryChoice(String code, String label) {}

    /**
     * What the compose form shows: its fields, and an error (on a field: {@code recipient}, {@code text},
     * {@code files}, or none) or an urgent-help panel.
     *
     * @param filesDropped files were chosen but not sent (an error or the urgent-help panel): they must be chosen again
     */
    public record ComposeForm(
            String draftId,
            String recipient,
            String category,
            String subject,
            String text,
            String context,
            String error,
            String errorField,
            RedFlags.Flag urgent,
            String urgentHelp,
            boolean filesDropped) {

        static ComposeForm of(
                String draftId,
                String recipient,
                String category,
                String subject,
                String text,
                String context) {
            return new ComposeForm(
                    draftId, recipient, category, subject, text, context, null, null, null, null,
                    false);
        }

        ComposeForm withFilesDropped(boolean dropped) {
            return new ComposeForm(
                    draftId,
                    recipient,
                    category,
                    subject,
                    text,
                    context,
                    error,
                    errorField,
                    urgent,
                    urgentHelp,
                    dropped);
        }

        ComposeForm withError(String message, String field) {
            return new ComposeForm(
                    draftId,
                    recipient,
                    category,
                    subject,
                    text,
                    context,
                    message,
                    field,
                    null,
                    null,
                    filesDropped);
        }

        ComposeForm withUrgent(RedFlags.Flag flag, String help) {
            return new ComposeForm(
                    draftId,
                    recipient,
                    category,
                    subject,
                    text,
                    context,
                    null,
                    null,
                    flag,
                    help,
                    filesDropped);
        }
    }

    /** What the reply form of a thread shows. */
    public record ReplyForm(
            String draftId,
            String text,
            String corrects,
            String error,
            String errorField,
            RedFlags.Flag urgent,
            String urgentHelp,
            boolean filesDropped) {

        static ReplyForm of(String draftId, String text, String corrects) {
            return new ReplyForm(draftId, text, corrects, null, null, null, null, false);
        }

        static ReplyForm empty() {
            return of("", "", "");
        }

        ReplyForm withFilesDropped(boolean dropped) {
            return new ReplyForm(
                    draftId, text, corrects, error, errorField, urgent, urgentHelp, dropped);
        }

        ReplyForm withError(String message, String field) {
            return new ReplyForm(draftId, text, corrects, message, field, null, null, filesDropped);
        }

        ReplyForm withUrgent(RedFlags.Flag flag, String help) {
            return new ReplyForm(draftId, text, corrects, null, null, flag, help, filesDropped);
        }
    }

    /** The limits the forms state next to the file input. */
    public record FileLimits(
            String accept,
            int maxCount,
            String maxSize,
            String maxTotal,
            long maxBytes,
            long maxTotalBytes) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance threads(
                String patientName,
                boolean proxy,
                List<ThreadSummary> threads,
                List<Draft> drafts,
                ThreadPresenter format,
                String done);

        static native TemplateInstance compose(
                String patientName,
                boolean proxy,
                List<RecipientChoice> recipients,
                boolean hasClinicians,
                List<CategoryChoice> categories,
                ComposeForm form,
                FileLimits files);

        static native TemplateInstance thread(
                String patientName,
                boolean proxy,
                boolean patient,
                ThreadView thread,
                List<ThreadPresenter.Line> lines,
                ThreadPresenter format,
                ReplyForm reply,
                FileLimits files,
                String replyReason,
                String done);

        /** One message of a conversation: what the page fetches when the care team's answer arrives. */
        static native TemplateInstance thread$message(ThreadView thread, ThreadPresenter.Line line);
    }

    @Inject CurrentActor currentActor;

    @Inject MessageSending sending;

    @Inject MessageReading reading;

    @Inject ThreadAccess threadAccess;

    @Inject ThreadActions threadActions;

    @Inject DraftService drafts;

    @Inject DirectoryService directory;

    @Inject EncounterService encounters;

    @Inject ThreadPresenter format;

    @Inject AttachmentPolicy attachmentPolicy;

    @Inject ReaderLanguage language;

    @Inject MessagingConfig messagingConfig;

    @Inject io.vertx.ext.web.RoutingContext routing;

    @Inject dev.bluepost.identity.SecurityConfig security;

    @Inject PatientThreadBroadcaster broadcaster;

    @Inject dev.bluepost.identity.SessionService sessions;

    @Inject org.eclipse.microprofile.context.ManagedExecutor workers;

    /** The conversations, and what the person just did (a draft saved or deleted, a patient chosen). */
    @GET
    public TemplateInstance threads() {
        Actor actor = actingPatient();
        PatientMessages words = words();
        String said =
                Flash.take(routing, PATH)
                        .map(
                                done ->
                                        switch (done) {
                                            case "draft-saved" -> words.done_draft_saved();
                                            case "draft-deleted" -> words.done_draft_deleted();
                                            case "acting" ->
                                                    isProxy(actor)
                                                            ? words.done_acting(patientName(actor))
                                                            : null;
                                            default -> null;
                                        })
                        .orElse(null);
        return Templates.threads(
                patientName(actor),
                isProxy(actor),
                reading.threadsOfPatient(actor.patientId(), actor),
                drafts.drafts(actor),
                format,
                said);
    }

    /**
     * The compose form; {@code from} carries a thread's context forward (subject, type, care team),
     * {@code draft} reopens a saved draft.
     */
    @GET
    @Path("messages/new")
    public TemplateInstance compose(
            @QueryParam("from") String from, @QueryParam("draft") String draftId) {
        Actor actor = actingPatient();
        if (draftId != null) {
            Draft draft =
                    drafts.draft(Ids.parse(draftId).orElse(SearchNone.ID), actor)
                            .orElseThrow(() -> BluepostException.notFound("Draft", draftId));
            return composeForm(
                    actor,
                    ComposeForm.of(
                            draft.id().toString(),
                            draft.recipient(),
                            draft.category(),
                            draft.topic() == null ? "" : draft.topic(),
                            draft.text(),
                            null));
        }
        if (from != null) {
            ThreadView previous = reading.thread(threadId(from), actor);
            String recipient =
                    threadAccess.careTeamOf(previous.id(), actor).stream()
                            .map(Party::reference)
                            .filter(
                                    r ->
                                            recipients(actor).stream()
                                                    .anyMatch(c -> c.value().equals(r)))
                            .findFirst()
                            .orElse("");
            PatientMessages words = words();
            String subject =
                    previous.topic() == null
                            ? ""
                            : (previous.topic().startsWith("Re: ")
                                    ? previous.topic()
                                    : words.reply_subject(previous.topic()));
            String context =
                    words.continues(
                            previous.topic() == null
                                    ? format.category(previous.category())
                                    : previous.topic(),
                            format.date(previous.createdAt(), previous.practiceId()));
            return composeForm(
                    actor,
                    ComposeForm.of(
                            "",
                            recipient,
                            previous.category(),
                            subject.length() > 200 ? subject.substring(0, 200) : subject,
                            "",
                            context));
        }
        return composeForm(
                actor,
                ComposeForm.of("", "", MessageCategory.MEDICAL_QUESTION.code(), "", "", null));
    }

    @POST
    @Path("messages")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(
            @FormParam("recipient") String recipient,
            @FormParam("category") String category,
            @FormParam("subject") String subject,
            @FormParam("text") String text,
            @FormParam("draft") String draftId,
            @FormParam("action") String action,
            @FormParam("acknowledgedUrgent") String acknowledgedUrgent,
            @FormParam("context") String context) {
        return send(
                recipient,
                category,
                subject,
                text,
                draftId,
                action,
                acknowledgedUrgent,
                context,
                List.of());
    }

    /** The compose form as browsers send it (multipart/form-data), with the chosen files. */
    @POST
    @Path("messages")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response sendWithFiles(
            @RestForm String recipient,
            @RestForm String category,
            @RestForm String subject,
            @RestForm String text,
            @RestForm("draft") String draftId,
            @RestForm String action,
            @RestForm String acknowledgedUrgent,
            @RestForm String context,
            @RestForm("files") List<FileUpload> files) {
        return send(
                recipient,
                category,
                subject,
                text,
                draftId,
                action,
                acknowledgedUrgent,
                context,
                Uploads.chosen(files));
    }

    private Response send(
            String recipient,
            String category,
            String subject,
            String text,
            String draftId,
            String action,
            String acknowledgedUrgent,
            String context,
            List<FileUpload> files) {
        Actor actor = actingPatient();
        PatientMessages words = words();
        ComposeForm form =
                ComposeForm.of(
                                nullToEmpty(draftId),
                                nullToEmpty(recipient),
                                category,
                                nullToEmpty(subject),
                                nullToEmpty(text),
                                context)
                        .withFilesDropped(!files.isEmpty());
        try {
            if ("save".equals(action)) {
                if (nullToEmpty(subject).isBlank() && nullToEmpty(text).isBlank()) {
                    return page(
                            422,
                            composeForm(
                                    actor, form.withError(words.error_nothing_to_save(), "text")));
                }
                UUID saved =
                        drafts.save(
                                new Draft(
                                        Ids.parse(draftId).orElse(null),
                                        actor.patientId(),
                                        null,
                                        recipient,
                                        category,
                                        subject,
                                        text,
                                        null),
                                actor);
                flash("draft-saved");
                return Response.seeOther(URI.create("/patient?saved=" + saved)).build();
            }
            Party to =
                    recipients(actor).stream()
                            .filter(r -> r.value().equals(recipient))
                            .findFirst()
                            .map(r -> Party.parse(r.value()))
                            .orElse(null);
            if (to == null) {
                return page(
                        422,
                        composeForm(actor, form.withError(words.error_recipient(), "recipient")));
            }
            if (nullToEmpty(text).isBlank()) {
                return page(422, composeForm(actor, form.withError(words.error_text(), "text")));
            }
            Optional<RedFlags.Flag> urgent = RedFlags.find(subject + "\n" + text);
            if (urgent.isPresent() && !"yes".equals(acknowledgedUrgent)) {
                return page(
                        200, composeForm(actor, form.withUrgent(urgent.get(), help(urgent.get()))));
            }
            MessageViews.Sent sent =
                    sending.send(
                            NewMessage.fromPage(
                                            actor.patientId(),
                                            self(actor),
                                            List.of(to),
                                            null,
                                            null,
                                            category,
                                            text,
                                            subject)
                                    .withAttachments(Uploads.read(files, attachmentPolicy)),
                            actor);
            Ids.parse(draftId).ifPresent(id -> drafts.delete(id, actor));
            flash("sent");
            return Response.seeOther(URI.create("/patient/threads/" + sent.message().threadId()))
                    .build();
        } catch (BluepostException e) {
            if (!Uploads.isFormError(e)) {
                throw e;
            }
            String field = errorField(e);
            return page(
                    e.kind().status(),
                    composeForm(actor, form.withError(errorText(e, field), field)));
        }
    }

    @GET
    @Path("threads/{id}")
    public TemplateInstance thread(
            @PathParam("id") String id,
            @QueryParam("draft") String draftId,
            @QueryParam("corrects") String corrects) {
        Actor actor = actingPatient();
        ThreadView thread = reading.thread(threadId(id), actor);
        ReplyForm reply =
                Ids.parse(corrects)
                        .filter(
                                c ->
                                        thread.messages().stream()
                                                .anyMatch(m -> m.id().equals(c) && m.retracted()))
                        .map(c -> ReplyForm.of("", "", c.toString()))
                        .orElse(ReplyForm.empty());
        if (draftId != null) {
            Draft draft =
                    drafts.draft(Ids.parse(draftId).orElse(SearchNone.ID), actor)
                            .filter(d -> thread.id().equals(d.threadId()))
                            .orElseThrow(() -> BluepostException.notFound("Draft", draftId));
            reply = ReplyForm.of(draft.id().toString(), draft.text(), "");
        } else if (corrects == null && thread.reply().isOpen()) {
            // a reply saved as a draft (or kept when the session ended for inactivity) comes back
            // in the reply box
            Optional<Draft> kept = drafts.replyDraft(thread.id(), actor);
            if (kept.isPresent()) {
                reply = ReplyForm.of(kept.get().id().toString(), kept.get().text(), "");
            }
        }
        return threadPage(actor, thread, reply, done(Flash.take(routing, PATH).orElse(null)));
    }

    /**
     * One message of a conversation, as the conversation page shows it: the page's script fetches it
     * when the event stream says it arrived (opening it is reading it, as on the page itself).
     */
    @GET
    @Path("threads/{id}/messages/{messageId}")
    public TemplateInstance message(
            @PathParam("id") String id, @PathParam("messageId") String messageId) {
        Actor actor = actingPatient();
        ThreadView thread = reading.thread(threadId(id), actor);
        UUID wanted =
                Ids.parse(messageId)
                        .orElseThrow(() -> BluepostException.notFound("Communication", messageId));
        ThreadPresenter.Line line =
                format.lines(thread, actor).stream()
                        .filter(l -> l.id().equals(wanted))
                        .findFirst()
                        .orElseThrow(() -> BluepostException.notFound("Communication", messageId));
        return Templates.thread$message(thread, line);
    }

    /**
     * Live updates of one conversation: a {@code message} event with the new message's id (nothing
     * else) when a message arrives in it; a comment every 20 s keeps the line open. The stream ends
     * when the browser session does, like the staff queue's: the stream itself is not activity.
     */
    @GET
    @Path("threads/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @io.smallrye.common.annotation
            .Blocking // the access check reads the database; the stream itself holds no worker
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        Actor actor = actingPatient();
        UUID threadId = threadId(id);
        if (reading.threadsOfPatient(actor.patientId(), actor).stream()
                .noneMatch(t -> t.id().equals(threadId))) {
            throw BluepostException.notFound("Thread", id);
        }
        UUID sessionId = currentActor.sessionId();
        OutboundSseEvent ended = sse.newEventBuilder().comment("session ended").build();
        Multi<OutboundSseEvent> arrivals =
                broadcaster.stream()
                        .filter(e -> e.threadId().equals(threadId))
                        .map(
                                e ->
                                        sse.newEventBuilder()
                                                .name("message")
                                                .id(e.messageId().toString())
                                                .data(
                                                        String.class,
                                                        "{\"messageId\":\"" + e.messageId() + "\"}")
                                                .build());
        Multi<OutboundSseEvent> heartbeat =
                Multi.createFrom()
                        .ticks()
                        .every(Duration.ofSeconds(20))
                        // the session is looked up on a worker thread: the database is not asked
                        // from the event loop
                        .onItem()
                        .transformToUniAndConcatenate(
                                tick ->
                                        Uni.createFrom()
                                                .item(
                                                        () ->
                                                                sessionId == null
                                                                        || sessions.remaining(
                                                                                        sessionId)
                                                                                .isPresent())
                                                .runSubscriptionOn(workers))
                        .map(
                                open ->
                                        open
                                                ? sse.newEventBuilder()
                                                        .comment("keep-alive")
                                                        .build()
                                                : ended);
        return Multi.createBy()
                .merging()
                .streams(arrivals, heartbeat)
                .select()
                .first(event -> event != ended);
    }

    @POST
    @Path("threads/{id}/reply")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reply(
            @PathParam("id") String id,
            @FormParam("text") String text,
            @FormParam("draft") String draftId,
            @FormParam("action") String action,
            @FormParam("corrects") String corrects,
            @FormParam("acknowledgedUrgent") String acknowledgedUrgent) {
        return reply(id, text, draftId, action, corrects, acknowledgedUrgent, List.of());
    }

    /**
     * Keeps a half-written reply as a draft: the session script sends it when it warns that the session
     * is about to end for inactivity (a background request). The thread page offers it again.
     */
    @POST
    @Path("threads/{id}/draft")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response keepDraft(@PathParam("id") String id, @FormParam("text") String text) {
        drafts.keepReply(threadId(id), text, actingPatient());
        return Response.noContent().build();
    }

    /** The reply form as browsers send it (multipart/form-data), with the chosen files. */
    @POST
    @Path("threads/{id}/reply")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response replyWithFiles(
            @PathParam("id") String id,
            @RestForm String text,
            @RestForm("draft") String draftId,
            @RestForm String action,
            @RestForm String corrects,
            @RestForm String acknowledgedUrgent,
            @RestForm("files") List<FileUpload> files) {
        return reply(
                id, text, draftId, action, corrects, acknowledgedUrgent, Uploads.chosen(files));
    }

    /** Downloads an attachment of a thread the caller may see (404 otherwise). */
    @GET
    @Path("threads/{id}/attachments/{attachmentId}")
    @Produces(MediaType.WILDCARD)
    public Response attachment(
            @PathParam("id") String id, @PathParam("attachmentId") String attachmentId) {
        Actor actor = actingPatient();
        UUID attachment =
                Ids.parse(attachmentId)
                        .orElseThrow(() -> BluepostException.notFound("Attachment", attachmentId));
        return AttachmentDownloads.of(reading.attachment(threadId(id), attachment, actor));
    }

    private Response reply(
            String id,
            String text,
            String draftId,
            String action,
            String corrects,
            String acknowledgedUrgent,
            List<FileUpload> files) {
        Actor actor = actingPatient();
        UUID threadId = threadId(id);
        PatientMessages words = words();
        ReplyForm form =
                ReplyForm.of(nullToEmpty(draftId), nullToEmpty(text), nullToEmpty(corrects))
                        .withFilesDropped(!files.isEmpty());
        try {
            if ("save".equals(action)) {
                if (nullToEmpty(text).isBlank()) {
                    return page(
                            422,
                            threadPage(
                                    actor,
                                    reading.thread(threadId, actor),
                                    form.withError(words.error_nothing_to_save(), "text"),
                                    null));
                }
                drafts.save(
                        new Draft(
                                Ids.parse(draftId).orElse(null),
                                actor.patientId(),
                                threadId,
                                null,
                                null,
                                null,
                                text,
                                null),
                        actor);
                flash("draft-saved");
                return Response.seeOther(URI.create("/patient?saved=reply")).build();
            }
            if (nullToEmpty(text).isBlank()) {
                return page(
                        422,
                        threadPage(
                                actor,
                                reading.thread(threadId, actor),
                                form.withError(words.error_text(), "text"),
                                null));
            }
            Optional<RedFlags.Flag> urgent = RedFlags.find(text);
            if (urgent.isPresent() && !"yes".equals(acknowledgedUrgent)) {
                return page(
                        200,
                        threadPage(
                                actor,
                                reading.thread(threadId, actor),
                                form.withUrgent(urgent.get(), help(urgent.get())),
                                null));
            }
            List<Party> to = threadAccess.replyTarget(threadId, actor);
            ThreadView thread = reading.thread(threadId, actor);
            MessageViews.MessageView last = thread.messages().get(thread.messages().size() - 1);
            NewMessage message =
                    NewMessage.fromPage(
                                    actor.patientId(),
                                    self(actor),
                                    to,
                                    threadId,
                                    last.id(),
                                    thread.category(),
                                    text,
                                    null)
                            .withAttachments(Uploads.read(files, attachmentPolicy));
            Optional<UUID> correcting = Ids.parse(corrects);
            sending.send(correcting.map(message::correcting).orElse(message), actor);
            Ids.parse(draftId).ifPresent(d -> drafts.delete(d, actor));
            flash(correcting.isPresent() ? "correction" : "reply");
            return Response.seeOther(URI.create("/patient/threads/" + threadId)).build();
        } catch (BluepostException e) {
            if (!Uploads.isFormError(e)) {
                throw e;
            }
            String field = errorField(e);
            return page(
                    e.kind().status(),
                    threadPage(
                            actor,
                            reading.thread(threadId, actor),
                            form.withError(errorText(e, field), field),
                            null));
        }
    }

    /** Retract one's own message, with a reason; the page then offers to send a correction. */
    @POST
    @Path("threads/{id}/messages/{messageId}/retract")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retract(
            @PathParam("id") String id,
            @PathParam("messageId") String messageId,
            @FormParam("reason") String reason) {
        Actor actor = actingPatient();
        UUID threadId = threadId(id);
        UUID message =
                Ids.parse(messageId)
                        .orElseThrow(() -> BluepostException.notFound("Communication", messageId));
        if (!reading.threadOfMessage(message).map(threadId::equals).orElse(false)) {
            throw BluepostException.notFound("Communication", messageId);
        }
        try {
            threadActions.retract(message, reason, actor);
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return page(
                    422,
                    threadPage(
                            actor,
                            reading.thread(threadId, actor),
                            ReplyForm.empty().withError(e.in(language.language()), null),
                            null));
        }
        flash("retracted");
        return Response.seeOther(
                        URI.create(
                                "/patient/threads/" + threadId + "?corrects=" + message + "#reply"))
                .build();
    }

    /** The patient (not a proxy) hides a thread from proxies, or shows it again. */
    @POST
    @Path("threads/{id}/sensitive")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response sensitive(
            @PathParam("id") String id, @FormParam("sensitive") String sensitive) {
        Actor actor = actingPatient();
        UUID threadId = threadId(id);
        boolean hide = "true".equals(sensitive);
        threadActions.markSensitive(threadId, hide, actor);
        flash(hide ? "hidden" : "shown");
        return Response.seeOther(URI.create("/patient/threads/" + threadId)).build();
    }

    @POST
    @Path("drafts/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deleteDraft(@PathParam("id") String id) {
        drafts.deleteOwn(
                Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Draft", id)),
                actingPatient());
        flash("draft-deleted");
        return Response.seeOther(URI.create("/patient")).build();
    }

    private TemplateInstance threadPage(
            Actor actor, ThreadView thread, ReplyForm reply, String done) {
        return Templates.thread(
                patientName(actor),
                isProxy(actor),
                actor.has(Role.PATIENT) && actor.relatedPersonId() == null,
                thread,
                format.lines(thread, actor),
                format,
                reply,
                fileLimits(),
                format.replyReason(thread.reply()),
                done);
    }

    /** What the conversation page confirms after an action ({@link Flash}); null for nothing or an unknown word. */
    private String done(String done) {
        if (done == null) {
            return null;
        }
        PatientMessages words = words();
        return switch (done) {
            case "sent" -> words.done_sent();
            case "reply" -> words.done_reply();
            case "correction" -> words.done_correction();
            case "retracted" -> words.done_retracted();
            case "hidden" -> words.done_hidden();
            case "shown" -> words.done_shown();
            default -> null;
        };
    }

    private TemplateInstance composeForm(Actor actor, ComposeForm form) {
        List<CategoryChoice> categories = new ArrayList<>();
        for (MessageCategory c : MessageCategory.values()) {
            categories.add(new CategoryChoice(c.code(), c.inWords(language.language())));
        }
        List<RecipientChoice> recipients = recipients(actor);
        return Templates.compose(
                patientName(actor),
                isProxy(actor),
                recipients,
                recipients.stream().anyMatch(r -> !r.careTeam()),
                categories,
                form,
                fileLimits());
    }

    /** The help the urgent panel offers for a red flag, in the reader's language. */
    private String help(RedFlags.Flag flag) {
        PatientMessages words = words();
        return "suicide".equals(flag.code()) ? words.help_call_988() : words.help_call_911();
    }

    /** The field a refusal is about (the recipient, the subject, the files …); the text when it names none. */
    private static String errorField(BluepostException e) {
        return e.field().orElse("text");
    }

    /**
     * A refusal in the reader's language: a text over the limit in the page's own words (the limit in bytes,
     * "about as many letters"), every other one as the service said it.
     */
    private String errorText(BluepostException e, String field) {
        if ("text".equals(field) && e.kind() == ErrorKind.PAYLOAD_TOO_LARGE) {
            return words().error_text_too_long(messagingConfig.maxTextBytes());
        }
        return e.in(language.language());
    }

    /** The confirmation the next page under /patient shows ({@link Flash}). */
    private void flash(String word) {
        Flash.set(routing, PATH, word, security.secureCookies());
    }

    private PatientMessages words() {
        return language.messages(PatientMessages.class);
    }

    private FileLimits fileLimits() {
        return fileLimits(attachmentPolicy);
    }

    /** What the file inputs accept and the limits they state (also read by /js/attachments.js). */
    public static FileLimits fileLimits(AttachmentPolicy policy) {
        return new FileLimits(
                Uploads.ACCEPT,
                policy.maxCount(),
                AttachmentPolicy.formatSize(policy.maxBytes()),
                AttachmentPolicy.formatSize(policy.maxTotalBytes()),
                policy.maxBytes(),
                policy.maxTotalBytes());
    }

    /** Pools of the patient's practice, and the EPs the patient has seen. */
    private List<RecipientChoice> recipients(Actor actor) {
        List<RecipientChoice> choices = new ArrayList<>();
        if (actor.practiceId() != null) {
            for (PoolView pool : directory.poolsOfPractice(actor.practiceId())) {
                choices.add(new RecipientChoice("CareTeam/" + pool.id(), pool.name(), true));
            }
        }
        for (PractitionerView ep :
                directory.practitioners(encounters.practitionersWhoSaw(actor.patientId()))) {
            if (ep.isEligibleProfessional() && ep.active()) {
                choices.add(
                        new RecipientChoice("Practitioner/" + ep.id(), ep.displayName(), false));
            }
        }
        return choices;
    }

    private Actor actingPatient() {
        Actor actor = currentActor.get();
        if (actor.patientId() == null) {
            // a proxy whose authorization ended, or who has not chosen a patient yet
            throw MessageSending.choosePatientFirst();
        }
        return actor;
    }

    private static boolean isProxy(Actor actor) {
        return actor.relatedPersonId() != null;
    }

    private static Party self(Actor actor) {
        return actor.relatedPersonId() != null
                ? new Party(Party.RELATED_PERSON, actor.relatedPersonId())
                : new Party(Party.PATIENT, actor.patientId());
    }

    private String patientName(Actor actor) {
        return directory.patient(actor.patientId()).map(p -> p.displayName()).orElse("");
    }

    private static UUID threadId(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Thread", id));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Response page(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render())
                .build();
    }

    /** An id no draft has. */
    private static final class SearchNone {
        static final UUID ID = new UUID(0, 0);
    }
}
