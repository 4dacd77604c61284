package dev.bluepost.bluebutton;

import ca.uhn.fhir.context.FhirContext;
import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.encounters.VisitDocumentService;
import dev.bluepost.identity.SecurityConfig;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.PatientMessages;
import dev.bluepost.messaging.ThreadPresenter;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.facts.PatientInformationShown;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.web.Flash;
import dev.bluepost.platform.web.FormErrors;
import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Blue Button: a patient (or a proxy, for the patient they act for) downloads everything they may
 * see — as a FHIR R4 Bundle, a printable page or a PDF — and sends a copy to a third party they name
 * (Direct secure message or, after a warning, ordinary e-mail). Threads hidden from proxies stay
 * hidden in a proxy's download. docs/adr/0046.
 */
@Path("/patient/history")
@RolesAllowed({Roles.PATIENT, Roles.PROXY})
public class HistoryPage {

    private static final String PATH = "/patient/history";

    /** One thread of the printable history. */
    public record PrintedThread(ThreadView thread, List<ThreadPresenter.Line> lines) {}

    /** A visit document as the printable page and the send form list it. */
    public record DocumentRow(UUID id, String title, String available) {}

    /** One row of "What you sent", in words. */
    public record SentRow(
            String what, String to, String how, String when, boolean sent, String outcome) {}

    /** The send form as last submitted: which of its two forms, what was chosen, the address typed, and what is wrong. */
    public record SendForm(String method, String what, String address, FormErrors errors) {

        /** The error on a field of one of the two forms ({@code direct}, {@code email}), or null. */
        public String error(String form, String field) {
            return method.equals(form) && errors.has(field) ? errors.text(field) : null;
        }

        /** The address typed into this form (empty for the other form). */
        public String address(String form) {
            return method.equals(form) ? address : "";
        }

        /** Whether {@code value} is the choice of "what" in this form. */
        public boolean selected(String form, String value) {
            return method.equals(form) ? what.equals(value) : "record".equals(value);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance history(
                String patientName,
                boolean proxy,
                int threads,
                int messages,
                int documents,
                List<SentRow> sent,
                String done,
                boolean failed);

        static native TemplateInstance print(
                String patientName,
                String generated,
                List<PrintedThread> threads,
                List<DocumentRow> documents,
                ThreadPresenter format);

        static native TemplateInstance send(
                String patientName,
                boolean proxy,
                List<DocumentRow> documents,
                boolean direct,
                SendForm form);
    }

    @Inject CurrentActor currentActor;

    @Inject HealthRecord record;

    @Inject TransmitService transmits;

    @Inject DirectoryService directory;

    @Inject ThreadPresenter format;

    @Inject FhirContext fhir;

    @Inject Clock clock;

    @Inject AuditRecorder audit;

    @Inject Event<PatientInformationShown> informationShown;

    @Inject ReaderLanguage reader;

    @Inject RoutingContext routing;

    @Inject SecurityConfig security;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance history() {
        Actor actor = actingPatient();
        HealthRecord.Content content = record.summary(actor);
        String done = Flash.take(routing, PATH).orElse(null);
        BlueButtonMessages words = reader.messages(BlueButtonMessages.class);
        Map<UUID, String> titles = new HashMap<>();
        content.documents().forEach(d -> titles.put(d.id(), d.title()));
        List<SentRow> sent =
                transmits.sentBy(actor).stream()
                        .map(
                                s ->
                                        new SentRow(
                                                s.what() == Transmission.What.RECORD
                                                        ? words.what_record()
                                                        : (titles.containsKey(s.documentId())
                                                                ? words.what_document(
                                                                        titles.get(s.documentId()))
                                                                : words.what_document_gone()),
                                                s.recipient(),
                                                s.method() == Transmission.Method.DIRECT
                                                        ? words.how_direct()
                                                        : words.how_email(),
                                                format.when(s.at(), actor.practiceId()),
                                                s.status() == Transmission.Status.SENT,
                                                s.status() == Transmission.Status.SENT
                                                        ? words.outcome_sent()
                                                        : s.status() == Transmission.Status.SENDING
                                                                ? words.outcome_unconfirmed()
                                                                : switch (String.valueOf(
                                                                        s.failure())) {
                                                                    case "relay-refused" ->
                                                                            words
                                                                                    .outcome_relay_refused();
                                                                    case "mail-refused" ->
                                                                            words
                                                                                    .outcome_mail_refused();
                                                                    default ->
                                                                            words
                                                                                    .outcome_relay_unreachable();
                                                                }))
                        .toList();
        return Templates.history(
                patientName(actor),
                actor.relatedPersonId() != null,
                content.threads().size(),
                content.threads().stream().mapToInt(t -> t.messages().size()).sum(),
                content.documents().size(),
                sent,
                "sent".equals(done)
                        ? words.sent_done()
                        : ("not-sent".equals(done) ? words.sent_failed() : null),
                "not-sent".equals(done));
    }

