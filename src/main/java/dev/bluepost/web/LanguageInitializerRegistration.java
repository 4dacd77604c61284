package dev.bluepost.web;

import io.quarkus.qute.EngineBuilder;
import io.quarkus.runtime.BlockingOperationControl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gives Qute's engine the {@link LanguageInitializer}: Quarkus does not pick up a
 * {@code TemplateInstance.Initializer} bean by itself, and without this every template rendered for a
 * signed-in reader (or one who chose a language in the header) spoke the browser's language instead.
 * <p>
 * The reader's language may need the database (a login's choice), so it is looked up only where a
 * request may block; on an I/O thread (an error page for an unknown address, a refused request) and
 * when the lookup fails, the template keeps what the caller set (the error page sets its own).
 */
@ApplicationScoped
public class LanguageInitializerRegistration {

    void register(@Observes EngineBuilder builder, LanguageInitializer initializer) {
        builder.addTemplateInstanceInitializer(
                instance -> {
                    if (!BlockingOperationControl.isBlockingAllowed()) {
                        return;
                    }
                    try {
                        initializer.accept(instance);
                    } catch (RuntimeException unavailable) {
                        // e.g. the database is down: the page renders in the language its caller
                        // chose
                    }
                });
    }
}
