package dev.bluepost.platform.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.NewCookie;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A one-time confirmation after an action ("Message sent"): the action's redirect sets a short-lived
 * cookie holding one fixed word ({@code sent}, {@code reply}, …; never data), and the page the person
 * lands on takes it (and expires it) to show a success alert. The addresses stay as they are, so a
 * reload or a bookmark does not say "sent" again.
 */
public final class Flash {

    public static final String COOKIE = "bp_done";
    private static final Pattern WORD = Pattern.compile("[a-z-]{1,20}");
    private static final long MAX_AGE_SECONDS = 60;

    private Flash() {}

    /** Sets the word for the next page under {@code path} (e.g. {@code /patient}). */
    public static void set(RoutingContext context, String path, String word, boolean secure) {
        if (!WORD.matcher(word).matches()) {
            throw new IllegalArgumentException("a flash is one fixed word");
        }
        context.response()
                .addCookie(
                        Cookie.cookie(COOKIE, word)
                                .setPath(path)
                                .setHttpOnly(true)
                                .setSecure(secure)
                                .setSameSite(CookieSameSite.STRICT)
                                .setMaxAge(MAX_AGE_SECONDS));
    }

    /**
     * The same cookie for a JAX-RS response (a redirect built with {@code Response.seeOther}): the word
     * for the next page under {@code path}.
     */
    public static NewCookie next(String path, String word, boolean secure) {
        if (!WORD.matcher(word).matches()) {
            throw new IllegalArgumentException("a flash is one fixed word");
        }
        return new NewCookie.Builder(COOKIE)
                .value(word)
                .path(path)
                .maxAge((int) MAX_AGE_SECONDS)
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }

    /** The cookie that expires a word once its page has shown it (for a JAX-RS response). */
    public static NewCookie shown(String path) {
        return new NewCookie.Builder(COOKIE).value("").path(path).maxAge(0).httpOnly(true).build();
    }

    /** The word set by the previous action, if any; it is expired at once, so it is shown once. */
    public static Optional<String> take(RoutingContext context, String path) {
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null) {
            return Optional.empty();
        }
        context.response()
                .addCookie(Cookie.cookie(COOKIE, "").setPath(path).setHttpOnly(true).setMaxAge(0));
        return Optional.of(cookie.getValue()).filter(w -> WORD.matcher(w).matches());
    }
}
