package dev.bluepost.messaging;

import ca.uhn.fhir.context.FhirContext;
import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditService;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.measurement.PatientAccessService;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.fhir.CommunicationHandler;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;

/**
 * Blue Button for messages: a patient (or a proxy, for the patient they act for) downloads the
 * whole message history as a FHIR R4 Bundle or as a printable page. Threads hidden from proxies
 * stay hidden in a proxy's download.
 */
@Path("/patient/history")
@RolesAllowed({Roles.PATIENT, Roles.PROXY})
public class HistoryPage {

    /** One thread of the printable history. */
    public record PrintedThread(ThreadView thread, List<ThreadPresenter.Line> lines) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance history(String patientName, boolean proxy, int threads, int messages);

        static native TemplateInstance print(String patientName, String generated, List<PrintedThread> threads,
                                             ThreadPresenter format);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    MessageReading reading;

    @Inject
    DirectoryService directory;

    @Inject
    ThreadPresenter format;

    @Inject
    CommunicationHandler communications;

    @Inject
    FhirContext fhir;

    @Inject
    Clock clock;

    @Inject
    AuditService audit;

    @Inject
    PatientAccessService patientAccess;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance history() {
        Actor actor = actingPatient();
        List<ThreadView> threads = reading.history(actor);
        return Templates.history(patientName(actor), actor.relatedPersonId() != null, threads.size(),
                threads.stream().mapToInt(t -> t.messages().size()).sum());
    }

    /** The history as a FHIR R4 Bundle (type collection) of Communications, to keep or to give to another provider. */
    @GET
    @Path("bundle")
    @Produces("application/fhir+json")
    public Response bundle() {
        Actor actor = actingPatient();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(Date.from(clock.instant()));
        bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + java.util.UUID.randomUUID());
        for (ThreadView thread : reading.history(actor)) {
            for (MessageViews.MessageView message : thread.messages()) {
                Communication communication = communications.toResource(message);
                bundle.addEntry().setFullUrl("urn:uuid:" + message.id()).setResource(communication);
            }
        }
        bundle.setTotal(bundle.getEntry().size());
        Log.infof("message history downloaded by=%s patientId=%s format=fhir entries=%d", actor.logId(), actor.patientId(),
                bundle.getEntry().size());
        audit.record(actor, AuditEntry.of(AuditAction.DOWNLOAD).on("Communication", null).patient(actor.patientId())
                .practice(actor.practiceId()).reason("message-history-fhir"));
        // Blue Button: the patient (or their proxy) downloaded their health information (docs/measures.md §5.2, PEA-S2-M2);
        // an empty history showed nothing and does not count
        patientAccess.recordVdt(actor, PatientAccessService.VdtAction.DOWNLOAD, bundle.getEntry().size());
        return Response.ok(fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle))
                .type("application/fhir+json;charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"bluepost-messages-" + today(actor) + ".json\"")
                .build();
    }

    /** The history as a page made for printing (and for "save as PDF"). */
    @GET
    @Path("print")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance print() {
        Actor actor = actingPatient();
        List<PrintedThread> threads = reading.history(actor).stream()
                .map(t -> new PrintedThread(t, format.lines(t, actor))).toList();
        Log.infof("message history printed by=%s patientId=%s threads=%d", actor.logId(), actor.patientId(), threads.size());
        audit.record(actor, AuditEntry.of(AuditAction.PRINT).on("Communication", null).patient(actor.patientId())
                .practice(actor.practiceId()).reason("message-history"));
        patientAccess.recordVdt(actor, PatientAccessService.VdtAction.VIEW,
                threads.stream().mapToInt(t -> t.thread().messages().size()).sum());
        return Templates.print(patientName(actor), format.when(clock.instant(), actor.practiceId()), threads, format);
    }

    private Actor actingPatient() {
        Actor actor = currentActor.get();
        if (actor.patientId() == null) {
            throw MessageSending.choosePatientFirst();
        }
        return actor;
    }

    private String patientName(Actor actor) {
        return directory.patient(actor.patientId()).map(p -> p.displayName()).orElse("");
    }

    private LocalDate today(Actor actor) {
        return LocalDate.ofInstant(clock.instant(), directory.zoneOf(actor.practiceId()));
    }
}
