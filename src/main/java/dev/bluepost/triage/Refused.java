package dev.bluepost.triage;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import java.util.function.Function;

/** Triage's refusals, said with {@link TriageRefusals}: pages show them in the reader's language, the APIs in English. */
public final class Refused {

    private Refused() {}

    /** A request that breaks a rule (422). */
    public static BluepostException rule(Function<TriageRefusals, String> words) {
        return BluepostException.said(ErrorKind.BUSINESS_RULE, TriageRefusals.class, words);
    }

    /** A request that collides with the item's state, e.g. someone else holds it (409). */
    public static BluepostException conflict(Function<TriageRefusals, String> words) {
        return BluepostException.said(ErrorKind.CONFLICT, TriageRefusals.class, words);
    }

    /** A caller who may not do it (403). */
    public static BluepostException forbidden(Function<TriageRefusals, String> words) {
        return BluepostException.said(ErrorKind.FORBIDDEN, TriageRefusals.class, words);
    }
}
