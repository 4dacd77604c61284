package dev.bluepost.platform.errors;

import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.i18n.Said;
import java.util.Optional;
import java.util.function.Function;

/**
 * A failure the caller can understand and act on. The message is shown to the client and written
 * to the log, so it must never contain PHI: name resources by type and id, never by content.
 *
 * <p>A refusal a person reads on a page is {@link #said said} with a message of its feature's bundle: pages
 * show it in the reader's language ({@link #in}), on the form field it is {@link #about}; the message (the
 * APIs' detail and the log) is the same message's English.
 */
public class BluepostException extends RuntimeException {

    private final ErrorKind kind;
    private final Said<?> said;
    private final String field;
    private volatile String english;

    public BluepostException(ErrorKind kind, String message) {
        this(kind, message, null, null);
    }

    private BluepostException(ErrorKind kind, String message, Said<?> said, String field) {
        super(message, null, false, false);
        this.kind = kind;
        this.said = said;
        this.field = field;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** A refusal in the words of a message bundle: {@code said(BUSINESS_RULE, ThreadMessages.class, m -> m.error_empty())}. */
    public static <B> BluepostException said(
            ErrorKind kind, Class<B> bundle, Function<B, String> words) {
        return new BluepostException(kind, null, Said.of(bundle, words), null);
    }

    /** The same refusal, about one field of the form it answers ({@code "subject"}), for the page to mark it. */
    public BluepostException about(String formField) {
        return new BluepostException(kind, super.getMessage(), said, formField);
    }

    /** The form field the refusal is about, if it is about one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** Whether the refusal was said from a message bundle, so that {@link #in} has it in every language. */
    public boolean translated() {
        return said != null;
    }

    /** What the refusal says in a reader's language; a refusal not said from a bundle has only its English. */
    public String in(Language language) {
        return said == null ? getMessage() : said.in(language);
    }

    /** The English: the APIs' detail and the log's words. */
    @Override
    public String getMessage() {
        if (said == null) {
            return super.getMessage();
        }
        String text = english;
        if (text == null) {
            text = said.in(Language.ENGLISH);
            english = text;
        }
        return text;
    }

    public static BluepostException notFound(String resourceType, Object id) {
        return new BluepostException(
                ErrorKind.NOT_FOUND, resourceType + "/" + id + " is not known");
    }

    public static BluepostException malformed(String message) {
        return new BluepostException(ErrorKind.MALFORMED, message);
    }

    public static BluepostException businessRule(String message) {
        return new BluepostException(ErrorKind.BUSINESS_RULE, message);
    }

    public static BluepostException conflict(String message) {
        return new BluepostException(ErrorKind.CONFLICT, message);
    }

    public static BluepostException preconditionFailed(String message) {
        return new BluepostException(ErrorKind.PRECONDITION_FAILED, message);
    }

    public static BluepostException forbidden(String message) {
        return new BluepostException(ErrorKind.FORBIDDEN, message);
    }

    public static BluepostException tooLarge(String message) {
        return new BluepostException(ErrorKind.PAYLOAD_TOO_LARGE, message);
    }
}
