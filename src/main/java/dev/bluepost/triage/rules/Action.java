package dev.bluepost.triage.rules;

import java.time.Duration;
import java.util.UUID;

/** One action of a rule; triage applies them in order to the message's queue item. */
public sealed interface Action {

    String describe();

    record SetPriority(String priority) implements Action {
        public String describe() {
            return "set priority " + priority;
        }
    }

    record SetCategory(String category) implements Action {
        public String describe() {
            return "set category " + category;
        }
    }

    record RouteTo(String pool) implements Action {
        public String describe() {
            return "route to \"" + pool + "\"";
        }
    }

    record AssignTo(UUID practitionerId) implements Action {
        public String describe() {
            return "assign to Practitioner/" + practitionerId;
        }
    }

    record Tag(String tag) implements Action {
        public String describe() {
            return "tag " + tag;
        }
    }

    /** Priority urgent and the practice's on-call pool. */
    record Escalate() implements Action {
        public String describe() {
            return "escalate to the on-call pool";
        }
    }

    enum Unit {
        MINUTES,
        BUSINESS_HOURS,
        BUSINESS_DAYS
    }

    record DueIn(int amount, Unit unit) implements Action {
        public String describe() {
            return "set due-by in "
                    + amount
                    + " "
                    + unit.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** An automatic reply from a template, at once or after a delay (dropped if staff answer first). */
    record Reply(String template, Duration delay) implements Action {
        public String describe() {
            return "reply \""
                    + template
                    + "\""
                    + (delay.isZero() ? "" : " after " + delay.toMinutes() + " minutes");
        }
    }
}
