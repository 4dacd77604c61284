package dev.bluepost.platform.errors;

import dev.bluepost.platform.i18n.Language;
import java.util.function.Function;

/**
 * One failure, classified: the kind, a client-safe detail, the request id (also in the log line)
 * and, for a temporary outage, how many seconds to wait before retrying. {@code detailIn} gives the detail in
 * a reader's language where the failure was said from a message bundle (a page shows that; the APIs answer the
 * English {@code detail}).
 */
public record ErrorInfo(
        ErrorKind kind,
        String detail,
        String requestId,
        Integer retryAfterSeconds,
        Function<Language, String> detailIn) {

    public ErrorInfo(ErrorKind kind, String detail, String requestId, Integer retryAfterSeconds) {
        this(kind, detail, requestId, retryAfterSeconds, null);
    }

    public int status() {
        return kind.status();
    }

    /** The detail in a language: its own words where it has them, else the English detail. */
    public String detail(Language language) {
        return detailIn == null || detail == null ? detail : detailIn.apply(language);
    }
}