    /**
     * Everything the caller may see as a FHIR R4 Bundle (type collection): messages with their
     * attachments inline, visit documents, and the resources they reference ({@link HealthRecord}).
     */
    @GET
    @Path("bundle")
    @Produces("application/fhir+json")
    public Response bundle() {
        Actor actor = actingPatient();
        HealthRecord.Content content = record.bundle(actor);
        Log.infof(
                "health record downloaded by=%s patientId=%s format=fhir entries=%d",
                actor.logId(), actor.patientId(), content.bundle().getEntry().size());
        audit.record(
                actor,
                AuditEntry.of(AuditAction.DOWNLOAD)
                        .on("Bundle", null)
                        .patient(actor.patientId())
                        .practice(actor.practiceId())
                        .reason("health-record-fhir"));
        // Blue Button: the patient (or their proxy) downloaded their health information
        // (docs/measures.md §5.2, PEA-S2-M2);
        // an empty record showed nothing and does not count
        informationShown.fire(
                new PatientInformationShown(
                        actor, PatientInformationShown.Action.DOWNLOAD, content.items()));
        return Response.ok(
                        fhir.newJsonParser()
                                .setPrettyPrint(true)
                                .encodeResourceToString(content.bundle()))
                .type("application/fhir+json;charset=utf-8")
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"bluepost-health-record-" + today(actor) + ".json\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The record as a page made for printing (and for "save as PDF"): visit documents, messages and the attachments they carry. */
    @GET
    @Path("print")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance print() {
        Actor actor = actingPatient();
        HealthRecord.Content content = record.summary(actor);
        List<PrintedThread> threads =
                content.threads().stream()
                        .map(t -> new PrintedThread(t, format.lines(t, actor)))
                        .toList();
        Log.infof(
                "health record printed by=%s patientId=%s threads=%d",
                actor.logId(), actor.patientId(), threads.size());
        audit.record(
                actor,
                AuditEntry.of(AuditAction.PRINT)
                        .on("Bundle", null)
                        .patient(actor.patientId())
                        .practice(actor.practiceId())
                        .reason("health-record"));
        informationShown.fire(
                new PatientInformationShown(
                        actor, PatientInformationShown.Action.VIEW, content.items()));
        return Templates.print(
                patientName(actor),
                format.when(clock.instant(), actor.practiceId()),
                threads,
                documentRows(content.documents(), actor),
                format);
    }

    /** The printable page's content as a PDF file. */
    @GET
    @Path("pdf")
    @Produces("application/pdf")
    public Response pdf() {
        Actor actor = actingPatient();
        HealthRecord.Content content = record.summary(actor);
        PatientMessages p = reader.messages(PatientMessages.class);
        List<HealthRecordPdf.ThreadBlock> threads =
                content.threads().stream()
                        .map(
                                t ->
                                        new HealthRecordPdf.ThreadBlock(
                                                t.topic() != null
                                                        ? t.topic()
                                                        : format.category(t.category()),
                                                format.category(t.category())
                                                        + " · "
                                                        + p.print_started(
                                                                format.when(
                                                                        t.createdAt(),
                                                                        t.practiceId()))
                                                        + (t.status().equals("open")
                                                                ? ""
                                                                : " · " + p.print_closed()),
                                                format.lines(t, actor)))
                        .toList();
        byte[] pdf =
                HealthRecordPdf.render(
                        patientName(actor),
                        format.when(clock.instant(), actor.practiceId()),
                        documentRows(content.documents(), actor).stream()
                                .map(
                                        d ->
                                                new HealthRecordPdf.DocumentLine(
                                                        d.title(), d.available()))
                                .toList(),
                        threads,
                        p,
                        reader.messages(BlueButtonMessages.class));
        Log.infof(
                "health record downloaded by=%s patientId=%s format=pdf threads=%d",
                actor.logId(), actor.patientId(), threads.size());
        audit.record(
                actor,
                AuditEntry.of(AuditAction.DOWNLOAD)
                        .on("Bundle", null)
                        .patient(actor.patientId())
                        .practice(actor.practiceId())
                        .reason("health-record-pdf"));
        informationShown.fire(
                new PatientInformationShown(
                        actor, PatientInformationShown.Action.DOWNLOAD, content.items()));
        return Response.ok(pdf)
                .type("application/pdf")
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"bluepost-health-record-" + today(actor) + ".pdf\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The form to send a copy to a third party. */
    @GET
    @Path("send")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance sendForm() {
        Actor actor = actingPatient();
        return sendPage(actor, "direct", "record", "", FormErrors.none());
    }

    /**
     * Sends a copy: {@code method} direct or email, {@code what} "record" or a visit document's id,
     * {@code confirm} "yes" (required for e-mail). Refusals show the form again on the field.
     */
    @POST
    @Path("send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response send(
            @FormParam("method") String method,
            @FormParam("what") String what,
            @FormParam("address") String address,
            @FormParam("confirm") String confirm) {
        Actor actor = actingPatient();
        String how = "email".equals(method) ? "email" : "direct";
        String chosen = what == null || what.isBlank() ? "record" : what;
        UUID documentId = null;
        if (!"record".equals(chosen)) {
            documentId = Ids.parse(chosen).orElse(null);
            if (documentId == null) {
                return refused(
                        actor,
                        how,
                        "record",
                        address,
                        FormErrors.field(
                                "what", reader.messages(BlueButtonMessages.class).error_what()));
            }
        }
        try {
            Transmission sent =
                    transmits.transmit(
                            actor,
                            documentId,
                            "email".equals(how)
                                    ? Transmission.Method.EMAIL
                                    : Transmission.Method.DIRECT,
                            address,
                            "yes".equals(confirm));
            boolean ok = sent.status == Transmission.Status.SENT;
            return Response.seeOther(URI.create(PATH + "#sent"))
                    .cookie(Flash.next(PATH, ok ? "sent" : "not-sent", security.secureCookies()))
                    .build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            String text = e.in(reader.language());
            return refused(
                    actor,
                    how,
                    chosen,
                    address,
                    e.field()
                            .map(f -> FormErrors.field(f, text))
                            .orElseGet(() -> FormErrors.form(text)));
        }
    }

    private Response refused(
            Actor actor, String how, String what, String address, FormErrors errors) {
        return Response.status(422)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(sendPage(actor, how, what, address == null ? "" : address, errors).render())
                .header("Cache-Control", "no-store")
                .build();
    }

    private TemplateInstance sendPage(
            Actor actor, String how, String what, String address, FormErrors errors) {
        HealthRecord.Content content = record.summary(actor);
        return Templates.send(
                patientName(actor),
                actor.relatedPersonId() != null,
                documentRows(content.documents(), actor),
                transmits.directAvailable(),
                new SendForm(how, what, address, errors));
    }

    private List<DocumentRow> documentRows(
            List<VisitDocumentService.DocumentSummary> documents, Actor actor) {
        ZoneId zone = directory.zoneOf(actor.practiceId());
        DateTimeFormatter date =
                DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(reader.locale());
        return documents.stream()
                .map(
                        d ->
                                new DocumentRow(
                                        d.id(),
                                        d.title(),
                                        date.format(d.availableAt().atZone(zone))))
                .toList();
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
