package dev.bluepost.web;

import io.quarkus.qute.EngineBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gives Qute's engine the {@link LanguageInitializer}: Quarkus does not pick up a
 * {@code TemplateInstance.Initializer} bean by itself, and without this every template rendered for a
 * signed-in reader (or one who chose a language in the header) spoke the browser's language instead.
 */
@ApplicationScoped
public class LanguageInitializerRegistration {

    void register(@Observes EngineBuilder builder, LanguageInitializer initializer) {
        builder.addTemplateInstanceInitializer(initializer);
    }
}
