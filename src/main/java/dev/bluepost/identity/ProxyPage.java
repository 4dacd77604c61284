package dev.bluepost.identity;

import dev.bluepost.directory.DirectoryMessages;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.directory.Relationships;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.web.Flash;
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
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A proxy picks which authorizing patient they act for in this session: each patient by name and
 * birth date, with the proxy's relationship in words ({@link ProxyMessages}), never its code.
 */
@Path("/proxy")
@RolesAllowed(Roles.PROXY)
public class ProxyPage {

    /**
     * @param relationship the relationship in plain words, in the reader's language ("mother", "legal guardian")
     */
    public record Choice(
            UUID relatedPersonId, String patientName, LocalDate birthDate, String relationship) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance choose(List<Choice> choices);
    }

    @Inject CurrentActor currentActor;

    @Inject IdentityService identities;

    @Inject SessionService sessions;

    @Inject DirectoryService directory;

    @Inject io.vertx.ext.web.RoutingContext routing;

    @Inject SecurityConfig security;

    @Inject ReaderLanguage reader;

    @GET
    @Path("choose")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance choose() {
        DirectoryMessages words = reader.messages(DirectoryMessages.class);
        List<ProxyView> authorizations =
                identities.activeAuthorizations(currentActor.get().userId());
        List<Choice> choices =
                authorizations.stream()
                        .map(
                                a -> {
                                    java.util.Optional<PatientView> patient =
                                            directory.patient(a.patientId());
                                    return new Choice(
                                            a.id(),
                                            patient.map(PatientView::displayName).orElse(""),
                                            patient.map(PatientView::birthDate).orElse(null),
                                            relationship(a.relationship(), words));
                                })
                        .toList();
        return Templates.choose(choices);
    }

    @POST
    @Path("choose")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(@FormParam("relatedPerson") UUID relatedPersonId) {
        boolean allowed =
                relatedPersonId != null
                        && identities.activeAuthorizations(currentActor.get().userId()).stream()
                                .anyMatch(a -> a.id().equals(relatedPersonId));
        if (!allowed) {
            throw notAuthorized();
        }
        sessions.actFor(currentActor.sessionId(), relatedPersonId);
        Flash.set(routing, "/patient", "acting", security.secureCookies());
        return Response.seeOther(URI.create("/patient")).build();
    }

    /** A RelatedPerson.relationship code (v3-RoleCode) in words; "family member" when none is recorded. */
    static String relationship(String code, DirectoryMessages words) {
        String said = Relationships.words(code, words);
        return said == null ? words.rel_family() : said;
    }

    /** The person has no (or no longer an) authorization to act for the patient they chose. */
    public static BluepostException notAuthorized() {
        return BluepostException.said(
                ErrorKind.FORBIDDEN, ProxyMessages.class, ProxyMessages::error_not_authorized);
    }
}
