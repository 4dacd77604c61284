package dev.bluepost.directory;

import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
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
import java.util.List;
import java.util.UUID;

/** The practice admin adds, edits, deactivates and reactivates the practice's practitioners (ADR 0042). */
@Path("/admin/practitioners")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class PractitionersPage {

    /** What the form says (shown again when it is refused). */
    public record Form(String id, String name, String npi, boolean active) {
        static final Form EMPTY = new Form(null, "", "", true);
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance practitioners(
                List<PractitionerView> practitioners, boolean saved);

        static native TemplateInstance practitioner(Form form, FormErrors errors);
    }

    @Inject CurrentActor currentActor;

    @Inject DirectoryService directory;

    @Inject DirectoryAdministration administration;

    @Inject ReaderLanguage reader;

    @Inject RoutingContext routing;

    @GET
    public TemplateInstance list() {
        return Templates.practitioners(
                directory.practitionersOfPractice(currentActor.get().practiceId()),
                DirectoryForms.takeSaved(routing));
    }

    @GET
    @Path("new")
    public TemplateInstance newForm() {
        return Templates.practitioner(Form.EMPTY, FormErrors.none());
    }

    @GET
    @Path("{id}")
    public TemplateInstance edit(@PathParam("id") String id) {
        PractitionerView p = own(DirectoryForms.id(id));
        return Templates.practitioner(
                new Form(
                        p.id().toString(),
                        p.displayName(),
                        p.npi() == null ? "" : p.npi(),
                        p.active()),
                FormErrors.none());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("name") String name, @FormParam("npi") String npi) {
        return save(null, name, npi, true);
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(
            @PathParam("id") String id,
            @FormParam("name") String name,
            @FormParam("npi") String npi) {
        PractitionerView p = own(DirectoryForms.id(id));
        return save(p.id(), name, npi, p.active());
    }

    @POST
    @Path("{id}/deactivate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deactivate(@PathParam("id") String id) {
        administration.setPractitionerActive(currentActor.get(), DirectoryForms.id(id), false);
        return DirectoryForms.saved("/admin/practitioners");
    }

    @POST
    @Path("{id}/reactivate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reactivate(@PathParam("id") String id) {
        administration.setPractitionerActive(currentActor.get(), DirectoryForms.id(id), true);
        return DirectoryForms.saved("/admin/practitioners");
    }

    private Response save(UUID id, String name, String npi, boolean active) {
        try {
            administration.savePractitioner(currentActor.get(), id, name, npi);
            return DirectoryForms.saved("/admin/practitioners");
        } catch (BluepostException refused) {
            Form form =
                    new Form(
                            id == null ? null : id.toString(),
                            name == null ? "" : name,
                            npi == null ? "" : npi,
                            active);
            return Response.status(refused.kind().status())
                    .entity(Templates.practitioner(form, DirectoryForms.errors(refused, reader)))
                    .type(MediaType.TEXT_HTML)
                    .build();
        }
    }

    private PractitionerView own(UUID id) {
        return directory.practitionersOfPractice(currentActor.get().practiceId()).stream()
                .filter(p -> p.id().equals(id))
                .findFirst()
                .orElseThrow(
                        () ->
                                DirectoryAdministration.refused(
                                        dev.bluepost.platform.errors.ErrorKind.NOT_FOUND,
                                        null,
                                        DirectoryMessages::error_not_found));
    }
}
