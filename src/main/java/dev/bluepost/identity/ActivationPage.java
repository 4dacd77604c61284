package dev.bluepost.identity;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.web.ClientAddress;
import dev.bluepost.platform.web.FormErrors;
import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
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
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A patient creates their account with an activation code (ADR 0041). {@code /activate} asks for the
 * code and the date of birth; when they match an invitation that can be used, the next form (the same
 * code and date in hidden fields, checked again) asks for a user name and a password; the login is
 * created, signed in, and {@code /activate/welcome} offers the second factor before the messages.
 * Every refusal of code and date of birth is the same page, status and words.
 */
@Path("/activate")
@Produces(MediaType.TEXT_HTML)
public class ActivationPage {

    /** What was typed, sent back into the form (the code and the date as typed). */
    public record Typed(String code, String month, String day, String year) {

        static Typed of(String code, String month, String day, String year) {
            return new Typed(clip(code, 64), clip(month, 2), clip(day, 2), clip(year, 4));
        }

        private static String clip(String value, int max) {
            String v = value == null ? "" : value.strip();
            return v.length() > max ? "" : v;
        }
    }

    /** A month in the reader's words, for the date of birth's select. */
    public record MonthChoice(String number, String name) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance activate(
                Typed typed, List<MonthChoice> months, FormErrors errors);

        static native TemplateInstance choose(
                Typed typed, String username, int minLength, int maxLength, FormErrors errors);

        static native TemplateInstance welcome();
    }

    @Inject ActivationService activations;

    @Inject IdentityService identities;

    @Inject SessionService sessions;

    @Inject LoginPage loginPage;

    @Inject Csrf csrf;

    @Inject RoutingContext routing;

    @Inject SecurityConfig config;

    @Inject ReaderLanguage reader;

    @GET
    @PermitAll
    public Response form() {
        return html(
                200,
                Templates.activate(Typed.of(null, null, null, null), months(), FormErrors.none()));
    }

    /** Checks the code and date of birth; the next form when they match an invitation that can be used. */
    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response check(
            @FormParam("code") String code,
            @FormParam("month") String month,
            @FormParam("day") String day,
            @FormParam("year") String year) {
        Typed typed = Typed.of(code, month, day, year);
        Optional<LocalDate> birthDate = birthDate(typed);
        FormErrors missing = missing(typed, birthDate);
        if (missing.isAny()) {
            return html(422, Templates.activate(typed, months(), missing));
        }
        Optional<ActivationService.Usable> usable =
                activations.check(typed.code(), birthDate.get(), client());
        if (usable.isEmpty()) {
            return refused(typed);
        }
        return html(
                200,
                Templates.choose(
                        typed,
                        "",
                        usable.get().minLength(),
                        config.password().maxLength(),
                        FormErrors.none()));
    }

    /** Creates the login with the checked code and date of birth, signs it in and offers the second factor. */
    @POST
    @Path("account")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(
            @FormParam("code") String code,
            @FormParam("month") String month,
            @FormParam("day") String day,
            @FormParam("year") String year,
            @FormParam("username") String username,
            @FormParam("password") String password,
            @FormParam("confirm") String confirm) {
        Typed typed = Typed.of(code, month, day, year);
        Optional<LocalDate> birthDate = birthDate(typed);
        FormErrors missing = missing(typed, birthDate);
        if (missing.isAny()) {
            return html(422, Templates.activate(typed, months(), missing));
        }
        EnrolMessages words = reader.messages(EnrolMessages.class);
        AccountMessages m = reader.messages(AccountMessages.class);
        String name = username == null ? "" : username.strip();
        FormErrors.Builder errors = FormErrors.builder();
        if (name.isEmpty()) {
            errors.add("username", words.choose_username_missing());
        }
        if (password == null || password.isEmpty()) {
            errors.add("password", m.password_new_missing());
        } else if (!password.equals(confirm)) {
            errors.add("confirm", m.password_mismatch());
        }
        int minLength = config.password().minLength();
        if (!errors.isEmpty()) {
            return html(
                    422,
                    Templates.choose(
                            typed,
                            clip(name),
                            minLength,
                            config.password().maxLength(),
                            errors.build()));
        }
        Optional<UUID> created;
        try {
            created = activations.activate(typed.code(), birthDate.get(), client(), name, password);
        } catch (BluepostException e) {
            if (e.kind().status() != 422 && e.kind().status() != 409) {
                throw e;
            }
            // the user name or password was refused; nothing was written, the code still works
            return html(
                    e.kind().status(),
                    Templates.choose(
                            typed,
                            clip(name),
                            minLength,
                            config.password().maxLength(),
                            AccountErrors.of(e, reader)));
        }
        if (created.isEmpty()) {
            return refused(typed);
        }
        IdentityService.UserView user = identities.user(created.get()).orElseThrow();
        String token =
                sessions.open(
                        user.id(),
                        sessions.idleTimeoutFor(user.roles()),
                        SessionService.Stage.FULL,
                        routing.request().getHeader("User-Agent"));
        loginPage.setSessionCookie(token);
        csrf.rotate(routing);
        Log.infof("login userId=%s after activation", user.id());
        return Response.seeOther(URI.create("/activate/welcome"))
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The new account is ready: the second factor is offered (optional), then the messages. */
    @GET
    @Path("welcome")
    @RolesAllowed(Roles.PATIENT)
    public TemplateInstance welcome() {
        return Templates.welcome();
    }

    private Response refused(Typed typed) {
        // one answer for every refusal: unknown, forged, used, expired or voided code, another date
        // of birth, a limit
        Typed again = Typed.of(typed.code(), typed.month(), typed.day(), typed.year());
        return html(
                422,
                Templates.activate(
                        again,
                        months(),
                        FormErrors.form(reader.messages(EnrolMessages.class).activate_refused())));
    }

    private FormErrors missing(Typed typed, Optional<LocalDate> birthDate) {
        EnrolMessages words = reader.messages(EnrolMessages.class);
        FormErrors.Builder errors = FormErrors.builder();
        if (typed.code().isEmpty()) {
            errors.add("code", words.activate_code_missing());
        }
        if (birthDate.isEmpty()) {
            errors.add("birth", words.activate_birth_missing());
        }
        return errors.build();
    }

    /** The date the three fields name: a real day with a four-digit year. */
    static Optional<LocalDate> birthDate(Typed typed) {
        try {
            int year = Integer.parseInt(typed.year());
            if (typed.year().length() != 4) {
                return Optional.empty();
            }
            LocalDate date =
                    LocalDate.of(
                            year, Integer.parseInt(typed.month()), Integer.parseInt(typed.day()));
            return year < 1850 ? Optional.empty() : Optional.of(date);
        } catch (NumberFormatException | DateTimeException e) {
            return Optional.empty();
        }
    }

    private List<MonthChoice> months() {
        Locale locale = reader.locale();
        return Arrays.stream(Month.values())
                .map(
                        m -> {
                            String name = m.getDisplayName(TextStyle.FULL, locale);
                            return new MonthChoice(
                                    Integer.toString(m.getValue()),
                                    name.substring(0, 1).toUpperCase(locale) + name.substring(1));
                        })
                .toList();
    }

    private static String client() {
        return ClientAddress.current().orElse(null);
    }

    private static String clip(String username) {
        return username.length() > 64 ? "" : username;
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render())
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }
}
