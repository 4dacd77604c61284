package dev.bluepost.messaging;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.measurement.EncounterService;
import dev.bluepost.messaging.MessageViews.ThreadSummary;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The patient's (or proxy's) messages: the list of threads, composing a new message to a pool or
 * an EP the patient has seen, reading a thread and replying.
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

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance threads(String patientName, boolean proxy, List<ThreadSummary> threads, ThreadPresenter format);

        static native TemplateInstance compose(String patientName, boolean proxy, List<RecipientChoice> recipients,
                                               List<CategoryChoice> categories, String error, String recipient,
                                               String category, String subject, String text);

        static native TemplateInstance thread(String patientName, boolean proxy, ThreadView thread, List<ThreadPresenter.Line> lines,
                                              ThreadPresenter format, String error);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    MessagingService messaging;

    @Inject
    DirectoryService directory;

    @Inject
    EncounterService encounters;

    @Inject
    ThreadPresenter format;

    @GET
    public TemplateInstance threads() {
        Actor actor = actingPatient();
        return Templates.threads(patientName(actor), actor.relatedPersonId() != null,
                messaging.threadsOfPatient(actor.patientId(), actor), format);
    }

    @GET
    @Path("messages/new")
    public TemplateInstance compose() {
        Actor actor = actingPatient();
        return composeForm(actor, null, "", MessageCategory.MEDICAL_QUESTION.code(), "", "");
    }

    @POST
    @Path("messages")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(@FormParam("recipient") String recipient, @FormParam("category") String category,
                         @FormParam("subject") String subject, @FormParam("text") String text) {
        Actor actor = actingPatient();
        Party to = recipients(actor).stream().filter(r -> r.value().equals(recipient)).findFirst()
                .map(r -> Party.parse(r.value())).orElse(null);
        if (to == null) {
            return Response.status(422).entity(composeForm(actor, "Choose who the message is for.", recipient, category,
                    subject, text).render()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        }
        try {
            MessageViews.Sent sent = messaging.send(NewMessage.fromPage(actor.patientId(), self(actor), List.of(to), null, null,
                    category, text, subject), actor);
            return Response.seeOther(URI.create("/patient/threads/" + sent.message().threadId())).build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422 && e.kind().status() != 413) {
                throw e;
            }
            return Response.status(e.kind().status()).entity(composeForm(actor, e.getMessage(), recipient, category, subject,
                    text).render()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        }
    }

    @GET
    @Path("threads/{id}")
    public TemplateInstance thread(@PathParam("id") String id) {
        Actor actor = actingPatient();
        ThreadView thread = messaging.thread(threadId(id), actor);
        return Templates.thread(patientName(actor), actor.relatedPersonId() != null, thread, format.lines(thread, actor), format, null);
    }

    @POST
    @Path("threads/{id}/reply")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reply(@PathParam("id") String id, @FormParam("text") String text) {
        Actor actor = actingPatient();
        ThreadView thread = messaging.thread(threadId(id), actor);
        MessageViews.MessageView last = thread.messages().get(thread.messages().size() - 1);
        List<Party> to = replyRecipients(thread);
        try {
            messaging.send(NewMessage.fromPage(actor.patientId(), self(actor), to, thread.id(), last.id(), thread.category(),
                    text, null), actor);
            return Response.seeOther(URI.create("/patient/threads/" + thread.id())).build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422 && e.kind().status() != 413) {
                throw e;
            }
            return Response.status(e.kind().status()).entity(Templates.thread(patientName(actor), actor.relatedPersonId() != null,
                    thread, format.lines(thread, actor), format, e.getMessage()).render())
                    .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        }
    }

    /** A reply goes to whoever on the care team the thread was with: the first message's recipients from the practice. */
    private static List<Party> replyRecipients(ThreadView thread) {
        for (int i = thread.messages().size() - 1; i >= 0; i--) {
            MessageViews.MessageView message = thread.messages().get(i);
            if (message.senderKind().isCareTeam()) {
                return List.of(message.sender());
            }
        }
        return thread.messages().get(0).recipients().stream()
                .filter(p -> p.is(Party.CARE_TEAM) || p.is(Party.PRACTITIONER)).toList();
    }

    private TemplateInstance composeForm(Actor actor, String error, String recipient, String category, String subject, String text) {
        List<CategoryChoice> categories = new ArrayList<>();
        for (MessageCategory c : MessageCategory.values()) {
            categories.add(new CategoryChoice(c.code(), c.display()));
        }
        return Templates.compose(patientName(actor), actor.relatedPersonId() != null, recipients(actor), categories, error,
                recipient, category, subject, text);
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
}
