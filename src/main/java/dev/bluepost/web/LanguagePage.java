package dev.bluepost.web;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.i18n.Language;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code POST /language}: the language chooser in every page's header. A signed-in login keeps its
 * choice (pages and e-mails); anyone else keeps it in a cookie until they sign in. Goes back to the
 * page the chooser was on.
 */
@Path("/language")
public class LanguagePage {

    private static final int ONE_YEAR = 365 * 24 * 3600;

    @Inject PageContext page;

    @Inject IdentityService identities;

    @Inject RoutingContext context;

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response choose(@FormParam("language") String tag, @FormParam("back") String back) {
        Language language = Language.fromTag(tag).orElse(Language.ENGLISH);
        page.signedInUser().ifPresent(u -> identities.chooseLanguage(u.id(), language.tag()));
        context.response()
                .addCookie(
                        Cookie.cookie(LanguageChoice.COOKIE, language.tag())
                                .setPath("/")
                                .setHttpOnly(true)
                                .setSameSite(CookieSameSite.LAX)
                                .setMaxAge(ONE_YEAR));
        return Response.seeOther(URI.create(localPath(back))).build();
    }

    /** Only a path on this site: never another site (an open redirect), never a scheme-relative "//host". */
    static String localPath(String back) {
        if (back == null
                || !back.startsWith("/")
                || back.startsWith("//")
                || back.startsWith("/\\")
                || back.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return back;
    }
}
