package dev.bluepost.web;

import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
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

    @Override
    public void accept(TemplateInstance instance) {
        // only for an HTTP request: a scheduled job has a request context but no request (its e-mails set
        // their recipient's locale)
        if (inHttpRequest()) {
            instance.setLocale(choice.locale());
        }
    }

    /** Whether the current thread serves an HTTP request (not only a request context, as scheduled jobs have). */
    public static boolean inHttpRequest() {
        return Arc.container().requestContext().isActive()
                && Arc.container().instance(CurrentVertxRequest.class).get().getCurrent() != null;
    }
}
