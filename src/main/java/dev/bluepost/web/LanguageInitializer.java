package dev.bluepost.web;

import io.quarkus.arc.Arc;
import io.quarkus.qute.EngineBuilder;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every template rendered for a request speaks the reader's language ({@link LanguageChoice}): the
 * message bundles ({@code {msg:…}}) follow the instance's locale. Outside a request (e-mails, jobs) the
 * caller sets the recipient's locale itself.
 */
@ApplicationScoped
public class LanguageInitializer implements TemplateInstance.Initializer {

    @Inject
    LanguageChoice choice;

    /** Qute does not pick initializers up by themselves: this one is added to the engine as it is built. */
    void register(@Observes EngineBuilder builder) {
        builder.addTemplateInstanceInitializer(this);
    }

    @Override
    public void accept(TemplateInstance instance) {
        if (Arc.container().requestContext().isActive()) {
            instance.setLocale(choice.locale());
        }
    }
}
