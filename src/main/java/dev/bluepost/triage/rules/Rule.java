package dev.bluepost.triage.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed triage rule: an event, conditions (all must hold, or any with {@code match any}),
 * actions in order, whether later rules still run, and how often an automatic reply of this rule
 * may reach the same thread (once per thread unless a cooldown says it may repeat).
 */
public record Rule(
        String event,
        List<Condition> conditions,
        boolean matchAny,
        List<Action> actions,
        boolean stop,
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

    /**
     * Why a rule fired or did not: the conditions that decided it, as the rule language writes them
     * ({@link Condition#describe()}: never text of the message), and how they decided it.
     */
    public record Reason(Kind kind, List<String> conditions) {

        public enum Kind {
            /** The conditions listed held (all of them, or with match any the first that did). */
            HELD,
            /** The rule has none: it fires on every message. */
            NO_CONDITIONS,
            /** The one condition listed did not hold. */
            FAILED,
            /** Match any, and none held. */
            NONE_HELD
        }

        public boolean fired() {
            return kind == Kind.HELD || kind == Kind.NO_CONDITIONS;
        }

        /** The English of the execution log and the dry run: "category is billing; text has a red flag", "not (…)". */
        public String english() {
            return switch (kind) {
                case HELD -> String.join("; ", conditions);
                case NO_CONDITIONS -> "no conditions";
                case FAILED -> "not (" + conditions.get(0) + ")";
                case NONE_HELD -> "none of the conditions holds";
            };
        }
    }

    /** Whether the rule fires for these facts, and the conditions that decided it. */
    public Reason test(Facts facts, String normalizedText) {
        if (conditions.isEmpty()) {
            return new Reason(Reason.Kind.NO_CONDITIONS, List.of());
        }
        List<String> held = new ArrayList<>();
        for (Condition condition : conditions) {
            boolean holds = condition.test(facts, normalizedText);
            if (matchAny && holds) {
                return new Reason(Reason.Kind.HELD, List.of(condition.describe()));
            }
            if (!matchAny && !holds) {
                return new Reason(Reason.Kind.FAILED, List.of(condition.describe()));
            }
            if (!matchAny) {
                held.add(condition.describe());
            }
        }
        return matchAny
                ? new Reason(Reason.Kind.NONE_HELD, List.of())
                : new Reason(Reason.Kind.HELD, List.copyOf(held));
    }

    public boolean replies() {
        return actions.stream().anyMatch(a -> a instanceof Action.Reply);
    }
}
