package dev.bluepost.notification;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.IdentityService.UserView;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Every signed-in person sets where their notifications go and how often, in their language
 * ({@link NotificationPageMessages}); a refusal is shown on its field.
 */
@Path("/account/notifications")
@RolesAllowed({
    Roles.PATIENT,
    Roles.PROXY,
    Roles.PROVIDER,
    Roles.FRONT_DESK,
    Roles.COMPLIANCE,
    Roles.ADMIN
})
@Produces(MediaType.TEXT_HTML)
public class NotificationPreferencesPage {

    /** A frequency radio button. */
    public record Choice(String value, String label, String help) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance preferences(
                String email,
                String recordEmail,
                String frequency,
                List<Choice> choices,
                String notice,
                String error,
                String errorField,
                boolean saved);
    }

    @Inject CurrentActor currentActor;

    @Inject IdentityService identities;

    @Inject NotificationService notifications;

    @Inject NotificationConfig config;

    @Inject dev.bluepost.platform.i18n.ReaderLanguage language;

    @GET
    public TemplateInstance show(@QueryParam("saved") String saved) {
        Actor actor = currentActor.get();
        UserView user =
                identities
                        .user(actor.userId())
                        .orElseThrow(() -> BluepostException.forbidden("No login."));
        return page(
                actor,
                user,
                user.email() == null ? "" : user.email(),
                notifications.frequencyOf(user.id()).name(),
                null,
                null,
                saved != null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(
            @FormParam("email") String email, @FormParam("frequency") String frequency) {
        Actor actor = currentActor.get();
        UserView user =
                identities
                        .user(actor.userId())
                        .orElseThrow(() -> BluepostException.forbidden("No login."));
        try {
            notifications.savePreferences(actor, email, parse(frequency));
            return Response.seeOther(URI.create("/account/notifications?saved=1")).build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            String html =
                    page(
                                    actor,
                                    user,
                                    email == null ? "" : email,
                                    frequency == null ? "" : frequency,
                                    e.in(language.language()),
                                    e.field().orElse("email"),
                                    false)
                            .render();
            return Response.status(422)
                    .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(html)
                    .build();
        }
    }

    private TemplateInstance page(
            Actor actor,
            UserView user,
            String email,
            String frequency,
            String error,
            String errorField,
            boolean saved) {
        NotificationPageMessages words = words();
        List<Choice> choices =
                Arrays.stream(Frequency.values())
                        .map(
                                f ->
                                        switch (f) {
                                            case EACH_MESSAGE ->
                                                    new Choice(
                                                            f.name(),
                                                            words.each_label(),
                                                            words.each_help());
                                            case DAILY_DIGEST ->
                                                    new Choice(
                                                            f.name(),
                                                            words.daily_label(),
                                                            words.daily_help());
                                            case NONE ->
                                                    new Choice(
                                                            f.name(),
                                                            words.never_label(),
                                                            words.never_help());
                                        })
                        .toList();
        String recordEmail =
                user.email() == null && actor.has(Role.PATIENT)
                        ? identities.contactEmail(user.id()).orElse(null)
                        : null;
        return Templates.preferences(
                email, recordEmail, frequency, choices, notice(actor), error, errorField, saved);
    }

    private NotificationPageMessages words() {
        return language.messages(NotificationPageMessages.class);
    }

    /** What this person can expect, when it is less than "an e-mail about new messages". */
    private String notice(Actor actor) {
        if (actor.isPatientSide()) {
            return null;
        }
        if (actor.practitionerId() == null) {
            return words().role_no_messages();
        }
        if (!config.staff().enabled()) {
            return words().staff_switched_off();
        }
        return null;
    }

    private static Frequency parse(String frequency) {
        try {
            return Frequency.valueOf(frequency == null ? "" : frequency);
        } catch (IllegalArgumentException e) {
            throw NotificationService.chooseFrequency();
        }
    }
}
