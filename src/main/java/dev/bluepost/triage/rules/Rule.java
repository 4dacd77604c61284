package dev.bluepost.triage.rules;

import java.util.List;

/**
 * A parsed triage rule: an event, conditions (all must hold, or any with {@code match any}),
 * actions in order, whether later rules still run, and how often an automatic reply of this rule
 * may reach the same thread (once per thread unless a cooldown says it may repeat).
 */
public record Rule(String event, List<Condition> conditions, boolean matchAny, List<Action> actions, boolean stop,
                   Cooldown cooldown) {

    public static final String MESSAGE_RECEIVED = "message received";
    /** Time-based: the item's due-by passed and the care team has not answered (automatic replies do not count). */
    public static final String NO_STAFF_REPLY = "no staff reply by due-by";
    /** Time-based, with N days: a care-team reply (not automatic) has stayed unopened by the patient's side for N days. */
    public static final String UNREAD_REPLY = "patient has not read a reply in ";

    /** The rule runs on a new patient message (else on a time-based event, from the scheduled job). */
    public boolean onMessage() {
        return MESSAGE_RECEIVED.equals(event);
    }

    /** N of "patient has not read a reply in N days"; 0 for other events. */
    public int unreadDays() {
        if (!event.startsWith(UNREAD_REPLY)) {
            return 0;
        }
        return Integer.parseInt(event.substring(UNREAD_REPLY.length()).split(" ")[0]);
    }

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
