package dev.bluepost.platform.i18n;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import java.util.Locale;
import java.util.Optional;

/** The languages Bluepost's pages, e-mails and automatic replies are written in. */
public enum Language {
    ENGLISH("en", "English"),
    SPANISH("es", "Español");

    private final String tag;
    private final String ownName;

    Language(String tag, String ownName) {
        this.tag = tag;
        this.ownName = ownName;
    }

    /** The IETF language tag: {@code <html lang>}, the stored choice, the message bundles' locale. */
    public String tag() {
        return tag;
    }

    /** The language's name in itself ("Español"): what a chooser shows, so that a reader finds their own. */
    public String ownName() {
        return ownName;
    }

    public Locale locale() {
        return Locale.forLanguageTag(tag);
    }

    /**
     * A message bundle (a {@code @MessageBundle} interface) in this language: for words composed in
     * Java, and for e-mails and automatic replies written in their recipient's language.
     */
    public <T> T messages(Class<T> bundle) {
        return this == ENGLISH
                ? MessageBundles.get(bundle)
                : MessageBundles.get(bundle, Localized.Literal.of(tag));
    }

    /** The language of a tag ("es", "es-MX"), if Bluepost speaks it. */
    public static Optional<Language> fromTag(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        String primary = tag.strip().toLowerCase(Locale.ROOT);
        int dash = primary.indexOf('-');
        if (dash > 0) {
            primary = primary.substring(0, dash);
        }
        for (Language l : values()) {
            if (l.tag.equals(primary)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
