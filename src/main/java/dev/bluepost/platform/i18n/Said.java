package dev.bluepost.platform.i18n;

import java.util.Objects;
import java.util.function.Function;

/**
 * Words from a feature's message bundle, not yet put into a language: what a refusal says
 * ({@code BluepostException.said}), so that a page shows it in its reader's language while the JSON and FHIR
 * APIs and the log keep the English of the same message. {@code words} picks the message and its
 * parameters: {@code m -> m.error_subject_too_long(200)}.
 */
public final class Said<B> {

    private final Class<B> bundle;
    private final Function<B, String> words;

    private Said(Class<B> bundle, Function<B, String> words) {
        this.bundle = Objects.requireNonNull(bundle);
        this.words = Objects.requireNonNull(words);
    }

    public static <B> Said<B> of(Class<B> bundle, Function<B, String> words) {
        return new Said<>(bundle, words);
    }

    /** The words in a language (the bundle's Spanish file, or its English {@code @Message}). */
    public String in(Language language) {
        return words.apply(language.messages(bundle));
    }
}
