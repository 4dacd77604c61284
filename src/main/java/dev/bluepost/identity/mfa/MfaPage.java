package dev.bluepost.identity.mfa;

import dev.bluepost.identity.AccountErrors;
import dev.bluepost.identity.AccountMessages;
import dev.bluepost.identity.AccountProblem;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.LoginPage;
import dev.bluepost.identity.SessionAuthenticationMechanism;
import dev.bluepost.identity.SessionService;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The second factor at sign-in ({@code /login/mfa}), its enrolment with a QR code
 * ({@code /login/mfa/enrol}: staff without one are sent there after their password; patients and
 * proxies come from their account page), and the account's security page.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class MfaPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance challenge(String next, FormErrors errors);

        static native TemplateInstance enrol(
                MfaService.Enrolment enrolment, String next, FormErrors errors, boolean required);

        static native TemplateInstance codes(List<String> codes, String continueTo, String notice);

        static native TemplateInstance security(
                boolean enrolled,
                boolean staff,
                long recoveryCodes,
                String notice,
                FormErrors errors);
    }

    @Inject MfaService mfa;

    @Inject SessionService sessions;

    @Inject IdentityService identities;

    @Inject LoginPage loginPage;

    @Inject CurrentActor currentActor;

    @Inject RoutingContext routing;

    @Inject ReaderLanguage reader;

    @GET
    @Path("login/mfa")
    @PermitAll
    public Response challengeForm(@QueryParam("next") String next) {
        Optional<SessionService.ActiveSession> pending =
                pending(SessionService.Stage.SECOND_FACTOR);
        if (pending.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        return html(200, Templates.challenge(LoginPage.safeNext(next), FormErrors.none()));
    }

    @POST
    @Path("login/mfa")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response challenge(@FormParam("code") String code, @FormParam("next") String next) {
        Optional<SessionService.ActiveSession> pending =
                pending(SessionService.Stage.SECOND_FACTOR);
        if (pending.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        if (code == null || code.isBlank()) {
            return html(
                    422,
                    Templates.challenge(
                            LoginPage.safeNext(next),
                            FormErrors.field("code", messages().challenge_code_missing())));
        }
        UUID userId = pending.get().userId();
        MfaService.Check check = mfa.verify(userId, code);
        switch (check) {
            case TOTP, RECOVERY_CODE -> {
                IdentityService.UserView user = identities.user(userId).orElseThrow();
                sessions.promote(pending.get().id(), sessions.idleTimeoutFor(user.roles()));
                String target = loginPage.startPage(user, token(), next);
                if (check == MfaService.Check.RECOVERY_CODE) {
                    // tell them how many are left, and where to get new ones
                    target = "/account/security?recoveryUsed=1";
                }
                return Response.seeOther(URI.create(target))
                        .header("Cache-Control", "no-store")
                        .build();
            }
            case LOCKED -> {
                currentActor
                        .find(); // resolve the (anonymous) identity before its session ends: the
                // page's layout asks for it
                sessions.abandon(pending.get().id());
                return loginPage.refused(next, "");
            }
            default -> {
                return html(
                        401,
                        Templates.challenge(
                                LoginPage.safeNext(next),
                                FormErrors.field("code", messages().challenge_code_wrong())));
            }
        }
    }

    @GET
    @Path("login/mfa/enrol")
    @PermitAll
    public Response enrolForm(@QueryParam("next") String next) {
        Optional<UUID> userId = enrollingUser();
        if (userId.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        if (mfa.enrolled(userId.get())) {
            return Response.seeOther(URI.create("/account/security")).build();
        }
        return html(
                200,
                Templates.enrol(
                        mfa.startEnrolment(userId.get()),
                        LoginPage.safeNext(next),
                        FormErrors.none(),
                        currentActor.find().isEmpty()));
    }

    @POST
    @Path("login/mfa/enrol")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enrol(@FormParam("code") String code, @FormParam("next") String next) {
        Optional<UUID> userId = enrollingUser();
        if (userId.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        if (code == null || code.isBlank()) {
            return html(
                    422,
                    Templates.enrol(
                            mfa.startEnrolment(userId.get()),
                            LoginPage.safeNext(next),
                            FormErrors.field("code", messages().code_missing()),
                            currentActor.find().isEmpty()));
        }
        List<String> codes;
        try {
            codes = mfa.confirmEnrolment(userId.get(), code);
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(
                    422,
                    Templates.enrol(
                            mfa.startEnrolment(userId.get()),
                            LoginPage.safeNext(next),
                            AccountErrors.of(e, reader),
                            currentActor.find().isEmpty()));
        }
        String continueTo = "/account/security";
        Optional<SessionService.ActiveSession> pending = pending(SessionService.Stage.ENROL);
        if (pending.isPresent()) {
            IdentityService.UserView user = identities.user(userId.get()).orElseThrow();
            mfa.signedInAfterEnrolment(userId.get());
            sessions.promote(pending.get().id(), sessions.idleTimeoutFor(user.roles()));
            continueTo = loginPage.startPage(user, token(), next);
        }
        return html(200, Templates.codes(codes, continueTo, messages().codes_enrolled()));
    }

    @GET
    @Path("account/security")
    @RolesAllowed({
        Roles.PATIENT,
        Roles.PROXY,
        Roles.PROVIDER,
        Roles.FRONT_DESK,
        Roles.COMPLIANCE,
        Roles.ADMIN
    })
    public TemplateInstance security(
            @QueryParam("recoveryUsed") String recoveryUsed,
            @QueryParam("removed") String removed) {
        Actor actor = currentActor.get();
        AccountMessages m = messages();
        String notice =
                recoveryUsed != null
                        ? m.notice_recovery_used()
                        : removed != null ? m.notice_mfa_removed() : null;
        return page(actor, notice, FormErrors.none());
    }

    @POST
    @Path("account/security/recovery-codes")
    @RolesAllowed({
        Roles.PATIENT,
        Roles.PROXY,
        Roles.PROVIDER,
        Roles.FRONT_DESK,
        Roles.COMPLIANCE,
        Roles.ADMIN
    })
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response newRecoveryCodes(@FormParam("code") String code) {
        Actor actor = currentActor.get();
        if (code == null || code.isBlank()) {
            return html(
                    422,
                    page(actor, null, FormErrors.field("code-new", messages().code_missing())));
        }
        try {
            return html(
                    200,
                    Templates.codes(
                            mfa.replaceRecoveryCodes(actor.userId(), code),
                            "/account/security",
                            messages().codes_replaced()));
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(422, page(actor, null, errorsOn("code-new", e)));
        }
    }

    @POST
    @Path("account/security/remove-mfa")
    @RolesAllowed({Roles.PATIENT, Roles.PROXY})
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@FormParam("code") String code) {
        Actor actor = currentActor.get();
        if (code == null || code.isBlank()) {
            return html(
                    422,
                    page(actor, null, FormErrors.field("code-off", messages().code_missing())));
        }
        try {
            mfa.remove(actor.userId(), code);
            return Response.seeOther(URI.create("/account/security?removed=1")).build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(422, page(actor, null, errorsOn("code-off", e)));
        }
    }

    private TemplateInstance page(Actor actor, String notice, FormErrors errors) {
        return Templates.security(
                mfa.enrolled(actor.userId()),
                actor.isStaff(),
                mfa.unusedRecoveryCodes(actor.userId()),
                notice,
                errors);
    }

    /** A refusal of one of the security page's two code fields, shown on that field. */
    private FormErrors errorsOn(String field, BluepostException e) {
        if (e instanceof AccountProblem problem && "code".equals(problem.reason().field())) {
            return FormErrors.field(field, AccountErrors.text(problem, messages()));
        }
        return AccountErrors.of(e, reader);
    }

    private AccountMessages messages() {
        return reader.messages(AccountMessages.class);
    }

    /** A signed-in person enrolling from their account page, or a staff login whose password passed and who must enrol. */
    private Optional<UUID> enrollingUser() {
        Optional<Actor> actor = currentActor.find();
        if (actor.isPresent() && actor.get().userId() != null) {
            return Optional.of(actor.get().userId());
        }
        return pending(SessionService.Stage.ENROL).map(SessionService.ActiveSession::userId);
    }

    private Optional<SessionService.ActiveSession> pending(SessionService.Stage stage) {
        return sessions.resolve(token()).filter(s -> s.stage() == stage);
    }

    private String token() {
        Cookie cookie = routing.request().getCookie(SessionAuthenticationMechanism.COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render())
                .header("Cache-Control", "no-store")
                .build();
    }
}
