package dev.bluepost.messaging;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.measurement.EncounterService;
import dev.bluepost.messaging.DraftService.Draft;
import dev.bluepost.messaging.MessageViews.ThreadSummary;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The patient's (or proxy's) messages: threads and drafts, composing to a pool or an EP the patient
 * has seen (the safety notice first; an urgent-help panel when the text sounds like an emergency),
 * reading a thread ("opened by your care team"), replying while replies are accepted (and saying
 * why not otherwise), retracting and correcting one's own messages, hiding a thread from proxies.
 */
@Path("/patient")
@RolesAllowed({Roles.PATIENT, Roles.PROXY})
@Produces(MediaType.TEXT_HTML)
public class PatientMessagesPage {

    /** A choice of recipient on the compose form: {@code CareTeam/id} or {@code Practitioner/id}. */
    public record RecipientChoice(String value, String label, String group) {
    }

    public record CategoryChoice(String code, String label) {
    }

    /**
     * What the compose form shows: its fields, and an error or an urgent-help panel.
     *
     * @param filesDropped files were chosen but not sent (an error or the urgent-help panel): they must be chosen again
     */
    public record ComposeForm(String draftId, String recipient, String category, String subject, String text, String context,
                              String error, RedFlags.Flag urgent, boolean filesDropped) {

        ComposeForm(String draftId, String recipient, String category, String subject, String text, String context,
                    String error, RedFlags.Flag urgent) {
            this(draftId, recipient, category, subject, text, context, error, urgent, false);
        }
    }

    /** What the reply form of a thread shows. */
    public record ReplyForm(String draftId, String text, String corrects, String error, RedFlags.Flag urgent,
                            boolean filesDropped) {

        ReplyForm(String draftId, String text, String corrects, String error, RedFlags.Flag urgent) {
            this(draftId, text, corrects, error, urgent, false);
        }

        static ReplyForm empty() {
            return new ReplyForm("", "", "", null, null);
        }
    }

    /** The limits the forms state next to the file input. */
    public record FileLimits(String accept, int maxCount, String maxSize, String maxTotal, long maxBytes, long maxTotalBytes) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance threads(String patientName, boolean proxy, List<ThreadSummary> threads, List<Draft> drafts,
                                               ThreadPresenter format);

        static native TemplateInstance compose(String patientName, boolean proxy, List<RecipientChoice> recipients,
                                               List<CategoryChoice> categories, ComposeForm form, FileLimits files);

        static native TemplateInstance thread(String patientName, boolean proxy, boolean patient, ThreadView thread,
                                              List<ThreadPresenter.Line> lines, ThreadPresenter format, ReplyForm reply,
                                              FileLimits files);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    MessageSending sending;

    @Inject
    MessageReading reading;

    @Inject
    ThreadAccess threadAccess;

    @Inject
    ThreadActions threadActions;

    @Inject
    DraftService drafts;

    @Inject
    DirectoryService directory;

    @Inject
    EncounterService encounters;

    @Inject
    ThreadPresenter format;

    @Inject
    AttachmentPolicy attachmentPolicy;

    @GET
    public TemplateInstance threads() {
        Actor actor = actingPatient();
        return Templates.threads(patientName(actor), isProxy(actor), reading.threadsOfPatient(actor.patientId(), actor),
                drafts.drafts(actor), format);
    }

    /**
     * The compose form; {@code from} carries a thread's context forward (subject, type, care team),
     * {@code draft} reopens a saved draft.
     */
    @GET
    @Path("messages/new")
    public TemplateInstance compose(@QueryParam("from") String from, @QueryParam("draft") String draftId) {
        Actor actor = actingPatient();
        if (draftId != null) {
            Draft draft = drafts.draft(Ids.parse(draftId).orElse(SearchNone.ID), actor)
                    .orElseThrow(() -> BluepostException.notFound("Draft", draftId));
            return composeForm(actor, new ComposeForm(draft.id().toString(), draft.recipient(), draft.category(),
                    draft.topic() == null ? "" : draft.topic(), draft.text(), null, null, null));
        }
        if (from != null) {
            ThreadView previous = reading.thread(threadId(from), actor);
            String recipient = threadAccess.careTeamOf(previous.id(), actor).stream()
                    .map(Party::reference).filter(r -> recipients(actor).stream().anyMatch(c -> c.value().equals(r)))
                    .findFirst().orElse("");
            String subject = previous.topic() == null ? "" : (previous.topic().startsWith("Re: ") ? previous.topic() : "Re: " + previous.topic());
            String context = "Continues your conversation \u201c" + (previous.topic() == null ? format.category(previous.category())
                    : previous.topic()) + "\u201d of " + format.day(previous.createdAt(), previous.practiceId()) + ".";
            return composeForm(actor, new ComposeForm("", recipient, previous.category(), subject.length() > 200
                    ? subject.substring(0, 200) : subject, "", context, null, null));
        }
        return composeForm(actor, new ComposeForm("", "", MessageCategory.MEDICAL_QUESTION.code(), "", "", null, null, null));
    }

