package dev.bluepost.messaging.fhir;

import dev.bluepost.fhir.FhirJson;
import dev.bluepost.fhir.FhirMediaTypes;
import dev.bluepost.messaging.AttachmentDownloads;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageViews.AttachmentContent;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * {@code GET /fhir/Binary/{id}}: an attachment's bytes for system clients, practices' backend clients
 * (their practice's) and patient apps (their patient's messages', with a scope that reads messages). FHIR's rule for Binary:
 * a client that asks for FHIR JSON ({@code Accept: application/fhir+json} or {@code application/json},
 * or {@code _format=json}) gets a Binary resource with the base64 data; any other client gets the
 * raw bytes with their detected {@code Content-Type}.
 */
@Path("/fhir/Binary")
@RolesAllowed({Roles.SYSTEM, Roles.PRACTICE_CLIENT, Roles.PATIENT, Roles.PROXY})
public class BinaryResource {

    @Inject MessageReading reading;

    @Inject CurrentActor currentActor;

    @Inject FhirJson json;

    @Inject dev.bluepost.fhir.FhirAccessPolicy policy;

    @GET
    @Path("{id}")
    public Response read(
            @PathParam("id") String id,
            @HeaderParam("Accept") String accept,
            @QueryParam("_format") String format,
            @QueryParam("_pretty") String pretty) {
        UUID attachmentId =
                Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Binary", id));
        // who may read an attachment, with which scope: the API's one policy; whose attachment: the
        // thread's access, below
        policy.check(
                dev.bluepost.fhir.FhirAccessPolicy.Interaction.READ,
                "Binary",
                currentActor.get(),
                currentActor.scopes());
        boolean wantsJson;
        if (format != null && !format.isBlank()) {
            if (!format.contains("json")) {
                throw new BluepostException(
                        ErrorKind.NOT_ACCEPTABLE, "Binary is served as raw bytes or as FHIR JSON.");
            }
            wantsJson = true;
        } else {
            wantsJson =
                    accept != null
                            && (accept.contains(FhirMediaTypes.FHIR_JSON)
                                    || accept.contains(FhirMediaTypes.JSON));
        }
        AttachmentContent file = reading.attachment(attachmentId, currentActor.get());
        if (!wantsJson) {
            return AttachmentDownloads.of(file);
        }
        return Response.ok(json.write(BinaryHandler.toResource(file), "true".equals(pretty)))
                .type(FhirMediaTypes.FHIR_JSON_UTF8)
                .tag(new EntityTag("1", true))
                .header("Cache-Control", "no-store")
                .build();
    }
}
