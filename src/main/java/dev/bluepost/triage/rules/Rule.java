package dev.bluepost.triage.rules;

import java.time.Duration;
import java.util.List;

/**
 * A parsed triage rule: an event, conditions (all must hold, or any with {@code match any}),
 * actions in order, whether later rules still run, and how long an automatic reply of this rule
 * waits before the same thread may get it again.
 */
public record Rule(String event, List<Condition> conditions, boolean matchAny, List<Action> actions, boolean stop,
                   Duration cooldown) {

    public static final String MESSAGE_RECEIVED = "message received";

    /** Whether the rule fires for these facts; {@code why} receives the conditions that decided it. */
    public boolean matches(Facts facts, String normalizedText, List<String> why) {
        if (conditions.isEmpty()) {
            why.add("no conditions");
            return true;
        }
        for (Condition condition : conditions) {
            boolean holds = condition.test(facts, normalizedText);
            if (matchAny && holds) {
                why.add(condition.describe());
                return true;
            }
            if (!matchAny && !holds) {
                why.clear();
                why.add("not (" + condition.describe() + ")");
                return false;
            }
            if (!matchAny) {
                why.add(condition.describe());
            }
        }
        if (matchAny) {
            why.add("none of the conditions holds");
            return false;
        }
        return true;
    }

    public boolean replies() {
        return actions.stream().anyMatch(a -> a instanceof Action.Reply);
    }
}
