package dev.bluepost.web;

import dev.bluepost.platform.i18n.ReaderLanguage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;

/** {@link ReaderLanguage} as {@link LanguageChoice} decides it for the current request. */
@ApplicationScoped
public class ReaderLanguageOfRequest implements ReaderLanguage {

    @Inject
    LanguageChoice choice;

    @Override
    public Locale locale() {
        return choice.locale();
    }
}
