package dev.bluepost.measurement.fhir;

import dev.bluepost.fhir.FhirJson;
import dev.bluepost.fhir.FhirMediaTypes;
import dev.bluepost.measurement.MeasurementService;
import dev.bluepost.measurement.MeasurementService.ReportRequest;
import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.measurement.engine.MeasurePolicies;
import dev.bluepost.measurement.engine.ReportingPeriod;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.LocalDate;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MeasureReport;

/**
 * {@code GET /fhir/Measure/{id}} and {@code GET /fhir/Measure/{id}/$evaluate-measure} exactly as
 * docs/fhir.md §14 describes: one MeasureReport for {@code practitioner=Practitioner/{id}}, otherwise a
 * collection Bundle with one per EP the caller may see ({@code organization} narrows it);
 * {@code reportType} summary (default) or subject-list; the policy flags of docs/measures.md §9.11 as parameters.
 */
@Path("/fhir/Measure/{id}")
@Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON})
@RolesAllowed({Roles.SYSTEM, Roles.PRACTICE_CLIENT})
public class MeasureResource {

    @Inject MeasurementService measurement;

    @Inject CurrentActor currentActor;

    @Inject FhirJson json;

    @Inject UriInfo uriInfo;

    @GET
    public Response read(@PathParam("id") String id) {
        requireScope("Measure");
        return ok(MeasureReports.measure(MeasurementService.measure(id)));
    }

    /** {@code $evaluate-measure} (a literal {@code $} in a JAX-RS path is a regular-expression anchor, hence the check). */
    @GET
    @Path("{operation}")
    public Response evaluate(
            @PathParam("id") String id,
            @PathParam("operation") String operation,
            @QueryParam("periodStart") String periodStart,
            @QueryParam("periodEnd") String periodEnd,
            @QueryParam("practitioner") String practitioner,
            @QueryParam("organization") String organization,
            @QueryParam("reportType") String reportType,
            @QueryParam("attestationDate") String attestationDate) {
        if (!"$evaluate-measure".equals(operation)) {
            throw BluepostException.notFound("operation", operation);
        }
        requireScope("MeasureReport");
        MeasureId measure = MeasurementService.measure(id);
        ReportingPeriod period = ReportingPeriod.parse(periodStart, periodEnd);
        boolean subjectList =
                switch (reportType == null || reportType.isBlank() ? "summary" : reportType) {
                    case "summary" -> false;
                    case "subject-list" -> true;
                    default ->
                            throw BluepostException.malformed(
                                    "reportType must be summary or subject-list.");
                };
        MeasurePolicies policies =
                MeasurePolicies.from(name -> uriInfo.getQueryParameters().getFirst(name));
        UUID practitionerId = reference(practitioner, "Practitioner");
        UUID organizationId = reference(organization, "Organization");
        LocalDate attestation =
                attestationDate == null || attestationDate.isBlank()
                        ? null
                        : ReportingPeriod.parse(attestationDate, attestationDate).start();
        ReportRequest request =
                new ReportRequest(
                        measure, period, policies, organizationId, practitionerId, attestation);
        // a summary needs no patient lists: SM-S2 comes from the database's aggregates (ADR 0027
        // part 2)
        MeasurementService.Reports reports =
                subjectList
                        ? measurement.evaluate(request, currentActor.get())
                        : measurement.summarize(request, currentActor.get());
        if (practitionerId != null) {
            return ok(
                    MeasureReports.report(
                            reports.reports().get(0), subjectList, reports.freshness()));
        }
        Bundle bundle = new Bundle();
        bundle.setId(UUID.randomUUID().toString());
        bundle.setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(java.util.Date.from(reports.asOf()));
        for (EpMeasureReport report : reports.reports()) {
            MeasureReport resource =
                    MeasureReports.report(report, subjectList, reports.freshness());
            bundle.addEntry()
                    .setFullUrl("urn:uuid:" + resource.getIdElement().getIdPart())
                    .setResource(resource);
        }
        return ok(bundle);
    }

    /** A practice's system (ADR 0048) needs its token's scope to read {@code type}; the operator's system client needs none. */
    private void requireScope(String type) {
        if (currentActor.get().isPracticeClient()
                && !currentActor
                        .scopes()
                        .allows(type, dev.bluepost.platform.security.SmartScopes.Permission.READ)) {
            throw BluepostException.forbidden(
                    "The access token's scope does not allow to read " + type + " resources.");
        }
    }

    /** {@code Type/id} or a bare id; an id that cannot exist is a 404 like an unknown one. */
    private static UUID reference(String value, String type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String id = value.startsWith(type + "/") ? value.substring(type.length() + 1) : value;
        if (id.contains("/")) {
            throw BluepostException.malformed(
                    "The parameter " + type.toLowerCase() + " must be " + type + "/{id}.");
        }
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound(type, id));
    }

    private Response ok(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        return Response.ok(json.write(resource)).type(FhirMediaTypes.FHIR_JSON_UTF8).build();
    }
}
