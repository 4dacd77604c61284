package dev.bluepost.web;

import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.i18n.ReaderLanguage;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The language of this request's page: the signed-in login's choice; before sign-in (or until a login
 * chooses) the one picked in the language chooser (a cookie); else the first of the browser's
 * preferred languages that Bluepost speaks; else English. {@code {inject:lang.…}} in templates.
 */
@Named("lang")
@RequestScoped
public class LanguageChoice implements ReaderLanguage {

    /** The language picked in the chooser by someone not signed in (no personal data: "en" or "es"). */
    public static final String COOKIE = "bp_lang";

    @Inject PageContext page;

    @Inject RoutingContext context;

    private Language language;

    @Override
    public Language language() {
        if (language == null) {
            language =
                    page.signedInUser()
                            .flatMap(u -> Language.fromTag(u.language()))
                            .or(this::fromCookie)
                            .or(this::fromBrowser)
                            .orElse(Language.ENGLISH);
        }
        return language;
    }

    /** {@code <html lang="…">}. */
    public String getTag() {
        return language().tag();
    }

    /** The languages the chooser offers besides the current one. */
    public List<Language> getOthers() {
        return Arrays.stream(Language.values()).filter(l -> l != language()).toList();
    }

    /** Where the chooser brings the reader back to: this page (path and query). */
    public String getHere() {
        String uri = context.request().uri();
        return uri == null || !uri.startsWith("/") ? "/" : uri;
    }

    private Optional<Language> fromCookie() {
        Cookie cookie = context.request().getCookie(COOKIE);
        return cookie == null ? Optional.empty() : Language.fromTag(cookie.getValue());
    }

    /** The first language of the browser's Accept-Language list (by weight) that Bluepost speaks. */
    private Optional<Language> fromBrowser() {
        return fromBrowser(context.request().getHeader("Accept-Language"));
    }

    /** The first language of an Accept-Language header (by weight) that Bluepost speaks. */
    static Optional<Language> fromBrowser(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Locale.LanguageRange.parse(header).stream()
                    .sorted(Comparator.comparingDouble(Locale.LanguageRange::getWeight).reversed())
                    .map(range -> Language.fromTag(range.getRange()))
                    .flatMap(Optional::stream)
                    .findFirst();
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
