package dev.bluepost.platform.i18n;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

import java.util.Locale;

/**
 * The language of the page being rendered for this request, for features the web layer itself
 * depends on ({@code identity}, {@code directory}): they compose words in Java from their message
 * bundle without depending on {@code web} (which decides the language: {@code web.LanguageChoice}).
 */
public interface ReaderLanguage {

    /** The reader's locale ({@code en} or {@code es}). */
    Locale locale();

    /** A message bundle in the reader's language. */
    default <T> T messages(Class<T> bundle) {
        String tag = locale().getLanguage();
        return "en".equals(tag) ? MessageBundles.get(bundle) : MessageBundles.get(bundle, Localized.Literal.of(tag));
    }
}
