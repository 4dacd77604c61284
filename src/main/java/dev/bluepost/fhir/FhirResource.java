package dev.bluepost.fhir;

import dev.bluepost.fhir.FhirAccessPolicy.Interaction;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR R4 REST API under {@code /fhir} ({@code docs/fhir.md}). JSON only.
 * Every interaction except {@code metadata} needs a bearer token: a system client's, or a patient
 * app's (a patient or proxy). Who may do what is decided by {@link FhirAccessPolicy}; what each
 * resource type allows by its feature's handler.
 */
@Path("/fhir")
@Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON})
public class FhirResource {

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");

    @Inject FhirJson json;

    @Inject FhirOperations operations;

    @Inject TransactionProcessor transactions;

    @Inject CapabilityStatementFactory capabilities;

    @Inject CurrentActor currentActor;

    @Inject FhirAccessPolicy policy;

    @Inject UriInfo uriInfo;

    @GET
    @Path("metadata")
    @PermitAll
    public Response metadata(
            @QueryParam("_format") String format, @QueryParam("_pretty") String pretty) {
        return ok(capabilities.build(baseUrl()), format, pretty);
    }

    @POST
    @RolesAllowed({Roles.SYSTEM, Roles.PATIENT, Roles.PROXY, Roles.PRACTICE_CLIENT})
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON})
    public Response transaction(
            String body,
            @QueryParam("_format") String format,
            @QueryParam("_pretty") String pretty) {
        Actor actor = allowed(Interaction.TRANSACTION, "Bundle");
        Bundle bundle = json.parse(body, Bundle.class);
        return ok(transactions.process(bundle, actor, baseUrl()), format, pretty);
    }

    @GET
    @Path("{type}")
    @RolesAllowed({Roles.SYSTEM, Roles.PATIENT, Roles.PROXY, Roles.PRACTICE_CLIENT})
    public Response search(
            @PathParam("type") String type,
            @QueryParam("_format") String format,
            @QueryParam("_pretty") String pretty) {
        checkType(type);
        Actor actor = allowed(Interaction.SEARCH, type);
        SearchQuery query = SearchQuery.from(queryParameters(uriInfo.getQueryParameters()));
        return ok(
                Bundles.searchset(type, operations.search(type, query, actor), query, baseUrl()),
                format,
                pretty);
    }

    @POST
    @Path("{type}/_search")
    @RolesAllowed({Roles.SYSTEM, Roles.PATIENT, Roles.PROXY, Roles.PRACTICE_CLIENT})
    @Consumes("application/x-www-form-urlencoded")
    public Response searchByPost(
            @PathParam("type") String type,
            MultivaluedMap<String, String> form,
            @QueryParam("_format") String format,
            @QueryParam("_pretty") String pretty) {
        checkType(type);
        Actor actor = allowed(Interaction.SEARCH, type);
        Map<String, List<String>> all = queryParameters(uriInfo.getQueryParameters());
        form.forEach((k, v) -> all.computeIfAbsent(k, x -> new java.util.ArrayList<>()).addAll(v));
        SearchQuery query = SearchQuery.from(all);
        return ok(
                Bundles.searchset(type, operations.search(type, query, actor), query, baseUrl()),
                format,
                pretty);
    }

    @POST
    @Path("{type}")
    @RolesAllowed({Roles.SYSTEM, Roles.PATIENT, Roles.PROXY, Roles.PRACTICE_CLIENT})
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON})
    public Response create(
            @PathParam("type") String type,
            String body,
            @HeaderParam("If-None-Exist") String ifNoneExist,
            @HeaderParam("Prefer") String prefer,
            @QueryParam("_format") String format,
            @QueryParam("_pretty") String pretty) {
        checkType(type);
        Actor actor = allowed(Interaction.CREATE, type);
        Resource resource = json.parse(body);
        if (!resource.fhirType().equals(type)) {
            throw BluepostException.malformed(
                    "The body is a " + resource.fhirType() + " but the URL names " + type + ".");
        }
        Stored<? extends Resource> stored = operations.create(resource, ifNoneExist, actor);
        return written(stored, stored.created() ? 201 : 200, prefer, format, pretty);
    }

    @GET
    @Path("{type}/{id}")
    @RolesAllowed({Roles.SYSTEM, Roles.PATIENT, Roles.PROXY, Roles.PRACTICE_CLIENT})
    public Response read(
            @PathParam("type") String type,
            @PathParam("id") String id,
            @QueryParam("_format") String format,
            @QueryParam("_pretty") String pretty) {
        checkType(type);
        Resource resource = operations.read(type, id, allowed(Interaction.READ, type));
        return withVersion(Response.ok(render(resource, format, pretty)), resource).build();
    }

    @PUT
    @Path("{type}/{id}")
    @RolesAllowed({Roles.SYSTEM, Roles.PATIENT, Roles.PROXY, Roles.PRACTICE_CLIENT})
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON})
    public Response update(
            @PathParam("type") String type,
            @PathParam("id") String id,
            String body,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Prefer") String prefer,
            @QueryParam("_format") String format,
            @QueryParam("_pretty") String pretty) {
        checkType(type);
        Actor actor = allowed(Interaction.UPDATE, type);
        Resource resource = json.parse(body);
        Stored<? extends Resource> stored = operations.update(type, id, resource, ifMatch, actor);
        return written(stored, stored.created() ? 201 : 200, prefer, format, pretty);
    }

    /** The caller, once {@link FhirAccessPolicy} has allowed the interaction (403 otherwise). */
    private Actor allowed(Interaction interaction, String type) {
        Actor actor = currentActor.get();
        policy.check(interaction, type, actor, currentActor.scopes());
        return actor;
    }

    private Response written(
            Stored<? extends Resource> stored,
            int status,
            String prefer,
            String format,
            String pretty) {
        Resource resource = stored.resource();
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        Response.ResponseBuilder response = Response.status(status);
        if (status == 201) {
            response.location(
                    URI.create(
                            baseUrl()
                                    + type
                                    + "/"
                                    + id
                                    + "/_history/"
                                    + resource.getMeta().getVersionId()));
        }
        if (prefer == null || !prefer.replace(" ", "").contains("return=minimal")) {
            response.entity(render(resource, format, pretty)).type(FhirMediaTypes.FHIR_JSON_UTF8);
        }
        return withVersion(response, resource).build();
    }

    private Response ok(IBaseResource resource, String format, String pretty) {
        return Response.ok(render(resource, format, pretty))
                .type(FhirMediaTypes.FHIR_JSON_UTF8)
                .build();
    }

    private static Response.ResponseBuilder withVersion(
            Response.ResponseBuilder response, Resource resource) {
        if (resource.getMeta().hasVersionId()) {
            response.tag(new EntityTag(resource.getMeta().getVersionId(), true));
        }
        if (resource.getMeta().hasLastUpdated()) {
            response.lastModified(resource.getMeta().getLastUpdated());
        }
        return response.type(FhirMediaTypes.FHIR_JSON_UTF8);
    }

    private String render(IBaseResource resource, String format, String pretty) {
        if (format != null
                && !format.isBlank()
                && !format.equals("json")
                && !format.contains("json")) {
            throw new BluepostException(
                    ErrorKind.NOT_ACCEPTABLE,
                    "Only JSON is served (_format=" + format + " is not).");
        }
        return json.write(resource, "true".equals(pretty));
    }

    private static void checkType(String type) {
        if (!TYPE.matcher(type).matches()) {
            throw new BluepostException(
                    ErrorKind.NOT_FOUND, "'" + type + "' is not a FHIR resource type.");
        }
    }

    private String baseUrl() {
        return FhirBase.of(uriInfo.getBaseUri());
    }

    private static Map<String, List<String>> queryParameters(MultivaluedMap<String, String> query) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        query.forEach((k, v) -> copy.put(k, new java.util.ArrayList<>(v)));
        return copy;
    }
}
