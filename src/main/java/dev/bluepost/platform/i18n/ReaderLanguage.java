package dev.bluepost.platform.i18n;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import java.util.Locale;

/**
 * The language of the page being rendered for this request, for features the web layer itself
 * depends on ({@code identity}, {@code directory}, {@code measurement}, …): they compose words in Java
 * from their message bundle without depending on {@code web}, which decides the language
 * ({@code web.LanguageChoice} implements this).
 */
public interface ReaderLanguage {

    /** The reader's language. */
    Language language();

    /** The reader's locale ({@code en} or {@code es}): dates and numbers. */
    default Locale locale() {
        return language().locale();
    }

    /** A message bundle in the reader's language. */
    default <T> T messages(Class<T> bundle) {
        return language().messages(bundle);
    }

    /**
     * Whether the current thread serves an HTTP request, so that there is a reader to ask (a scheduled job has a
     * request context but no request: its e-mails and replies use their recipient's language).
     */
    static boolean inHttpRequest() {
        return Arc.container().requestContext().isActive()
                && Arc.container().instance(CurrentVertxRequest.class).get().getCurrent() != null;
    }
}
