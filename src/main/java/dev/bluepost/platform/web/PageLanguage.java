package dev.bluepost.platform.web;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;

/**
 * The language of the page being rendered, for features the shared page layer ({@code web}) depends on
 * (measurement, audit: {@code web} → identity → them, and features must not depend on each other in a
 * cycle). It reads the locale that {@code web.LanguageInitializer} gives every template instance of the
 * request, so it always agrees with the page's own {@code {bundle:…}} words; English outside a request.
 */
@ApplicationScoped
public class PageLanguage {

    @Inject
    Engine engine;

    public Locale locale() {
        Template layout = engine.getTemplate("layout");
        Object locale = layout == null ? null : layout.instance().getAttribute(TemplateInstance.LOCALE);
        if (locale instanceof Locale l) {
            return l;
        }
        return locale instanceof String tag ? Locale.forLanguageTag(tag) : Locale.ENGLISH;
    }

    /** A message bundle in the page's language, for words a page composes in Java. */
    public <T> T messages(Class<T> bundle) {
        String language = locale().getLanguage();
        return language.isEmpty() || language.equals("en") ? MessageBundles.get(bundle)
                : MessageBundles.get(bundle, Localized.Literal.of(language));
    }
}
