package dev.bluepost.triage;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reply templates' placeholders: {@code {patient}} (the patient's name), {@code {practice}},
 * {@code {expected-by}} (when the care team will answer), {@code {next-opening}} (when the office
 * next opens), {@code {after-hours}} (while the office is closed, a sentence saying so and when it
 * opens again; empty while it is open), {@code {emergency-help}} (what to do for the red flag
 * raised), {@code {pool}} (the queue), {@code {staff}} (who sends it; empty in automatic replies).
 */
public final class Templates {

    public static final List<String> PLACEHOLDERS =
            List.of(
                    "patient",
                    "practice",
                    "expected-by",
                    "next-opening",
                    "after-hours",
                    "emergency-help",
                    "pool",
                    "staff");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z-]+)}");

    private Templates() {}

    /** The first {name} that is not a placeholder, or null. */
    static String unknownPlaceholder(String body) {
        Matcher m = PLACEHOLDER.matcher(body);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                return m.group(1);
            }
        }
        return null;
    }

    /** The template with each placeholder replaced by its value (absent values by an empty text). */
    public static String render(String body, Map<String, String> values) {
        return render(body, (java.util.function.Function<String, String>) values::get);
    }

    /**
     * The template with each placeholder replaced by the value {@code values} gives for its name
     * (null: an empty text). Only the placeholders the template uses are asked for: some values
     * cost a lookup (the patient's name) or a calendar walk (the next opening).
     */
    public static String render(String body, java.util.function.Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = PLACEHOLDERS.contains(m.group(1)) ? values.apply(m.group(1)) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString().replaceAll(" {2,}", " ").replace(" ,", ",").strip();
    }
}
