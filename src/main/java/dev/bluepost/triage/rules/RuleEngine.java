package dev.bluepost.triage.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs a practice's enabled rules, in order, over one message's facts, in memory. Pure: no I/O,
 * no logging; the caller applies the actions and keeps the execution log.
 */
public final class RuleEngine {

    /** A rule version as the engine runs it. */
    public record Compiled(UUID id, UUID key, int version, String name, Rule rule) {}

    /**
     * What one rule did for the message.
     *
     * @param fired the conditions held and its actions are to be applied
     * @param why   the conditions that decided it (never text of the message)
     */
    public record Outcome(Compiled rule, boolean fired, Rule.Reason why) {

        /** The conditions that decided it, in English (the execution log's record). */
        public String reason() {
            return why.english();
        }
    }

    private RuleEngine() {}

    /** Later rules see what earlier ones set: priority, category, pool. */
    private static Facts after(Facts f, List<Action> actions) {
        String priority = f.priority();
        String category = f.category();
        String pool = f.pool();
        for (Action action : actions) {
            if (action instanceof Action.SetPriority p) {
                priority = p.priority();
            } else if (action instanceof Action.SetCategory c) {
                category = c.category();
            } else if (action instanceof Action.RouteTo r) {
                pool = r.pool();
            } else if (action instanceof Action.Escalate) {
                priority = "urgent";
            } else if (action instanceof Action.AssignTo) {
                pool = "";
            }
        }
        return new Facts(
                f.text(),
                category,
                priority,
                f.senderKind(),
                pool,
                f.openNow(),
                f.firstEver(),
                f.hasAttachment(),
                f.redFlag());
    }

    /** Every rule's outcome until one that fires says stop; rules after it are not evaluated. */
    public static List<Outcome> evaluate(List<Compiled> rules, Facts facts) {
        String normalized = facts.normalizedText();
        List<Outcome> outcomes = new ArrayList<>(rules.size());
        Facts current = facts;
        for (Compiled compiled : rules) {
            Rule.Reason why = compiled.rule().test(current, normalized);
            boolean fired = why.fired();
            outcomes.add(new Outcome(compiled, fired, why));
            if (fired) {
                current = after(current, compiled.rule().actions());
                if (compiled.rule().stop()) {
                    break;
                }
            }
        }
        return outcomes;
    }
}
