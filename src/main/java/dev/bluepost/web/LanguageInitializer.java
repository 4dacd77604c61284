package dev.bluepost.web;

import dev.bluepost.platform.i18n.ReaderLanguage;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every template rendered for a request speaks the reader's language ({@link LanguageChoice}): the
 * message bundles ({@code {msg:…}}) follow the instance's locale. Outside a request (e-mails, jobs) the
 * caller sets the recipient's locale itself.
 */
@ApplicationScoped
public class LanguageInitializer implements TemplateInstance.Initializer {

    @Inject LanguageChoice choice;

    @Override
    public void accept(TemplateInstance instance) {
        // only for an HTTP request: a scheduled job has a request context but no request (its
        // e-mails set
        // their recipient's locale)
        if (ReaderLanguage.inHttpRequest()) {
            instance.setLocale(choice.locale());
        }
    }
}
