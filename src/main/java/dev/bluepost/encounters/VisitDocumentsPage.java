package dev.bluepost.encounters;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The patient's visit documents (what the EHR posted as DocumentReference): the list, a page to
 * view one, and its download. A proxy sees those of the patient they act for. Every view and
 * download is audited and counts as the patient's view / download (docs/measures.md §5.2, PEA-S2-M2).
 */
@Path("/patient/documents")
@RolesAllowed({Roles.PATIENT, Roles.PROXY})
public class VisitDocumentsPage {

    /**
     * One row of the list: the times in the practice's zone (the page formats them in the reader's
     * language), the type as a {@link DocumentMessages} key ({@code type_pdf}…), the size in bytes.
     */
    public record Row(
            UUID id,
            String title,
            ZonedDateTime available,
            ZonedDateTime posted,
            String type,
            long size) {

        /** The size in whole kilobytes (rounded up), for sizes of 1 KB or more. */
        public long kilobytes() {
            return (size + 1023) / 1024;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance documents(
                String patientName, boolean proxy, List<Row> documents);

        static native TemplateInstance document(
                String patientName, boolean proxy, Row document, boolean text, String content);
    }

    @Inject CurrentActor currentActor;

    @Inject VisitDocumentService documents;

    @Inject DirectoryService directory;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list() {
        Actor actor = currentActor.get();
        List<VisitDocumentService.DocumentSummary> list = documents.documentsOf(actor);
        ZoneId zone = directory.zoneOf(actor.practiceId());
        return Templates.documents(
                patientName(actor),
                actor.relatedPersonId() != null,
                list.stream().map(d -> row(d, zone)).toList());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance view(@PathParam("id") String id) {
        Actor actor = currentActor.get();
        VisitDocumentService.OpenedDocument opened = documents.open(actor, parse(id), false);
        ZoneId zone = directory.zoneOf(actor.practiceId());
        boolean text = opened.summary().text();
        return Templates.document(
                patientName(actor),
                actor.relatedPersonId() != null,
                row(opened.summary(), zone),
                text,
                text ? opened.asText() : "");
    }

    @GET
    @Path("{id}/download")
    public Response download(@PathParam("id") String id) {
        Actor actor = currentActor.get();
        VisitDocumentService.OpenedDocument opened = documents.open(actor, parse(id), true);
        String extension =
                switch (opened.summary().contentType()) {
                    case "application/pdf" -> "pdf";
                    case "application/xml", "text/xml" -> "xml";
                    case "application/fhir+json", "application/json" -> "json";
                    default -> "txt";
                };
        return Response.ok(opened.content())
                .type(opened.summary().contentType())
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"visit-document-"
                                + opened.summary().id()
                                + "."
                                + extension
                                + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .build();
    }

    private static UUID parse(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("DocumentReference", id));
    }

    private static Row row(VisitDocumentService.DocumentSummary d, ZoneId zone) {
        return new Row(
                d.id(),
                d.title(),
                d.availableAt().atZone(zone),
                d.postedAt().atZone(zone),
                switch (d.contentType()) {
                    case "application/pdf" -> "type_pdf";
                    case "application/xml", "text/xml" -> "type_xml";
                    case "application/fhir+json", "application/json" -> "type_json";
                    default -> "type_text";
                },
                d.size());
    }

    private String patientName(Actor actor) {
        return actor.patientId() == null
                ? ""
                : directory.patient(actor.patientId()).map(p -> p.displayName()).orElse("");
    }
}
