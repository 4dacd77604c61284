package dev.bluepost.identity;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.web.ClientAddress;
import dev.bluepost.platform.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
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
import java.util.OptionalInt;

/**
 * Forgotten passwords (ADR 0040): {@code /login/forgot} asks for the address and always answers the
 * same page, whether or not a login uses it (and whether or not a rate limit held the e-mail back);
 * {@code /login/reset?token=…}, the e-mailed link, asks for the new password, and a link that was
 * used, has expired or was never issued gets a page that says so and changes nothing.
 */
@Path("/")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class PasswordResetPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance forgot(FormErrors errors, String email, long minutes);

        static native TemplateInstance sent(long minutes);

        static native TemplateInstance reset(
                String token, int minLength, int maxLength, FormErrors errors);

        static native TemplateInstance invalid();

        static native TemplateInstance done();
    }

    @Inject PasswordResetService resets;

    @Inject SecurityConfig config;

    @Inject ReaderLanguage reader;

    @GET
    @Path("login/forgot")
    public TemplateInstance forgot() {
        return Templates.forgot(FormErrors.none(), "", minutes());
    }

    @POST
    @Path("login/forgot")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response request(@FormParam("email") String email) {
        AccountMessages m = reader.messages(AccountMessages.class);
        if (email == null || email.isBlank()) {
            return html(
                    422,
                    Templates.forgot(
                            FormErrors.field("email", m.forgot_email_missing()), "", minutes()));
        }
        try {
            resets.request(email, ClientAddress.current().orElse(null), reader.language());
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            // only a malformed address is refused, which says nothing about any login
            return html(
                    422,
                    Templates.forgot(
                            AccountErrors.of(e, reader),
                            email.length() > 254 ? "" : email,
                            minutes()));
        }
        return html(200, Templates.sent(minutes()));
    }

    @GET
    @Path("login/reset")
    public Response form(@QueryParam("token") String token) {
        OptionalInt min = resets.usableFor(token);
        if (min.isEmpty()) {
            return html(410, Templates.invalid());
        }
        return html(
                200,
                Templates.reset(
                        token, min.getAsInt(), config.password().maxLength(), FormErrors.none()));
    }

    @POST
    @Path("login/reset")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reset(
            @FormParam("token") String token,
            @FormParam("password") String password,
            @FormParam("confirm") String confirm) {
        AccountMessages m = reader.messages(AccountMessages.class);
        OptionalInt min = resets.usableFor(token);
        FormErrors.Builder missing = FormErrors.builder();
        if (password == null || password.isEmpty()) {
            missing.add("password", m.password_new_missing());
        } else if (!password.equals(confirm)) {
            missing.add("confirm", m.password_mismatch());
        }
        if (!missing.isEmpty() && min.isPresent()) {
            return html(
                    422,
                    Templates.reset(
                            token, min.getAsInt(), config.password().maxLength(), missing.build()));
        }
        try {
            resets.complete(token, password);
            return html(200, Templates.done());
        } catch (AccountProblem e) {
            if (e.reason() == AccountProblem.Reason.RESET_LINK_INVALID || min.isEmpty()) {
                return html(410, Templates.invalid());
            }
            return html(
                    422,
                    Templates.reset(
                            token,
                            min.getAsInt(),
                            config.password().maxLength(),
                            AccountErrors.of(e, reader)));
        }
    }

    private long minutes() {
        return config.passwordReset().linkLifetime().toMinutes();
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render())
                .header("Cache-Control", "no-store")
                .build();
    }
}
