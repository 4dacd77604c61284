package dev.bluepost.identity;

import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.web.FormErrors;
import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
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
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Sign-in and sign-out with user name and password (form login). */
@Path("/")
public class LoginPage {

    /** Long enough for an app's authorization request (redirect URI, scope, state, PKCE challenge). */
    private static final int MAX_NEXT = 4000;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(
                FormErrors errors, String next, String username, String notice);
    }

    @Inject IdentityService identities;

    @Inject SessionService sessions;

    @Inject SecurityConfig config;

    @Inject Csrf csrf;

    @Inject RoutingContext routing;

    @Inject ReaderLanguage reader;

    @GET
    @Path("login")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form(
            @QueryParam("next") String next,
            @QueryParam("signedOut") String signedOut,
            @QueryParam("timedOut") String timedOut) {
        AccountMessages m = reader.messages(AccountMessages.class);
        String notice =
                timedOut != null
                        ? m.login_timed_out()
                        : signedOut != null ? m.login_signed_out() : null;
        return Templates.login(FormErrors.none(), safeNext(next), "", notice);
    }

    @POST
    @Path("login")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response login(
            @FormParam("username") String username,
            @FormParam("password") String password,
            @FormParam("next") String next) {
        AccountMessages m = reader.messages(AccountMessages.class);
        FormErrors.Builder missing = FormErrors.builder();
        if (username == null || username.isBlank()) {
            missing.add("username", m.login_username_missing());
        }
        if (password == null || password.isEmpty()) {
            missing.add("password", m.login_password_missing());
        }
        if (!missing.isEmpty()) {
            return page(422, missing.build(), next, username);
        }
        IdentityService.LoginResult result = identities.login(username, password);
        if (!(result instanceof IdentityService.LoginResult.Success success)) {
            // the same answer whether the name is unknown, the password wrong or the login paused,
            // so that the page does not tell which user names exist
            return refused(next, username);
        }
        IdentityService.UserView user = success.user();
        if (success.stage() != SessionService.Stage.FULL) {
            // the password was right; the session authenticates nothing until the second factor
            // passes
            String token =
                    sessions.open(
                            user.id(),
                            sessions.idleTimeoutFor(user.roles()),
                            success.stage(),
                            userAgent());
            setSessionCookie(token);
            csrf.rotate(routing);
            String page =
                    success.stage() == SessionService.Stage.SECOND_FACTOR
                            ? "/login/mfa"
                            : "/login/mfa/enrol";
            String target = safeNext(next);
            return Response.seeOther(
                            URI.create(
                                    target == null
                                            ? page
                                            : page
                                                    + "?next="
                                                    + java.net.URLEncoder.encode(
                                                            target,
                                                            java.nio.charset.StandardCharsets
                                                                    .UTF_8)))
                    .header("Cache-Control", "no-store")
                    .build();
        }
        String token =
                sessions.open(
                        user.id(),
                        sessions.idleTimeoutFor(user.roles()),
                        SessionService.Stage.FULL,
                        userAgent());
        setSessionCookie(token);
        csrf.rotate(routing);
        Log.infof("login userId=%s", user.id());
        return Response.seeOther(URI.create(startPage(user, token, next)))
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The browser's User-Agent header, remembered with the session for the person's list of sessions. */
    private String userAgent() {
        return routing.request().getHeader("User-Agent");
    }

    void setSessionCookie(String token) {
        routing.response()
                .addCookie(
                        Cookie.cookie(SessionAuthenticationMechanism.COOKIE, token)
                                .setPath("/")
                                .setHttpOnly(true)
                                .setSecure(config.secureCookies())
                                .setSameSite(CookieSameSite.LAX));
    }

    /**
     * Where a person goes once fully signed in: {@code next} if it is a local path, else their start
     * page; a proxy with one authorization in force acts for that patient at once, one with several
     * chooses first (unless an app's consent page asks itself).
     */
    public String startPage(IdentityService.UserView user, String token, String next) {
        String target = safeNext(next);
        if (target == null) {
            target =
                    StartPages.of(
                            Optional.of(
                                    new Actor(
                                            user.id(),
                                            null,
                                            user.roles(),
                                            user.practiceId(),
                                            user.practitionerId(),
                                            user.patientId(),
                                            null)));
        }
        if (user.roles().contains(Role.PROXY)) {
            List<ProxyView> authorizations = identities.activeAuthorizations(user.id());
            if (authorizations.size() == 1) {
                sessions.actFor(
                        sessions.resolve(token).orElseThrow().id(), authorizations.get(0).id());
                target = target.startsWith("/proxy") ? "/patient" : target;
            } else if (!target.startsWith("/oauth/authorize")) {
                // an app's consent page asks which patient itself
                target = "/proxy/choose";
            }
        }
        return target;
    }

    @POST
    @Path("logout")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout() {
        Cookie cookie = routing.request().getCookie(SessionAuthenticationMechanism.COOKIE);
        if (cookie != null) {
            sessions.logout(cookie.getValue());
        }
        routing.response()
                .addCookie(
                        Cookie.cookie(SessionAuthenticationMechanism.COOKIE, "")
                                .setPath("/")
                                .setHttpOnly(true)
                                .setSecure(config.secureCookies())
                                .setMaxAge(0));
        csrf.rotate(routing);
        return Response.seeOther(URI.create("/login?signedOut=1")).build();
    }

    /**
     * The sign-in page again, saying that sign-in failed: the same words whether the name is unknown,
     * the password or code wrong or the login paused.
     */
    public Response refused(String next, String username) {
        return page(
                401,
                FormErrors.form(reader.messages(AccountMessages.class).login_refused()),
                next,
                username);
    }

    private Response page(int status, FormErrors errors, String next, String username) {
        String html =
                Templates.login(errors, safeNext(next), username == null ? "" : username, null)
                        .render();
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(html)
                .header("Cache-Control", "no-store")
                .build();
    }

    /** Only local paths: an open redirect to another site is never followed. */
    public static String safeNext(String next) {
        if (next == null
                || next.isBlank()
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.contains("\\")
                || next.startsWith("/login")
                || next.length() > MAX_NEXT) {
            return null;
        }
        return next;
    }
}