    @POST
    @Path("messages")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(@FormParam("recipient") String recipient, @FormParam("category") String category,
                         @FormParam("subject") String subject, @FormParam("text") String text,
                         @FormParam("draft") String draftId, @FormParam("action") String action,
                         @FormParam("acknowledgedUrgent") String acknowledgedUrgent, @FormParam("context") String context) {
        return send(recipient, category, subject, text, draftId, action, acknowledgedUrgent, context, List.of());
    }

    /** The compose form as browsers send it (multipart/form-data), with the chosen files. */
    @POST
    @Path("messages")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response sendWithFiles(@RestForm String recipient, @RestForm String category, @RestForm String subject,
                                  @RestForm String text, @RestForm("draft") String draftId, @RestForm String action,
                                  @RestForm String acknowledgedUrgent, @RestForm String context,
                                  @RestForm("files") List<FileUpload> files) {
        return send(recipient, category, subject, text, draftId, action, acknowledgedUrgent, context, Uploads.chosen(files));
    }

    private Response send(String recipient, String category, String subject, String text, String draftId, String action,
                          String acknowledgedUrgent, String context, List<FileUpload> files) {
        Actor actor = actingPatient();
        ComposeForm form = new ComposeForm(nullToEmpty(draftId), nullToEmpty(recipient), category, nullToEmpty(subject),
                nullToEmpty(text), context, null, null, !files.isEmpty());
        try {
            if ("save".equals(action)) {
                UUID saved = drafts.save(new Draft(Ids.parse(draftId).orElse(null), actor.patientId(), null, recipient, category,
                        subject, text, null), actor);
                return Response.seeOther(URI.create("/patient?saved=" + saved)).build();
            }
            Party to = recipients(actor).stream().filter(r -> r.value().equals(recipient)).findFirst()
                    .map(r -> Party.parse(r.value())).orElse(null);
            if (to == null) {
                throw BluepostException.businessRule("Choose who the message is for.");
            }
            Optional<RedFlags.Flag> urgent = RedFlags.find(subject + "\n" + text);
            if (urgent.isPresent() && !"yes".equals(acknowledgedUrgent)) {
                return page(200, composeForm(actor, withUrgent(form, urgent.get())));
            }
            MessageViews.Sent sent = sending.send(NewMessage.fromPage(actor.patientId(), self(actor), List.of(to), null, null,
                    category, text, subject).withAttachments(Uploads.read(files, attachmentPolicy)), actor);
            Ids.parse(draftId).ifPresent(id -> drafts.delete(id, actor));
            return Response.seeOther(URI.create("/patient/threads/" + sent.message().threadId())).build();
        } catch (BluepostException e) {
            if (!Uploads.isFormError(e)) {
                throw e;
            }
            return page(e.kind().status(), composeForm(actor, withError(form, e.getMessage())));
        }
    }

    @GET
    @Path("threads/{id}")
    public TemplateInstance thread(@PathParam("id") String id, @QueryParam("draft") String draftId,
                                   @QueryParam("corrects") String corrects) {
        Actor actor = actingPatient();
        ThreadView thread = reading.thread(threadId(id), actor);
        ReplyForm reply = Ids.parse(corrects).filter(c -> thread.messages().stream().anyMatch(m -> m.id().equals(c) && m.retracted()))
                .map(c -> new ReplyForm("", "", c.toString(), null, null)).orElse(ReplyForm.empty());
        if (draftId != null) {
            Draft draft = drafts.draft(Ids.parse(draftId).orElse(SearchNone.ID), actor)
                    .filter(d -> thread.id().equals(d.threadId()))
                    .orElseThrow(() -> BluepostException.notFound("Draft", draftId));
            reply = new ReplyForm(draft.id().toString(), draft.text(), "", null, null);
        } else if (corrects == null && thread.reply().isOpen()) {
            // a reply saved as a draft (or kept when the session ended for inactivity) comes back in the reply box
            Optional<Draft> kept = drafts.replyDraft(thread.id(), actor);
            if (kept.isPresent()) {
                reply = new ReplyForm(kept.get().id().toString(), kept.get().text(), "", null, null);
            }
        }
        return threadPage(actor, thread, reply);
    }

