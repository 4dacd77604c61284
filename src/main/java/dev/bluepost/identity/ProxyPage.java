package dev.bluepost.identity;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.CurrentActor;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** A proxy picks which authorizing patient they act for in this session. */
@Path("/proxy")
@RolesAllowed(Roles.PROXY)
public class ProxyPage {

    public record Choice(UUID relatedPersonId, String patientName, String relationship) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance choose(List<Choice> choices);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    IdentityService identities;

    @Inject
    SessionService sessions;

    @Inject
    DirectoryService directory;

    @GET
    @Path("choose")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance choose() {
        List<ProxyView> authorizations = identities.activeAuthorizations(currentActor.get().userId());
        List<Choice> choices = authorizations.stream()
                .map(a -> new Choice(a.id(), directory.patient(a.patientId()).map(PatientView::displayName).orElse("Patient"),
                        a.relationship()))
                .toList();
        return Templates.choose(choices);
    }

    @POST
    @Path("choose")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(@FormParam("relatedPerson") UUID relatedPersonId) {
        boolean allowed = relatedPersonId != null && identities.activeAuthorizations(currentActor.get().userId()).stream()
                .anyMatch(a -> a.id().equals(relatedPersonId));
        if (!allowed) {
            throw BluepostException.forbidden("You are not (or no longer) authorized to act for that patient.");
        }
        sessions.actFor(currentActor.sessionId(), relatedPersonId);
        return Response.seeOther(URI.create("/patient")).build();
    }
}
