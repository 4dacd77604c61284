package dev.bluepost.triage.rules;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** One condition of a rule. {@link #describe()} is what the execution log shows: never the message text. */
public sealed interface Condition {

    boolean test(Facts facts, String normalizedText);

    String describe();

    record Not(Condition inner) implements Condition {
        public boolean test(Facts f, String t) {
            return !inner.test(f, t);
        }

        public String describe() {
            return "not " + inner.describe();
        }
    }

    record CategoryIs(Set<String> codes) implements Condition {
        public boolean test(Facts f, String t) {
            return codes.contains(f.category());
        }

        public String describe() {
            return "category is " + String.join(", ", codes);
        }
    }

    record PriorityIs(Set<String> codes) implements Condition {
        public boolean test(Facts f, String t) {
            return codes.contains(f.priority());
        }

        public String describe() {
            return "priority is " + String.join(", ", codes);
        }
    }

    /** Whole words or phrases, case- and accent-insensitive. */
    record TextContains(List<String> words, Pattern pattern) implements Condition {
        static TextContains of(List<String> words) {
            StringBuilder regex = new StringBuilder("\\b(");
            for (int i = 0; i < words.size(); i++) {
                regex.append(i == 0 ? "" : "|").append(Pattern.quote(Text.normalize(words.get(i))));
            }
            return new TextContains(words, Pattern.compile(regex.append(")\\b").toString()));
        }

        public boolean test(Facts f, String t) {
            return pattern.matcher(t).find();
        }

        public String describe() {
            return "text contains one of " + words.size() + " listed words";
        }
    }

    record TextMatches(String regex, Pattern pattern) implements Condition {
        public boolean test(Facts f, String t) {
            return pattern.matcher(t).find();
        }

        public String describe() {
            return "text matches the rule's pattern";
        }
    }

    record RedFlag() implements Condition {
        public boolean test(Facts f, String t) {
            return f.redFlag().isPresent();
        }

        public String describe() {
            return "text has a red flag";
        }
    }

    record SenderIs(Set<String> kinds) implements Condition {
        public boolean test(Facts f, String t) {
            return kinds.contains(f.senderKind().toLowerCase(java.util.Locale.ROOT));
        }

        public String describe() {
            return "sender is " + String.join(", ", kinds);
        }
    }

    record PoolIs(String pool) implements Condition {
        public boolean test(Facts f, String t) {
            return pool.equalsIgnoreCase(f.pool());
        }

        public String describe() {
            return "pool is \"" + pool + "\"";
        }
    }

    record OutsideBusinessHours() implements Condition {
        public boolean test(Facts f, String t) {
            return !f.openNow();
        }

        public String describe() {
            return "outside business hours";
        }
    }

    record WithinBusinessHours() implements Condition {
        public boolean test(Facts f, String t) {
            return f.openNow();
        }

        public String describe() {
            return "within business hours";
        }
    }

    record FirstMessageEver() implements Condition {
        public boolean test(Facts f, String t) {
            return f.firstEver();
        }

        public String describe() {
            return "first message ever from this patient";
        }
    }

    record HasAttachment() implements Condition {
        public boolean test(Facts f, String t) {
            return f.hasAttachment();
        }

        public String describe() {
            return "has an attachment";
        }
    }
}
