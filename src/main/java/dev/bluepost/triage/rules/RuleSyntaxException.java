package dev.bluepost.triage.rules;

import java.util.List;
import java.util.Optional;

/**
 * A rule that cannot be saved: it does not parse, or it could answer its own replies. The {@link Problem}
 * says why, on which line (0: the rule as a whole) and with which values; the message is its English
 * ("Line 2: name a sender: patient or proxy."), and pages word the problem in their reader's language.
 */
public class RuleSyntaxException extends RuntimeException {

    /** Why a rule does not parse; the English with {@code %s} for its values, in order. */
    public enum Problem {
        EMPTY("The rule is empty: write at least \"when message received\" and one \"then\" line."),
        TOO_LONG("The rule is longer than %s characters."),
        NO_WHEN("The rule has no \"when\" line (write \"when message received\")."),
        DOES_NOTHING("The rule does nothing: add a \"then\" line or \"stop\"."),
        ONE_WHEN("a rule has one \"when\" line"),
        UNKNOWN_LINE("expected a line starting with when, if, then, match, cooldown or stop"),
        SENDER_LOOP(
                "rules act on messages from patients and proxies only (\"sender is patient\" or \"proxy\"); a rule "
                        + "triggered by %s messages could answer its own replies and loop"),
        NO_SENDER("name a sender: patient or proxy"),
        ONE_PATTERN("\"text matches\" takes one quoted pattern of at most %s characters"),
        BAD_PATTERN("the pattern is not a valid regular expression (%s)"),
        UNKNOWN_CONDITION(
                "unknown condition; expected category is, priority is, sender is, pool is, text contains, "
                        + "text matches, text has red flag, outside business hours, within business hours, "
                        + "first message ever or has attachment"),
        ONE_PRIORITY("set one priority"),
        ONE_CATEGORY("set one category"),
        ASSIGN_ID("\"assign to Practitioner/<id>\" needs a practitioner id"),
        TAG_FORMAT("a tag is one word of letters, digits and dashes (at most 40)"),
        DUE_FORMAT(
                "write \"set due-by in N business days\", \"N business hours\" or \"N minutes\" (N at least 1)"),
        REPLY_FORMAT("write reply \"Template name\" (optionally followed by after N minutes)"),
        REPLY_AFTER("after the template name only \"after N minutes\" may follow"),
        REPLY_WAIT("a reply can wait at most 24 hours"),
        UNKNOWN_ACTION(
                "unknown action; expected set priority, set category, route to, assign to, tag, escalate, "
                        + "set due-by in or reply"),
        NOT_A_PRIORITY("'%s' is not a priority (one of %s)"),
        NOT_A_CATEGORY("'%s' is not a category (one of %s)"),
        NO_PRIORITY("name a priority"),
        NO_CATEGORY("name a category"),
        QUOTES("put each word or phrase in double quotes, separated by commas"),
        NAME_ONE("name one, in double quotes"),
        COOLDOWN_FORMAT(
                "write \"cooldown once per thread\" or a time after which the rule may reply in the same "
                        + "thread again, as N minutes, N hours or N days"),
        COOLDOWN_ZERO(
                "a cooldown of 0 would let the rule reply to every message of a thread; "
                        + "use at least 1 minute, or once per thread"),
        DURATION_FORMAT("write a duration as N minutes, N hours or N days"),
        DAYS_RANGE("the number of days is 1 to 365"),
        UNKNOWN_EVENT(
                "the event must be \"when message received\", \"when no staff reply by due-by\" or "
                        + "\"when patient has not read a reply in N days\"");

        private final String english;

        Problem(String english) {
            this.english = english;
        }

        String english(List<String> values) {
            return String.format(java.util.Locale.ROOT, english, values.toArray());
        }
    }

    private final Problem problem;
    private final int line;
    private final List<String> values;

    /** A problem of the rule as a whole. */
    public RuleSyntaxException(Problem problem, String... values) {
        this(problem, 0, values);
    }

    /** A problem of one line (counted from 1). */
    public RuleSyntaxException(Problem problem, int line, String... values) {
        super(english(problem, line, List.of(values)));
        this.problem = problem;
        this.line = line;
        this.values = List.of(values);
    }

    private static String english(Problem problem, int line, List<String> values) {
        String what = problem.english(values);
        return line > 0 ? "Line " + line + ": " + what + "." : what;
    }

    public Problem problem() {
        return problem;
    }

    /** The line the problem is on, if it is on one. */
    public Optional<Integer> line() {
        return line > 0 ? Optional.of(line) : Optional.empty();
    }

    /** The problem's values ({@code %s} of its English), in order: what was written, a limit, the choices. */
    public List<String> values() {
        return values;
    }

    /** The {@code i}th value. */
    public String value(int i) {
        return values.get(i);
    }
}
