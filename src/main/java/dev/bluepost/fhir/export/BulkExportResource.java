package dev.bluepost.fhir.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bluepost.fhir.FhirBase;
import dev.bluepost.fhir.FhirJson;
import dev.bluepost.fhir.FhirMediaTypes;
import dev.bluepost.fhir.export.BulkExportService.ExportView;
import dev.bluepost.fhir.export.BulkExportService.FileView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * FHIR Bulk Data export (IG 2.0; docs/fhir.md §16): the kick-offs {@code GET /fhir/Group/{id}/$export}
 * (a practice) and {@code GET /fhir/Patient/$export}, the status {@code /fhir/bulk-export/{export}}
 * (GET polls, DELETE cancels or deletes) and the files {@code /fhir/bulk-export/{export}/{file}}.
 * The operation paths are patterns, as for {@code $import} ({@code $} is a regular-expression anchor in
 * a JAX-RS path, and clients may send it as {@code %24}); anything but {@code $export} is a 404.
 * System clients and practices' backend clients only; what each may export is
 * {@code FhirAccessPolicy#exportScope}'s decision, and only the requester sees an export.
 */
@Path("/fhir")
@RolesAllowed({Roles.SYSTEM, Roles.PRACTICE_CLIENT})
public class BulkExportResource {

    static final String NDJSON = "application/fhir+ndjson";

    @Inject BulkExportService exports;

    @Inject CurrentActor currentActor;

    @Inject FhirJson fhirJson;

    @Inject ObjectMapper mapper;

    @Inject UriInfo uriInfo;

    @GET
    @Path("Group/{id}/{operation: [^/]*export}")
    public Response exportGroup(
            @PathParam("id") String id,
            @PathParam("operation") String operation,
            @HeaderParam("Prefer") String prefer,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        checkOperation(operation);
        UUID group = Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Group", id));
        return kickOff(group, prefer, accept);
    }

    @GET
    @Path("Patient/{operation: [^/]*export}")
    public Response exportPatients(
            @PathParam("operation") String operation,
            @HeaderParam("Prefer") String prefer,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        checkOperation(operation);
        return kickOff(null, prefer, accept);
    }

    private Response kickOff(UUID group, String prefer, String accept) {
        List<String> preferences =
                prefer == null
                        ? List.of()
                        : List.of(prefer.toLowerCase(Locale.ROOT).replace(" ", "").split("[,;]"));
        if (!preferences.contains("respond-async")) {
            throw BluepostException.malformed(
                    "A bulk export runs in the background: send Prefer: respond-async.");
        }
        if (accept != null && !accept.isBlank() && !acceptsFhirJson(accept)) {
            throw BluepostException.malformed(
                    "Send Accept: application/fhir+json (the status and errors are FHIR JSON).");
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        uriInfo.getQueryParameters().forEach((k, v) -> parameters.put(k, List.copyOf(v)));
        UUID id =
                exports.kickOff(
                        new BulkExportService.Request(
                                group,
                                parameters,
                                preferences.contains("handling=lenient"),
                                uriInfo.getRequestUri()
                                        .toString()
                                        .replaceFirst("(?i)/%24export", "/\\$export")),
                        currentActor.get());
        String status = statusUrl(id);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("Export accepted; its status is at " + status + ".");
        return Response.accepted(fhirJson.write(outcome))
                .type(FhirMediaTypes.FHIR_JSON_UTF8)
                .header("Content-Location", status)
                .build();
    }

    private static boolean acceptsFhirJson(String accept) {
        for (String part : accept.split(",")) {
            String type = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (type.equals(FhirMediaTypes.FHIR_JSON)
                    || type.equals(FhirMediaTypes.JSON)
                    || type.equals("*/*")
                    || type.equals("application/*")) {
                return true;
            }
        }
        return false;
    }

    /** 202 with X-Progress and Retry-After while it runs; 200 and the manifest when done; 500 when it failed. */
    @GET
    @Path("bulk-export/{export}")
    public Response status(@PathParam("export") String export) {
        ExportView view = exports.status(exportId(export), currentActor.get());
        return switch (view.state()) {
            case QUEUED, RUNNING ->
                    Response.accepted()
                            .header("X-Progress", view.progress())
                            .header("Retry-After", "2")
                            .build();
            case FAILED -> {
                OperationOutcome outcome = new OperationOutcome();
                outcome.addIssue()
                        .setSeverity(OperationOutcome.IssueSeverity.FATAL)
                        .setCode(OperationOutcome.IssueType.EXCEPTION)
                        .setDiagnostics(
                                "The export failed (" + view.progress() + "); start it again.");
                yield Response.serverError()
                        .entity(fhirJson.write(outcome))
                        .type(FhirMediaTypes.FHIR_JSON_UTF8)
                        .build();
            }
            case COMPLETED ->
                    Response.ok(manifest(view))
                            .type(FhirMediaTypes.JSON)
                            .header("Expires", java.util.Date.from(view.expiresAt()))
                            .build();
        };
    }

    private String manifest(ExportView view) {
        ObjectNode manifest = mapper.createObjectNode();
        manifest.put("transactionTime", view.transactionTime().toString());
        manifest.put("request", view.requestUrl());
        manifest.put("requiresAccessToken", true);
        ArrayNode output = manifest.putArray("output");
        ArrayNode error = manifest.putArray("error");
        for (FileView file : view.files()) {
            ObjectNode entry = (file.error() ? error : output).addObject();
            entry.put("type", file.type());
            entry.put("url", statusUrl(view.id()) + "/" + file.id());
            entry.put("count", file.lines());
        }
        try {
            return mapper.writeValueAsString(manifest);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("manifest not written", e);
        }
    }

    @DELETE
    @Path("bulk-export/{export}")
    public Response delete(@PathParam("export") String export) {
        exports.delete(exportId(export), currentActor.get());
        return Response.accepted().build();
    }

    /** The NDJSON file, streamed from the database chunk by chunk; only to the requester. */
    @GET
    @Path("bulk-export/{export}/{file}")
    public Response file(@PathParam("export") String export, @PathParam("file") String file) {
        UUID fileId =
                Ids.parse(file).orElseThrow(() -> BluepostException.notFound("export file", file));
        FileView view = exports.file(exportId(export), fileId, currentActor.get());
        StreamingOutput body = out -> exports.write(view.id(), out);
        return Response.ok(body).type(NDJSON).build();
    }

    private UUID exportId(String export) {
        return Ids.parse(export).orElseThrow(() -> BluepostException.notFound("export", export));
    }

    private String statusUrl(UUID id) {
        return FhirBase.of(uriInfo.getBaseUri()) + "bulk-export/" + id;
    }

    private static void checkOperation(String operation) {
        if (!"$export".equals(operation) && !"%24export".equalsIgnoreCase(operation)) {
            throw BluepostException.notFound("operation", operation);
        }
    }
}
