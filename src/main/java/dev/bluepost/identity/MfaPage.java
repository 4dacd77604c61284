package dev.bluepost.identity;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
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
        static native TemplateInstance challenge(String next, String error);

        static native TemplateInstance enrol(MfaService.Enrolment enrolment, String next, String error, boolean required);

        static native TemplateInstance codes(List<String> codes, String continueTo);

        static native TemplateInstance security(boolean enrolled, boolean staff, long recoveryCodes, String notice,
                                                String error);
    }

    @Inject
    MfaService mfa;

    @Inject
    SessionService sessions;

    @Inject
    IdentityService identities;

    @Inject
    LoginPage loginPage;

    @Inject
    CurrentActor currentActor;

    @Inject
    RoutingContext routing;

    @GET
    @Path("login/mfa")
    @PermitAll
    public Response challengeForm(@QueryParam("next") String next) {
        Optional<SessionService.ActiveSession> pending = pending(SessionService.Stage.SECOND_FACTOR);
        if (pending.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        return html(200, Templates.challenge(LoginPage.safeNext(next), null));
    }

    @POST
    @Path("login/mfa")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response challenge(@FormParam("code") String code, @FormParam("next") String next) {
        Optional<SessionService.ActiveSession> pending = pending(SessionService.Stage.SECOND_FACTOR);
        if (pending.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
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
                return Response.seeOther(URI.create(target)).header("Cache-Control", "no-store").build();
            }
            case LOCKED -> {
                currentActor.find(); // resolve the (anonymous) identity before its session ends: the page's layout asks for it
                sessions.abandon(pending.get().id());
                return loginPage.refused(LoginPage.REFUSED, next, "");
            }
            default -> {
                return html(401, Templates.challenge(LoginPage.safeNext(next),
                        "That code is not right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes."));
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
        return html(200, Templates.enrol(mfa.startEnrolment(userId.get()), LoginPage.safeNext(next), null,
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
        List<String> codes;
        try {
            codes = mfa.confirmEnrolment(userId.get(), code);
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(422, Templates.enrol(mfa.startEnrolment(userId.get()), LoginPage.safeNext(next), e.getMessage(),
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
        return html(200, Templates.codes(codes, continueTo));
    }

    @GET
    @Path("account/security")
    @RolesAllowed({Roles.PATIENT, Roles.PROXY, Roles.PROVIDER, Roles.FRONT_DESK, Roles.COMPLIANCE, Roles.ADMIN})
    public TemplateInstance security(@QueryParam("recoveryUsed") String recoveryUsed, @QueryParam("removed") String removed) {
        Actor actor = currentActor.get();
        String notice = recoveryUsed != null ? "You signed in with a recovery code; it cannot be used again."
                : removed != null ? "Sign-in with an authenticator app is turned off." : null;
        return page(actor, notice, null);
    }

    @POST
    @Path("account/security/recovery-codes")
    @RolesAllowed({Roles.PATIENT, Roles.PROXY, Roles.PROVIDER, Roles.FRONT_DESK, Roles.COMPLIANCE, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response newRecoveryCodes(@FormParam("code") String code) {
        Actor actor = currentActor.get();
        try {
            return html(200, Templates.codes(mfa.replaceRecoveryCodes(actor.userId(), code), "/account/security"));
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(422, page(actor, null, e.getMessage()));
        }
    }

    @POST
    @Path("account/security/remove-mfa")
    @RolesAllowed({Roles.PATIENT, Roles.PROXY})
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@FormParam("code") String code) {
        Actor actor = currentActor.get();
        try {
            mfa.remove(actor.userId(), code);
            return Response.seeOther(URI.create("/account/security?removed=1")).build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(422, page(actor, null, e.getMessage()));
        }
    }

    private TemplateInstance page(Actor actor, String notice, String error) {
        return Templates.security(mfa.enrolled(actor.userId()), actor.isStaff(), mfa.unusedRecoveryCodes(actor.userId()),
                notice, error);
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
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render())
                .header("Cache-Control", "no-store").build();
    }
}
