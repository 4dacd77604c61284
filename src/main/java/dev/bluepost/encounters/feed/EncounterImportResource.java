package dev.bluepost.encounters.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.encounters.feed.EncounterImportService.JobView;
import dev.bluepost.encounters.feed.EncounterImportService.Source;
import dev.bluepost.fhir.FhirJson;
import dev.bluepost.fhir.FhirMediaTypes;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * {@code POST /fhir/Encounter/$import} for system clients: the body is NDJSON of FHIR Encounters
 * ({@code Content-Type: application/fhir+ndjson}), streamed to disk; the answer is 202 with
 * {@code Content-Location} naming the job's status, {@code GET /fhir/Encounter/$import/{job}}: 202
 * with {@code X-Progress} while it runs, 200 once it has finished, the job as JSON either way
 * (the line errors by line number included). The path is a pattern ({@code $} is a
 * regular-expression anchor in a JAX-RS path, and clients may send it as {@code %24}) that no
 * resource id matches, so {@code /fhir/Encounter/{id}} stays the FHIR read; anything but
 * {@code $import} is a 404.
 */
@Path("/fhir/Encounter/{operation: [^/]*import}")
@RolesAllowed(Roles.SYSTEM)
public class EncounterImportResource {

    static final Set<String> NDJSON =
            Set.of("application/fhir+ndjson", "application/ndjson", "application/x-ndjson");

    @Inject EncounterImportService imports;

    @Inject CurrentActor currentActor;

    @Inject FhirJson fhirJson;

    @Inject ObjectMapper json;

    @Inject UriInfo uriInfo;

    /** No {@code @Consumes}: the media type is checked here, after the caller's role (a 415 tells nothing to a stranger). */
    @POST
    public Response submit(
            @PathParam("operation") String operation,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        checkOperation(operation);
        String type =
                contentType == null
                        ? ""
                        : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!NDJSON.contains(type)) {
            throw new BluepostException(
                    ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                    "Send the encounters as NDJSON: Content-Type: application/fhir+ndjson, one Encounter resource per line.");
        }
        UUID job = imports.submit(body, null, Source.FHIR, currentActor.get());
        String status =
                uriInfo.getBaseUri().toString().replaceAll("/$", "")
                        + "/fhir/Encounter/$import/"
                        + job;
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics(
                        "Import accepted as job " + job + "; its status is at " + status + ".");
        return Response.accepted(fhirJson.write(outcome))
                .type(FhirMediaTypes.FHIR_JSON_UTF8)
                .header("Content-Location", status)
                .build();
    }

    @GET
    @Path("{job}")
    public Response status(@PathParam("operation") String operation, @PathParam("job") String job) {
        checkOperation(operation);
        JobView view = imports.job(EncounterImportPage.jobId(job), currentActor.get());
        String body;
        try {
            body = json.writeValueAsString(EncounterImportService.JobStatus.of(view));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job status not written", e);
        }
        Response.ResponseBuilder response =
                view.finished()
                        ? Response.ok(body)
                        : Response.accepted(body)
                                .header(
                                        "X-Progress",
                                        view.percent() + " % (" + view.linesRead() + " lines read)")
                                .header("Retry-After", "2");
        return response.type(FhirMediaTypes.JSON).build();
    }

    private static void checkOperation(String operation) {
        if (!"$import".equals(operation) && !"%24import".equalsIgnoreCase(operation)) {
            throw BluepostException.notFound("operation", operation);
        }
    }
}
