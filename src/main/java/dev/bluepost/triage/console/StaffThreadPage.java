package dev.bluepost.triage.console;

import static dev.bluepost.triage.console.ConsolePage.categories;
import static dev.bluepost.triage.console.ConsolePage.ownerNames;
import static dev.bluepost.triage.console.ConsolePage.page;
import static dev.bluepost.triage.console.ConsolePage.tags;
import static dev.bluepost.triage.console.ConsolePage.threadId;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.messaging.AttachmentDownloads;
import dev.bluepost.messaging.MessageCategory;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.MessageViews;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.NewMessage;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.PatientMessagesPage;
import dev.bluepost.messaging.ThreadAccess;
import dev.bluepost.messaging.ThreadActions;
import dev.bluepost.messaging.ThreadPresenter;
import dev.bluepost.messaging.attachments.AttachmentPolicy;
import dev.bluepost.messaging.attachments.Uploads;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.triage.Flash;
import dev.bluepost.triage.RuleLogMessages;
import dev.bluepost.triage.RuleLogWords;
import dev.bluepost.triage.RuleService;
import dev.bluepost.triage.StaffMessages;
import dev.bluepost.triage.StaffWords;
import dev.bluepost.triage.TriageService;
import dev.bluepost.triage.TriageService.QueueItem;
import dev.bluepost.triage.console.ConsolePage.CategoryChoice;
import dev.bluepost.triage.console.ConsolePage.Choice;
import dev.bluepost.triage.console.ConsolePage.TagView;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * A conversation on the staff console and what staff do to it as messaging: read it, reply (with
 * files), keep or discard a reply draft, retract a message, close the conversation, open emergency
 * access to a restricted one, download an attachment; and start a conversation with a patient. The
 * queue and the triage actions on a conversation (macro, notes, routing, presence) are
 * {@link ConsolePage}'s.
 */
@Path("/staff")
@RolesAllowed({Roles.FRONT_DESK, Roles.PROVIDER})
@Produces(MediaType.TEXT_HTML)
public class StaffThreadPage {

    public record PatientChoice(String id, String label) {}

    /** An open item of the thread on its page: who holds it and what the caller may do, in words. */
    public record ItemLine(
            QueueItem item,
            String ownerName,
            String dueBy,
            boolean mine,
            boolean held,
            String priority,
            String status,
            List<TagView> tags) {}

    /** One line of the rules' execution log of a message of the thread. */
    public record LogLine(String when, String rule, String outcome, String detail) {}

    /** A staff note as the page lists it. */
    public record NoteLine(String author, String at, String text, boolean emergency) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance thread(
                ThreadView thread,
                String patientName,
                List<ThreadPresenter.Line> lines,
                String category,
                String error,
                String corrects,
                String text,
                boolean filesDropped,
                PatientMessagesPage.FileLimits files,
                List<ItemLine> items,
                List<Choice> templates,
                List<Choice> owners,
                List<Choice> providers,
                List<NoteLine> notes,
                List<ConsoleService.Viewer> viewers,
                List<LogLine> log,
                String templateId,
                String emergencyUntil,
                String draftKept,
                String done);

