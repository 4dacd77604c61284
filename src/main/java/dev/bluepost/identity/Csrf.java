package dev.bluepost.identity;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * CSRF protection for every HTML form (double-submit): a random token in an HttpOnly, SameSite=Strict
 * cookie, repeated by the server in each form's hidden {@code _csrf} field; a form POST whose
 * field does not match the cookie is refused with 403 (the OAuth consent form included). The OAuth
 * token and revocation endpoints and the FHIR API, which authenticate with client credentials, codes
 * and tokens rather than cookies, are exempt.
 */
@ApplicationScoped
public class Csrf {

    public static final String COOKIE = "bp_csrf";
    public static final String FIELD = "_csrf";
    static final String CONTEXT_KEY = "bluepost.csrf";

    /** Apps call it with form posts of their own, never with a person's cookies. */
    private static final String TOKEN_ENDPOINT = "/oauth/token";

    /** The same for token revocation (RFC 7009, ADR 0047). */
    private static final String REVOCATION_ENDPOINT = "/oauth/revoke";

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject SecurityConfig config;

    void issueCookie(@Observes Router router) {
        router.route()
                .order(Integer.MIN_VALUE + 20)
                .handler(
                        context -> {
                            String path = context.request().path();
                            if (!path.startsWith("/fhir")
                                    && !path.startsWith(TOKEN_ENDPOINT)
                                    && !path.startsWith(REVOCATION_ENDPOINT)
                                    && !path.startsWith("/q/")) {
                                Cookie existing = context.request().getCookie(COOKIE);
                                String token =
                                        existing != null && existing.getValue().length() >= 32
                                                ? existing.getValue()
                                                : null;
                                if (token == null) {
                                    token = newToken();
                                    context.response().addCookie(cookie(token));
                                }
                                context.put(CONTEXT_KEY, token);
                            }
                            context.next();
                        });
    }

    /** Replaces the token (at login and logout, so a token seen before login is worthless after it). */
    public void rotate(RoutingContext context) {
        String token = newToken();
        context.response().removeCookie(COOKIE, false);
        context.response().addCookie(cookie(token));
        context.put(CONTEXT_KEY, token);
    }

    private Cookie cookie(String token) {
        return Cookie.cookie(COOKIE, token)
                .setPath("/")
                .setHttpOnly(true)
                .setSecure(config.secureCookies())
                .setSameSite(CookieSameSite.STRICT);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Checks the token of every form submission. */
    public static class Filter {

        @ServerRequestFilter(readBody = true, priority = 100)
        public void check(ResteasyReactiveContainerRequestContext request, RoutingContext context) {
            MediaType type = request.getMediaType();
            boolean form =
                    type != null
                            && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                                    || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
            String path = context.request().path();
            if (!form
                    || !"POST".equals(request.getMethod())
                    || path.startsWith(TOKEN_ENDPOINT)
                    || path.startsWith(REVOCATION_ENDPOINT)
                    || path.startsWith("/fhir")) {
                return;
            }
            Cookie cookie = context.request().getCookie(COOKIE);
            Object field =
                    ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                            .getFormParameter(FIELD, true, false);
            if (cookie == null
                    || !(field instanceof String submitted)
                    || !MessageDigest.isEqual(
                            cookie.getValue().getBytes(StandardCharsets.UTF_8),
                            submitted.getBytes(StandardCharsets.UTF_8))) {
                throw BluepostException.said(
                        ErrorKind.FORBIDDEN,
                        AccountMessages.class,
                        AccountMessages::error_form_expired);
            }
        }
    }

    /** The token for templates: {@code <input type="hidden" name="_csrf" value="{inject:csrf.token}">}. */
    @Named("csrf")
    @RequestScoped
    public static class Token {

        @Inject RoutingContext context;

        public String getToken() {
            Object token = context.get(CONTEXT_KEY);
            return token == null ? "" : token.toString();
        }
    }
}
