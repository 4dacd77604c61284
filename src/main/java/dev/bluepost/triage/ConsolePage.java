package dev.bluepost.triage;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.messaging.AttachmentDownloads;
import dev.bluepost.messaging.AttachmentPolicy;
import dev.bluepost.messaging.MessageCategory;
import dev.bluepost.messaging.PatientMessagesPage;
import dev.bluepost.messaging.Uploads;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.MessageViews;
import dev.bluepost.messaging.MessagingService;
import dev.bluepost.messaging.NewMessage;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.ThreadPresenter;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
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

    /** A queue row: the item plus the names a person needs to work it. */
    public record Row(QueueItem item, String patientName, String ownerName, String category, String received, String dueBy,
                      boolean overdue) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance queue(List<Row> rows);

        static native TemplateInstance rows(List<Row> rows);

        static native TemplateInstance thread(ThreadView thread, String patientName, List<ThreadPresenter.Line> lines,
                                              String category, String error, String corrects, String text,
                                              boolean filesDropped, PatientMessagesPage.FileLimits files);

        static native TemplateInstance compose(List<PatientChoice> patients, List<CategoryChoice> categories, String patient,
                                               String category, String subject, String text, String error);

        static native TemplateInstance unread(List<UnreadRow> rows, int days);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    TriageService triage;

    @Inject
    MessagingService messaging;

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

    @GET
    @Path("queue")
    public TemplateInstance queue() {
        return Templates.queue(rows(currentActor.get()));
    }

    @GET
    @Path("queue/rows")
    public TemplateInstance queueRows() {
        return Templates.rows(rows(currentActor.get()));
    }

    /** Live updates: one {@code queue} event per change of an item of the practice; a comment every 20 s keeps the line open. */
    @GET
    @Path("queue/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        UUID practiceId = currentActor.get().practiceId();
        Multi<OutboundSseEvent> changes = broadcaster.stream()
                .filter(e -> e.practiceId().equals(practiceId))
                .map(e -> sse.newEventBuilder().name("queue").id(e.eventId().toString())
                        .data(String.class, "{\"taskId\":\"" + e.taskId() + "\",\"change\":\"" + e.change() + "\"}").build());
        Multi<OutboundSseEvent> heartbeat = Multi.createFrom().ticks().every(Duration.ofSeconds(20))
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(changes, heartbeat);
    }

    @GET
    @Path("threads/{id}")
    public TemplateInstance thread(@PathParam("id") String id, @QueryParam("corrects") String corrects) {
        ThreadView thread = messaging.thread(threadId(id), currentActor.get());
        String correcting = Ids.parse(corrects).filter(c -> thread.messages().stream().anyMatch(m -> m.id().equals(c) && m.retracted()))
                .map(UUID::toString).orElse("");
        return threadPage(thread, null, correcting, "", false);
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
        return AttachmentDownloads.of(messaging.attachment(threadId(id), attachment, currentActor.get()));
    }

    private Response reply(String id, String text, String corrects, List<FileUpload> files) {
        Actor actor = currentActor.get();
        ThreadView thread = messaging.thread(threadId(id), actor);
        MessageView last = thread.messages().get(thread.messages().size() - 1);
        Party patient = new Party(Party.PATIENT, thread.patientId());
        try {
            NewMessage reply = NewMessage.fromPage(thread.patientId(), signer(actor), List.of(patient), thread.id(), last.id(),
                    thread.category(), text, null).withAttachments(Uploads.read(files, attachmentPolicy));
            messaging.send(Ids.parse(corrects).map(reply::correcting).orElse(reply), actor);
            return Response.seeOther(URI.create("/staff/threads/" + thread.id())).build();
        } catch (BluepostException e) {
            if (!Uploads.isFormError(e)) {
                throw e;
            }
            return html(e.kind().status(), threadPage(thread, e.getMessage(), corrects == null ? "" : corrects,
                    text == null ? "" : text, !files.isEmpty()));
        }
    }

    /** The care team closes the conversation (its open items are completed); the patient can start a new one. */
    @POST
    @Path("threads/{id}/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response close(@PathParam("id") String id) {
        UUID thread = threadId(id);
        messaging.close(thread, currentActor.get());
        return Response.seeOther(URI.create("/staff/threads/" + thread)).build();
    }

    @POST
    @Path("threads/{id}/messages/{messageId}/retract")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retract(@PathParam("id") String id, @PathParam("messageId") String messageId, @FormParam("reason") String reason) {
        Actor actor = currentActor.get();
        UUID thread = threadId(id);
        UUID message = Ids.parse(messageId).orElseThrow(() -> BluepostException.notFound("Communication", messageId));
        if (!messaging.threadOfMessage(message).map(thread::equals).orElse(false)) {
            throw BluepostException.notFound("Communication", messageId);
        }
        try {
            messaging.retract(message, reason, actor);
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(422, threadPage(messaging.thread(thread, actor), e.getMessage(), "", "", false));
        }
        return Response.seeOther(URI.create("/staff/threads/" + thread + "?corrects=" + message + "#reply")).build();
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
                    .orElseThrow(() -> BluepostException.businessRule("Choose a patient of the practice."));
            MessageViews.Sent sent = messaging.send(NewMessage.fromPage(patientId, signer(actor),
                    List.of(new Party(Party.PATIENT, patientId)), null, null, category, text, subject), actor);
            return Response.seeOther(URI.create("/staff/threads/" + sent.message().threadId())).build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422 && e.kind().status() != 413) {
                throw e;
            }
            return html(e.kind().status(), composePage(patient, category, subject, text, e.getMessage()));
        }
    }

    /** The care team's messages that patients have not opened after the configured number of days. */
    @GET
    @Path("unread")
    public TemplateInstance unread() {
        Actor actor = currentActor.get();
        List<MessageView> messages = messaging.unreadByPatient(actor.practiceId(), actor);
        Map<UUID, String> patients = new HashMap<>();
        directory.patients(messages.stream().map(MessageView::patientId).distinct().toList())
                .forEach(p -> patients.put(p.id(), p.displayName()));
        List<UnreadRow> rows = messages.stream().map(m -> new UnreadRow(m.threadId(), patients.getOrDefault(m.patientId(), "Patient"),
                presenter.senderName(m), presenter.when(m.receivedAt(), m.practiceId()))).toList();
        return Templates.unread(rows, messagingConfig.unreadReminderDays());
    }

    private TemplateInstance composePage(String patient, String category, String subject, String text, String error) {
        UUID practice = currentActor.get().practiceId();
        List<PatientChoice> patients = directory.patientsOfPractice(practice).stream().filter(p -> p.active() && !p.testPatient())
                .map(p -> new PatientChoice(p.id().toString(), p.displayName() + (p.birthDate() == null ? "" : ", born " + p.birthDate())))
                .toList();
        List<CategoryChoice> categories = java.util.Arrays.stream(MessageCategory.values())
                .map(c -> new CategoryChoice(c.code(), c.display())).toList();
        return Templates.compose(patients, categories, patient, category, subject == null ? "" : subject,
                text == null ? "" : text, error);
    }

    /** Staff sign with their Practitioner record. */
    private static Party signer(Actor actor) {
        if (actor.practitionerId() == null) {
            throw BluepostException.forbidden("Your login is not linked to a practitioner record, so it cannot sign messages.");
        }
        return new Party(Party.PRACTITIONER, actor.practitionerId());
    }

    private TemplateInstance threadPage(ThreadView thread, String error, String corrects, String text, boolean filesDropped) {
        String patientName = directory.patient(thread.patientId()).map(PatientView::displayName).orElse("Patient");
        return Templates.thread(thread, patientName, presenter.lines(thread, currentActor.get()),
                MessageCategory.displayOf(thread.category()), error, corrects, text, filesDropped,
                PatientMessagesPage.fileLimits(attachmentPolicy));
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status).entity(page.render()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    private List<Row> rows(Actor actor) {
        List<QueueItem> items = triage.openItems(actor.practiceId());
        Map<UUID, String> patients = new HashMap<>();
        directory.patients(items.stream().map(QueueItem::patientId).distinct().toList())
                .forEach(p -> patients.put(p.id(), p.displayName()));
        Map<UUID, String> owners = new HashMap<>();
        for (PoolView pool : directory.poolsOfPractice(actor.practiceId())) {
            owners.put(pool.id(), pool.name());
        }
        for (PractitionerView p : directory.practitionersOfPractice(actor.practiceId())) {
            owners.put(p.id(), p.displayName());
        }
        java.time.Instant now = clock.instant();
        return items.stream().map(i -> new Row(i, patients.getOrDefault(i.patientId(), "Patient"),
                owners.getOrDefault(i.owner().id(), i.owner().type()), MessageCategory.displayOf(i.category()),
                presenter.when(i.receivedAt(), i.practiceId()), presenter.when(i.dueBy(), i.practiceId()),
                i.dueBy() != null && i.dueBy().isBefore(now))).toList();
    }

    private static UUID threadId(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Thread", id));
    }
}