        static native TemplateInstance compose(
                List<PatientChoice> patients,
                List<CategoryChoice> categories,
                String patient,
                String category,
                String subject,
                String text,
                String error);
    }

    @Inject CurrentActor currentActor;

    @Inject TriageService triage;

    @Inject MessageSending sending;

    @Inject MessageReading reading;

    @Inject ThreadAccess threadAccess;

    @Inject ThreadActions threadActions;

    @Inject DirectoryService directory;

    @Inject ThreadPresenter presenter;

    @Inject AttachmentPolicy attachmentPolicy;

    @Inject ConsoleService console;

    @Inject RuleService rules;

    @Inject dev.bluepost.messaging.emergency.EmergencyAccessService emergencyAccess;

    @Inject dev.bluepost.messaging.DraftService drafts;

    @Inject dev.bluepost.platform.i18n.ReaderLanguage lang;

    /** The staff pages' words in this request's language. */
    private StaffWords words() {
        return new StaffWords(lang.messages(StaffMessages.class), lang.language());
    }

    @GET
    @Path("threads/{id}")
    public Response thread(
            @PathParam("id") String id,
            @QueryParam("corrects") String corrects,
            @QueryParam("template") String template,
            @jakarta.ws.rs.CookieParam(Flash.COOKIE) String done) {
        ThreadView thread;
        try {
            thread = reading.thread(threadId(id), currentActor.get());
        } catch (dev.bluepost.messaging.RestrictedThreadException restricted) {
            String patientName =
                    directory
                            .patient(restricted.patientId())
                            .map(PatientView::displayName)
                            .orElse(Role.PATIENT.inWords(lang.language()));
            return dev.bluepost.messaging.emergency.EmergencyAccessPage.restrictedPage(
                    restricted.kind().status(),
                    restricted.threadId(),
                    patientName,
                    currentActor.get(),
                    null);
        }
        String correcting =
                Ids.parse(corrects)
                        .filter(
                                c ->
                                        thread.messages().stream()
                                                .anyMatch(m -> m.id().equals(c) && m.retracted()))
                        .map(UUID::toString)
                        .orElse("");
        String text =
                Ids.parse(template)
                        .map(t -> console.render(thread.id(), t, currentActor.get()))
                        .orElse("");
        String draftKept = null;
        if (template == null && correcting.isEmpty() && thread.open()) {
            // a reply kept as a draft when the session ended for inactivity comes back in the reply
            // box
            var draft = drafts.replyDraft(thread.id(), currentActor.get());
            if (draft.isPresent()) {
                text = draft.get().text();
                draftKept =
                        words().when(
                                        draft.get().updatedAt(),
                                        directory.zoneOf(thread.practiceId()));
            }
        }
        return page(
                threadPage(
                        thread,
                        null,
                        correcting,
                        text,
                        false,
                        template == null ? "" : template,
                        draftKept,
                        done),
                done);
    }

    /**
     * A clinician outside a restricted thread's care team opens emergency ("break-glass") access to
     * the patient's restricted threads, with a reason (ADR 0026); then reads the thread.
     */
    @POST
    @Path("threads/{id}/emergency-access")
    @RolesAllowed(Roles.PROVIDER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response emergencyAccess(
            @PathParam("id") String id, @FormParam("reason") String reason) {
        Actor actor = currentActor.get();
        UUID threadId = threadId(id);
        try {
            threadAccess.openEmergencyAccess(threadId, reason, actor);
        } catch (BluepostException e) {
            if (e.kind().status() == 404 || e.kind().status() == 403) {
                throw e;
            }
            return dev.bluepost.messaging.emergency.EmergencyAccessPage.restrictedPage(
                    e.kind().status(),
                    threadId,
                    Role.PATIENT.inWords(lang.language()),
                    actor,
                    e.in(lang.language()));
        }
        return Response.seeOther(java.net.URI.create("/staff/threads/" + threadId)).build();
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
    public Response reply(
            @PathParam("id") String id,
            @FormParam("text") String text,
            @FormParam("corrects") String corrects) {
        return reply(id, text, corrects, List.of());
    }

    /** The reply form as browsers send it (multipart/form-data), with the chosen files. */
    @POST
    @Path("threads/{id}/reply")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response replyWithFiles(
            @PathParam("id") String id,
            @RestForm String text,
            @RestForm String corrects,
            @RestForm("files") List<FileUpload> files) {
        return reply(id, text, corrects, Uploads.chosen(files));
    }

    /** Downloads an attachment of a thread of the practice (404 otherwise). */
    @GET
    @Path("threads/{id}/attachments/{attachmentId}")
    @Produces(MediaType.WILDCARD)
    public Response attachment(
            @PathParam("id") String id, @PathParam("attachmentId") String attachmentId) {
        UUID attachment =
                Ids.parse(attachmentId)
                        .orElseThrow(() -> BluepostException.notFound("Attachment", attachmentId));
        return AttachmentDownloads.of(
                reading.attachment(threadId(id), attachment, currentActor.get()));
    }

    private Response reply(String id, String text, String corrects, List<FileUpload> files) {
        Actor actor = currentActor.get();
        ThreadView thread = reading.thread(threadId(id), actor);
        MessageView last = thread.messages().get(thread.messages().size() - 1);
        Party patient = new Party(Party.PATIENT, thread.patientId());
        try {
            NewMessage reply =
                    NewMessage.fromPage(
                                    thread.patientId(),
                                    signer(actor),
                                    List.of(patient),
                                    thread.id(),
                                    last.id(),
                                    thread.category(),
                                    text,
                                    null)
                            .withAttachments(Uploads.read(files, attachmentPolicy));
            sending.send(Ids.parse(corrects).map(reply::correcting).orElse(reply), actor);
            drafts.deleteReplyDrafts(thread.id(), actor);
            return Flash.seeOther(
                    "/staff/threads/" + thread.id(),
                    Ids.parse(corrects).isPresent() ? "corrected" : "sent");
        } catch (BluepostException e) {
            if (!Uploads.isFormError(e)) {
                throw e;
            }
            return html(
                    e.kind().status(),
                    threadPage(
                            thread,
                            e.in(lang.language()),
                            corrects == null ? "" : corrects,
                            text == null ? "" : text,
                            !files.isEmpty(),
                            "",
                            null,
                            null));
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
    public Response retract(
            @PathParam("id") String id,
            @PathParam("messageId") String messageId,
            @FormParam("reason") String reason) {
        Actor actor = currentActor.get();
        UUID thread = threadId(id);
        UUID message =
                Ids.parse(messageId)
                        .orElseThrow(() -> BluepostException.notFound("Communication", messageId));
        if (!reading.threadOfMessage(message).map(thread::equals).orElse(false)) {
            throw BluepostException.notFound("Communication", messageId);
        }
        try {
            threadActions.retract(message, reason, actor);
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(
                    422,
                    threadPage(
                            reading.thread(thread, actor),
                            e.in(lang.language()),
                            "",
                            "",
                            false,
                            "",
                            null,
                            null));
        }
        return Flash.seeOther(
                "/staff/threads/" + thread + "?corrects=" + message + "#reply", "retracted");
    }

    /** Starting a conversation with a patient of the practice. */
    @GET
    @Path("messages/new")
    public TemplateInstance compose(@QueryParam("patient") String patient) {
        return composePage(
                patient == null ? "" : patient, MessageCategory.OTHER.code(), "", "", null);
    }

    @POST
    @Path("messages")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(
            @FormParam("patient") String patient,
            @FormParam("category") String category,
            @FormParam("subject") String subject,
            @FormParam("text") String text) {
        Actor actor = currentActor.get();
        try {
            UUID patientId =
                    Ids.parse(patient)
                            .filter(
                                    p ->
                                            directory
                                                    .patient(p)
                                                    .map(
                                                            v ->
                                                                    actor.practiceId()
                                                                            .equals(v.practiceId()))
                                                    .orElse(false))
                            .orElseThrow(
                                    () ->
                                            BluepostException.said(
                                                            ErrorKind.BUSINESS_RULE,
                                                            StaffMessages.class,
                                                            StaffMessages::choose_patient)
                                                    .about("patient"));
            MessageViews.Sent sent =
                    sending.send(
                            NewMessage.fromPage(
                                    patientId,
                                    signer(actor),
                                    List.of(new Party(Party.PATIENT, patientId)),
                                    null,
                                    null,
                                    category,
                                    text,
                                    subject),
                            actor);
            return Flash.seeOther("/staff/threads/" + sent.message().threadId(), "started");
        } catch (BluepostException e) {
            if (e.kind().status() != 422 && e.kind().status() != 413) {
                throw e;
            }
            return html(
                    e.kind().status(),
                    composePage(patient, category, subject, text, e.in(lang.language())));
        }
    }

    private TemplateInstance composePage(
            String patient, String category, String subject, String text, String error) {
        UUID practice = currentActor.get().practiceId();
        StaffWords words = words();
        List<PatientChoice> patients =
                directory.patientsOfPractice(practice).stream()
                        .filter(p -> p.active() && !p.testPatient())
                        .map(
                                p ->
                                        new PatientChoice(
                                                p.id().toString(),
                                                p.displayName()
                                                        + (p.birthDate() == null
                                                                ? ""
                                                                : ", "
                                                                        + words.messages()
                                                                                .born(
                                                                                        words.date(
                                                                                                p
                                                                                                        .birthDate())))))
                        .toList();
        return Templates.compose(
                patients,
                categories(words),
                patient,
                category,
                subject == null ? "" : subject,
                text == null ? "" : text,
                error);
    }

    /** Staff sign with their Practitioner record. */
    private static Party signer(Actor actor) {
        if (actor.practitionerId() == null) {
            throw ConsoleService.cannotSign();
        }
        return new Party(Party.PRACTITIONER, actor.practitionerId());
    }

    private TemplateInstance threadPage(
            ThreadView thread,
            String error,
            String corrects,
            String text,
            boolean filesDropped,
            String templateId,
            String draftKept,
            String done) {
        Actor actor = currentActor.get();
        StaffWords words = words();
        java.time.ZoneId zone = directory.zoneOf(thread.practiceId());
        String patientName =
                directory
                        .patient(thread.patientId())
                        .map(PatientView::displayName)
                        .orElse(Role.PATIENT.inWords(lang.language()));
        Map<UUID, String> owners = ownerNames(directory, actor.practiceId());
        List<ItemLine> items =
                triage.openItemsOfThread(thread.id(), actor).stream()
                        .map(
                                i ->
                                        new ItemLine(
                                                i,
                                                owners.getOrDefault(i.owner().id(), ""),
                                                words.when(i.dueBy(), zone),
                                                i.owner().is(Party.PRACTITIONER)
                                                        && i.owner()
                                                                .id()
                                                                .equals(actor.practitionerId()),
                                                i.owner().is(Party.PRACTITIONER),
                                                words.priority(i.priority()),
                                                words.status(i.status()),
                                                tags(i.tags(), words)))
                        .toList();
        List<Choice> templates =
                rules.templates(actor.practiceId()).stream()
                        .map(t -> new Choice(t.id().toString(), t.name()))
                        .toList();
        List<Choice> ownerChoices = new java.util.ArrayList<>();
        directory
                .poolsOfPractice(actor.practiceId())
                .forEach(
                        p ->
                                ownerChoices.add(
                                        new Choice(
                                                "CareTeam/" + p.id(),
                                                words.messages().pool_owner(p.name()))));
        List<Choice> providers = new java.util.ArrayList<>();
        directory.practitionersOfPractice(actor.practiceId()).stream()
                .filter(PractitionerView::active)
                .forEach(
                        p -> {
                            ownerChoices.add(new Choice("Practitioner/" + p.id(), p.displayName()));
                            if (p.isEligibleProfessional()) {
                                providers.add(new Choice(p.id().toString(), p.displayName()));
                            }
                        });
        List<LogLine> log = new java.util.ArrayList<>();
        RuleLogWords logWords = new RuleLogWords(lang.messages(RuleLogMessages.class), words, zone);
        for (MessageView m : thread.messages()) {
            if (m.senderKind().isPatientSide()) {
                // a line kept as steps is worded for the reader; one written before shows its
                // English as it was kept
                rules.executions(m.id())
                        .forEach(
                                e ->
                                        log.add(
                                                new LogLine(
                                                        words.when(e.at(), zone),
                                                        e.ruleName()
                                                                + (e.ruleVersion() == null
                                                                        ? ""
                                                                        : " ("
                                                                                + words.messages()
                                                                                        .rule_version(
                                                                                                e
                                                                                                        .ruleVersion())
                                                                                + ")"),
                                                        words.outcome(e.outcome()),
                                                        e.steps().isEmpty()
                                                                ? words.detail(e.detail(), zone)
                                                                : logWords.line(e.steps()))));
            }
        }
        List<NoteLine> notes =
                console.notes(thread.id(), actor).stream()
                        .map(
                                n ->
                                        new NoteLine(
                                                n.author(),
                                                words.when(n.at(), zone),
                                                n.text(),
                                                n.emergency()))
                        .toList();
        return Templates.thread(
                thread,
                patientName,
                presenter.lines(thread, actor),
                words.category(thread.category()),
                error,
                corrects,
                text,
                filesDropped,
                PatientMessagesPage.fileLimits(attachmentPolicy),
                items,
                templates,
                ownerChoices,
                providers,
                notes,
                console.seen(thread.id(), false, actor),
                log,
                templateId,
                thread.sensitive()
                        ? emergencyAccess
                                .inForce(thread.patientId(), actor)
                                .map(a -> words.when(a.expiresAt(), zone))
                                .orElse(null)
                        : null,
                draftKept,
                Flash.words(done, words.messages()));
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .entity(page.render())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .build();
    }

    private UUID visibleThread(String id) {
        return ConsolePage.visibleThread(threadAccess, currentActor.get(), id);
    }
}
