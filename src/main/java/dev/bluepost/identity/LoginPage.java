package dev.bluepost.identity;

import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.identity.Csrf;
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
        static native TemplateInstance login(String error, String next, String username, boolean signedOut);
    }

    @Inject
    IdentityService identities;

    @Inject
    SessionService sessions;

    @Inject
    SecurityConfig config;

    @Inject
    Csrf csrf;

    @Inject
    RoutingContext routing;

    @GET
    @Path("login")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form(@QueryParam("next") String next, @QueryParam("signedOut") String signedOut) {
        return Templates.login(null, safeNext(next), "", signedOut != null);
    }

    @POST
    @Path("login")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response login(@FormParam("username") String username, @FormParam("password") String password,
                          @FormParam("next") String next) {
        IdentityService.LoginResult result = identities.login(username, password);
        if (!(result instanceof IdentityService.LoginResult.Success success)) {
            // the same answer whether the name is unknown, the password wrong or the login paused,
            // so that the page does not tell which user names exist
            return refused("The user name or password is not correct. After repeated failures, sign-in is paused "
                    + "for a while; if you cannot sign in, contact the practice.", next, username);
        }
        IdentityService.UserView user = success.user();
        String token = sessions.open(user.id(), user.isStaff());
        routing.response().addCookie(Cookie.cookie(SessionAuthenticationMechanism.COOKIE, token)
                .setPath("/").setHttpOnly(true).setSecure(config.secureCookies()).setSameSite(CookieSameSite.LAX));
        csrf.rotate(routing);
        Log.infof("login userId=%s", user.id());
        String target = safeNext(next);
        if (target == null) {
            target = StartPages.of(Optional.of(new Actor(user.id(), null, user.roles(), user.practiceId(),
                    user.practitionerId(), user.patientId(), null)));
        }
        if (user.roles().contains(Role.PROXY)) {
            List<ProxyView> authorizations = identities.activeAuthorizations(user.id());
            if (authorizations.size() == 1) {
                sessions.actFor(sessions.resolve(token).orElseThrow().id(), authorizations.get(0).id());
                target = target.startsWith("/proxy") ? "/patient" : target;
            } else if (!target.startsWith("/oauth/authorize")) {
                // an app's consent page asks which patient itself
                target = "/proxy/choose";
            }
        }
        return Response.seeOther(URI.create(target)).header("Cache-Control", "no-store").build();
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
        routing.response().addCookie(Cookie.cookie(SessionAuthenticationMechanism.COOKIE, "").setPath("/")
                .setHttpOnly(true).setSecure(config.secureCookies()).setMaxAge(0));
        csrf.rotate(routing);
        return Response.seeOther(URI.create("/login?signedOut=1")).build();
    }

    private Response refused(String message, String next, String username) {
        String html = Templates.login(message, safeNext(next), username == null ? "" : username, false).render();
        return Response.status(401).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html).build();
    }

    /** Only local paths: an open redirect to another site is never followed. */
    static String safeNext(String next) {
        if (next == null || next.isBlank() || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/login") || next.length() > MAX_NEXT) {
            return null;
        }
        return next;
    }
}
