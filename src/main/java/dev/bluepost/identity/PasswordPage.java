package dev.bluepost.identity;

import dev.bluepost.platform.errors.BluepostException;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Every signed-in person changes their own password (rules: {@link PasswordPolicy}). */
@Path("/account/password")
@RolesAllowed({
    Roles.PATIENT,
    Roles.PROXY,
    Roles.PROVIDER,
    Roles.FRONT_DESK,
    Roles.COMPLIANCE,
    Roles.ADMIN
})
@Produces(MediaType.TEXT_HTML)
public class PasswordPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance password(
                int minLength, int maxLength, FormErrors errors, boolean saved);
    }

    @Inject CurrentActor currentActor;

    @Inject IdentityService identities;

    @Inject SecurityConfig config;

    @Inject ReaderLanguage reader;

    @GET
    public TemplateInstance form(@QueryParam("saved") String saved) {
        return page(currentActor.get(), FormErrors.none(), saved != null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(
            @FormParam("current") String current,
            @FormParam("password") String password,
            @FormParam("confirm") String confirm) {
        Actor actor = currentActor.get();
        AccountMessages m = reader.messages(AccountMessages.class);
        FormErrors.Builder missing = FormErrors.builder();
        if (current == null || current.isEmpty()) {
            missing.add("current", m.password_current_missing());
        }
        if (password == null || password.isEmpty()) {
            missing.add("password", m.password_new_missing());
        } else if (!password.equals(confirm)) {
            missing.add("confirm", m.password_mismatch());
        }
        if (!missing.isEmpty()) {
            return refused(actor, missing.build());
        }
        try {
            identities.changePassword(actor.userId(), currentActor.sessionId(), current, password);
            return Response.seeOther(URI.create("/account/password?saved=1")).build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return refused(actor, AccountErrors.of(e, reader));
        }
    }

    private Response refused(Actor actor, FormErrors errors) {
        return Response.status(422)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page(actor, errors, false).render())
                .header("Cache-Control", "no-store")
                .build();
    }

    private TemplateInstance page(Actor actor, FormErrors error, boolean saved) {
        int min =
                actor.has(dev.bluepost.platform.security.Role.ADMIN)
                        ? config.password().adminMinLength()
                        : config.password().minLength();
        return Templates.password(min, config.password().maxLength(), error, saved);
    }
}
