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
 * cycle). It asks the request's language choice through Qute ({@code {inject:lang.tag}}, as the layout's
 * {@code <html lang>} does), so no compile-time dependency on {@code web} is needed. Pages set it on their
 * template instances ({@link #of}), so that their {@code {bundle:…}} words and the words they compose in Java
 * agree.
 */
@ApplicationScoped
public class PageLanguage {

    @Inject
    Engine engine;

    private volatile Template tag;

    public Locale locale() {
        Template template = tag;
        if (template == null) {
            template = engine.parse("{inject:lang.tag}");
            tag = template;
        }
        String language = template.render().strip();
        return language.isEmpty() ? Locale.ENGLISH : Locale.forLanguageTag(language);
    }

    /** The page in this request's language. */
    public TemplateInstance of(TemplateInstance page) {
        return page.setLocale(locale());
    }

    /** A message bundle in the page's language, for words a page composes in Java. */
    public <T> T messages(Class<T> bundle) {
        String language = locale().getLanguage();
        return language.isEmpty() || language.equals("en") ? MessageBundles.get(bundle)
                : MessageBundles.get(bundle, Localized.Literal.of(language));
    }
}