    @POST
    @Path("threads/{id}/reply")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reply(@PathParam("id") String id, @FormParam("text") String text, @FormParam("draft") String draftId,
                          @FormParam("action") String action, @FormParam("corrects") String corrects,
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
    public Response replyWithFiles(@PathParam("id") String id, @RestForm String text, @RestForm("draft") String draftId,
                                   @RestForm String action, @RestForm String corrects, @RestForm String acknowledgedUrgent,
                                   @RestForm("files") List<FileUpload> files) {
        return reply(id, text, draftId, action, corrects, acknowledgedUrgent, Uploads.chosen(files));
    }

    /** Downloads an attachment of a thread the caller may see (404 otherwise). */
    @GET
    @Path("threads/{id}/attachments/{attachmentId}")
    @Produces(MediaType.WILDCARD)
    public Response attachment(@PathParam("id") String id, @PathParam("attachmentId") String attachmentId) {
        Actor actor = actingPatient();
        UUID attachment = Ids.parse(attachmentId).orElseThrow(() -> BluepostException.notFound("Attachment", attachmentId));
        return AttachmentDownloads.of(reading.attachment(threadId(id), attachment, actor));
    }

    private Response reply(String id, String text, String draftId, String action, String corrects, String acknowledgedUrgent,
                           List<FileUpload> files) {
        Actor actor = actingPatient();
        UUID threadId = threadId(id);
        ReplyForm form = new ReplyForm(nullToEmpty(draftId), nullToEmpty(text), nullToEmpty(corrects), null, null,
                !files.isEmpty());
        try {
            if ("save".equals(action)) {
                drafts.save(new Draft(Ids.parse(draftId).orElse(null), actor.patientId(), threadId, null, null, null, text, null),
                        actor);
                return Response.seeOther(URI.create("/patient?saved=reply")).build();
            }
            Optional<RedFlags.Flag> urgent = RedFlags.find(text);
            if (urgent.isPresent() && !"yes".equals(acknowledgedUrgent)) {
                return page(200, threadPage(actor, reading.thread(threadId, actor),
                        new ReplyForm(form.draftId(), form.text(), form.corrects(), null, urgent.get(), form.filesDropped())));
            }
            List<Party> to = threadAccess.replyTarget(threadId, actor);
            ThreadView thread = reading.thread(threadId, actor);
            MessageViews.MessageView last = thread.messages().get(thread.messages().size() - 1);
            NewMessage message = NewMessage.fromPage(actor.patientId(), self(actor), to, threadId, last.id(), thread.category(),
                    text, null).withAttachments(Uploads.read(files, attachmentPolicy));
            sending.send(Ids.parse(corrects).map(message::correcting).orElse(message), actor);
            Ids.parse(draftId).ifPresent(d -> drafts.delete(d, actor));
            return Response.seeOther(URI.create("/patient/threads/" + threadId)).build();
        } catch (BluepostException e) {
            if (!Uploads.isFormError(e)) {
                throw e;
            }
            return page(e.kind().status(), threadPage(actor, reading.thread(threadId, actor),
                    new ReplyForm(form.draftId(), form.text(), form.corrects(), e.getMessage(), null, form.filesDropped())));
        }
    }

    /** Retract one's own message, with a reason; the page then offers to send a correction. */
    @POST
    @Path("threads/{id}/messages/{messageId}/retract")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retract(@PathParam("id") String id, @PathParam("messageId") String messageId,
                            @FormParam("reason") String reason) {
        Actor actor = actingPatient();
        UUID threadId = threadId(id);
        UUID message = Ids.parse(messageId).orElseThrow(() -> BluepostException.notFound("Communication", messageId));
        if (!reading.threadOfMessage(message).map(threadId::equals).orElse(false)) {
            throw BluepostException.notFound("Communication", messageId);
        }
        try {
            threadActions.retract(message, reason, actor);
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return page(422, threadPage(actor, reading.thread(threadId, actor),
                    new ReplyForm("", "", "", e.getMessage(), null)));
        }
        return Response.seeOther(URI.create("/patient/threads/" + threadId + "?corrects=" + message + "#reply")).build();
    }

    /** The patient (not a proxy) hides a thread from proxies, or shows it again. */
    @POST
    @Path("threads/{id}/sensitive")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response sensitive(@PathParam("id") String id, @FormParam("sensitive") String sensitive) {
        Actor actor = actingPatient();
        UUID threadId = threadId(id);
        threadActions.markSensitive(threadId, "true".equals(sensitive), actor);
        return Response.seeOther(URI.create("/patient/threads/" + threadId)).build();
    }

    @POST
    @Path("drafts/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deleteDraft(@PathParam("id") String id) {
        drafts.deleteOwn(Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Draft", id)), actingPatient());
        return Response.seeOther(URI.create("/patient")).build();
    }

    private TemplateInstance threadPage(Actor actor, ThreadView thread, ReplyForm reply) {
        return Templates.thread(patientName(actor), isProxy(actor), actor.has(Role.PATIENT) && actor.relatedPersonId() == null,
                thread, format.lines(thread, actor), format, reply, fileLimits());
    }

    private TemplateInstance composeForm(Actor actor, ComposeForm form) {
        List<CategoryChoice> categories = new ArrayList<>();
        for (MessageCategory c : MessageCategory.values()) {
            categories.add(new CategoryChoice(c.code(), c.display()));
        }
        return Templates.compose(patientName(actor), isProxy(actor), recipients(actor), categories, form, fileLimits());
    }

    private FileLimits fileLimits() {
        return fileLimits(attachmentPolicy);
    }

    /** What the file inputs accept and the limits they state (also read by /js/attachments.js). */
    public static FileLimits fileLimits(AttachmentPolicy policy) {
        return new FileLimits(Uploads.ACCEPT, policy.maxCount(), AttachmentPolicy.formatSize(policy.maxBytes()),
                AttachmentPolicy.formatSize(policy.maxTotalBytes()), policy.maxBytes(), policy.maxTotalBytes());
    }

    /** Pools of the patient's practice, and the EPs the patient has seen. */
    private List<RecipientChoice> recipients(Actor actor) {
        List<RecipientChoice> choices = new ArrayList<>();
        if (actor.practiceId() != null) {
            for (PoolView pool : directory.poolsOfPractice(actor.practiceId())) {
                choices.add(new RecipientChoice("CareTeam/" + pool.id(), pool.name(), "Care team"));
            }
        }
        for (PractitionerView ep : directory.practitioners(encounters.practitionersWhoSaw(actor.patientId()))) {
            if (ep.isEligibleProfessional() && ep.active()) {
                choices.add(new RecipientChoice("Practitioner/" + ep.id(), ep.displayName(), "Your clinicians"));
            }
        }
        return choices;
    }

    private Actor actingPatient() {
        Actor actor = currentActor.get();
        if (actor.patientId() == null) {
            // a proxy whose authorization ended, or who has not chosen a patient yet
            throw BluepostException.forbidden("Choose the patient you are acting for first (Switch patient).");
        }
        return actor;
    }

    private static boolean isProxy(Actor actor) {
        return actor.relatedPersonId() != null;
    }

    private static Party self(Actor actor) {
        return actor.relatedPersonId() != null ? new Party(Party.RELATED_PERSON, actor.relatedPersonId())
                : new Party(Party.PATIENT, actor.patientId());
    }

    private String patientName(Actor actor) {
        return directory.patient(actor.patientId()).map(p -> p.displayName()).orElse("");
    }

    private static UUID threadId(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Thread", id));
    }

    private static ComposeForm withError(ComposeForm f, String error) {
        return new ComposeForm(f.draftId(), f.recipient(), f.category(), f.subject(), f.text(), f.context(), error, null,
                f.filesDropped());
    }

    private static ComposeForm withUrgent(ComposeForm f, RedFlags.Flag flag) {
        return new ComposeForm(f.draftId(), f.recipient(), f.category(), f.subject(), f.text(), f.context(), null, flag,
                f.filesDropped());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Response page(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render()).build();
    }

    /** An id no draft has. */
    private static final class SearchNone {
        static final UUID ID = new UUID(0, 0);
    }
}
