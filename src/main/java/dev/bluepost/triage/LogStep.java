package dev.bluepost.triage;

import dev.bluepost.triage.rules.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One piece of a line of a message's execution log ({@link RuleExecution}), as a code and its values:
 * the event a time-based rule ran on, why the rule fired or not, what each action did, a rule skipped, a
 * delayed reply dropped, an SLA step. A line is kept both as these steps ({@code detail_steps}), which a
 * page words in its reader's language ({@link RuleLogWords}), and as their English ({@code detail}), the
 * record support and the tests read. The values are what the rule language and the practice wrote
 * (conditions, actions, template and rule names), codes and moments; never text of a message.
 */
public record LogStep(Step step, List<String> values) {

    /** What a step says, with its English ({@code %s}: its values, in order). */
    public enum Step {
        /** A time-based rule's event, e.g. "no staff reply by due-by". */
        EVENT("%s"),
        CONDITIONS_HELD("%s"),
        NO_CONDITIONS("no conditions"),
        CONDITION_FAILED("not (%s)"),
        NONE_HELD("none of the conditions holds"),
        /** An action done, as the rule writes it. */
        DONE("%s"),
        POOL_GONE("%s not done: the pool no longer exists"),
        PRACTITIONER_GONE("%s not done: the practitioner no longer works for the practice"),
        REPLY_SENT("reply \"%s\" sent (Communication/%s)"),
        REPLY_COOLDOWN(
                "reply \"%s\" not sent: this rule already replied in the thread (cooldown: %s)"),
        REPLY_NO_TEXT(
                "reply \"%s\" not sent: the practice has no automatic reply text of that name"),
        REPLY_SCHEDULED("reply \"%s\" scheduled for %s (dropped if staff answer first)"),
        STOPPED_BY("\"%s\" stopped further rules"),
        DROPPED_ANSWERED("delayed reply \"%s\" dropped: the care team answered first"),
        DROPPED_ANSWERED_BY(
                "delayed reply \"%s\" dropped: the care team answered first (Communication/%s)"),
        DROPPED_CLOSED("delayed reply \"%s\" dropped: the thread was closed"),
        SLA_WARNING_POOL("answer due %s; warning sent to the pool's consoles"),
        SLA_WARNING_ASSIGNEE("answer due %s; warning sent to the assignee's consoles"),
        SLA_BREACHED("answer was due %s → priority %s → %s; escalated to the on-call pool");

        private final String english;

        Step(String english) {
            this.english = english;
        }

        /** Whether the step is what an action did (after the conditions: " → a; b"). */
        boolean isResult() {
            return switch (this) {
                case DONE,
                        POOL_GONE,
                        PRACTITIONER_GONE,
                        REPLY_SENT,
                        REPLY_COOLDOWN,
                        REPLY_NO_TEXT,
                        REPLY_SCHEDULED ->
                        true;
                default -> false;
            };
        }
    }

    private static final char STEPS = '\u001E';
    private static final char VALUES = '\u001F';

    public static LogStep of(Step step, Object... values) {
        return new LogStep(step, Arrays.stream(values).map(String::valueOf).toList());
    }

    /** Why the rule fired or not, as steps. */
    static LogStep of(Rule.Reason why) {
        return switch (why.kind()) {
            case HELD -> of(Step.CONDITIONS_HELD, String.join("; ", why.conditions()));
            case NO_CONDITIONS -> of(Step.NO_CONDITIONS);
            case FAILED -> of(Step.CONDITION_FAILED, why.conditions().get(0));
            case NONE_HELD -> of(Step.NONE_HELD);
        };
    }

    public String value(int i) {
        return values.get(i);
    }

    /** The step's English. */
    public String english() {
        return String.format(Locale.ROOT, step.english, values.toArray());
    }

    /** A line's English: the record kept in {@code detail}. */
    static String english(List<LogStep> steps) {
        return line(steps, LogStep::english);
    }

    /**
     * A line from its steps' words: "event: conditions → result; result", or a single step. The
     * punctuation is the same in every language.
     */
    static String line(List<LogStep> steps, Function<LogStep, String> words) {
        StringBuilder line = new StringBuilder();
        boolean results = false;
        for (LogStep s : steps) {
            if (s.step.isResult()) {
                line.append(results ? "; " : " → ");
                results = true;
            }
            line.append(words.apply(s));
            if (s.step == Step.EVENT) {
                line.append(": ");
            }
        }
        return line.toString();
    }

    /** The steps as {@code detail_steps} keeps them. */
    static String encode(List<LogStep> steps) {
        StringBuilder out = new StringBuilder();
        for (LogStep s : steps) {
            if (!out.isEmpty()) {
                out.append(STEPS);
            }
            out.append(s.step.name());
            for (String value : s.values) {
                out.append(VALUES).append(value.replace(STEPS, ' ').replace(VALUES, ' '));
            }
        }
        return out.toString();
    }

    /** The steps of a stored line; empty for a line kept only in English (written before steps were kept) or not read. */
    static List<LogStep> decode(String stored) {
        if (stored == null || stored.isEmpty()) {
            return List.of();
        }
        List<LogStep> steps = new ArrayList<>();
        for (String part : stored.split(String.valueOf(STEPS), -1)) {
            String[] fields = part.split(String.valueOf(VALUES), -1);
            Step step;
            try {
                step = Step.valueOf(fields[0]);
            } catch (IllegalArgumentException e) {
                return List.of(); // a step this version does not know: the English is shown
            }
            steps.add(new LogStep(step, List.of(fields).subList(1, fields.length)));
        }
        return steps;
    }
}
