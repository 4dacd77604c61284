package dev.bluepost.identity;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
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
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The front desk invites a patient of its practice to the portal (ADR 0041), from the online-access
 * page: {@code GET …/invite} shows the patient and the choices (e-mail too, the letter's language),
 * {@code POST …/invite} issues the code and answers the printable letter, the only place the code is
 * ever shown.
 */
@Path("/staff/online-access/{patient}/invite")
@RolesAllowed({Roles.FRONT_DESK, Roles.PROVIDER})
@Produces(MediaType.TEXT_HTML)
public class InvitePage {

    /** A language the letter can be written in; {@code chosen} is preselected. */
    public record LanguageChoice(String tag, String name, boolean chosen) {}

    /** The letter's words, all in the letter's language. */
    public record Letter(
            String lang,
            String heading,
            String forName,
            String intro,
            String stepOpen,
            String link,
            String stepCode,
            String code,
            String stepChoose,
            String valid) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance invite(
                UUID patientId,
                String name,
                String born,
                String refusal,
                boolean hasEmail,
                List<LanguageChoice> languages,
                long days,
                FormErrors errors);

        static native TemplateInstance letter(String name, boolean emailed, Letter letter);
    }

    @Inject CurrentActor currentActor;

    @Inject ActivationService activations;

    @Inject DirectoryService directory;

    @Inject ReaderLanguage reader;

    @Inject SecurityConfig config;

    @ConfigProperty(name = "bluepost.notifications.public-url")
    String publicUrl;

    @GET
    public Response form(@PathParam("patient") String patient) {
        Actor actor = currentActor.get();
        UUID id = patientId(patient);
        PatientView view = patientOfPractice(actor, id);
        String refusal = null;
        try {
            activations.invitable(actor, id);
        } catch (BluepostException e) {
            if (e.kind().status() == 404) {
                throw e;
            }
            refusal = e.in(reader.language());
        }
        return html(200, page(view, refusal, reader.language(), FormErrors.none()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response issue(
            @PathParam("patient") String patient,
            @FormParam("email") String email,
            @FormParam("language") String language) {
        Actor actor = currentActor.get();
        UUID id = patientId(patient);
        PatientView view = patientOfPractice(actor, id);
        Language letterLanguage = Language.fromTag(language).orElse(reader.language());
        ActivationService.Issued issued;
        try {
            issued =
                    activations.issue(
                            actor, id, "on".equals(email) || "true".equals(email), letterLanguage);
        } catch (BluepostException e) {
            if (e.kind().status() == 404) {
                throw e;
            }
            FormErrors errors = AccountErrors.of(e, reader);
            boolean fieldError = e.field().isPresent();
            return html(
                    e.kind().status(),
                    page(
                            view,
                            fieldError ? null : errors.getForm(),
                            letterLanguage,
                            fieldError ? errors : FormErrors.none()));
        }
        EnrolMessages words = letterLanguage.messages(EnrolMessages.class);
        String link = publicUrl.strip().replaceAll("/+$", "") + "/activate";
        String day =
                PracticeTimeFormat.longDay(
                        LocalDate.ofInstant(issued.expiresAt(), issued.zone()),
                        letterLanguage.locale());
        Letter letter =
                new Letter(
                        letterLanguage.tag(),
                        words.letter_heading(),
                        words.letter_for(issued.patientName()),
                        words.letter_intro(issued.practiceName()),
                        words.letter_step_open(),
                        link,
                        words.letter_step_code(),
                        issued.code(),
                        words.letter_step_choose(),
                        words.letter_valid(day));
        return Response.ok(
                        Templates.letter(issued.patientName(), issued.emailed(), letter).render())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                // the code is on this page only: never kept by the browser or a proxy
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private TemplateInstance page(
            PatientView patient, String refusal, Language chosen, FormErrors errors) {
        PracticeTimeFormat time =
                PracticeTimeFormat.of(directory.zoneOf(patient.practiceId()), reader.locale());
        List<LanguageChoice> languages =
                Arrays.stream(Language.values())
                        .map(l -> new LanguageChoice(l.tag(), l.ownName(), l == chosen))
                        .toList();
        return Templates.invite(
                patient.id(),
                patient.displayName(),
                time.day(patient.birthDate()),
                refusal,
                activations.addressOf(patient.id()).isPresent(),
                languages,
                config.activation().codeLifetime().toDays(),
                errors);
    }

    private PatientView patientOfPractice(Actor actor, UUID id) {
        if (actor.practiceId() == null) {
            throw BluepostException.said(
                    ErrorKind.FORBIDDEN, EnrolMessages.class, EnrolMessages::error_no_practice);
        }
        return directory
                .patient(id)
                .filter(p -> actor.practiceId().equals(p.practiceId()))
                .orElseThrow(() -> BluepostException.notFound("Patient", id));
    }

    private static UUID patientId(String patient) {
        return Ids.parse(patient).orElseThrow(() -> BluepostException.notFound("Patient", patient));
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render())
                .header("Cache-Control", "no-store")
                .build();
    }
}
