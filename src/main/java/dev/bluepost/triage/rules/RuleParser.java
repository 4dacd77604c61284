package dev.bluepost.triage.rules;

import dev.bluepost.triage.rules.RuleSyntaxException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the rule language of docs/triage.md, one statement per line:
 * <pre>
 * when message received
 * if text has red flag
 * if not category is billing
 * then set priority urgent
 * then reply "Emergency" after 5 minutes
 * cooldown once per thread
 * stop
 * </pre>
 * Anything it does not understand is refused with the line number and what was expected. A rule
 * that could answer automatic or care-team messages (a reply loop) is refused too.
 */
public final class RuleParser {

    public static final Set<String> CATEGORIES =
            Set.of(
                    "medical-question",
                    "medication-refill",
                    "appointment",
                    "referral",
                    "test-results",
                    "billing",
                    "other");
    public static final Set<String> PRIORITIES = Set.of("routine", "urgent", "asap", "stat");
    private static final Set<String> SENDERS = Set.of("patient", "proxy");
    private static final Duration MAX_DELAY = Duration.ofHours(24);
    private static final int MAX_PATTERN = 300;
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]{1,200})\"");
    private static final Pattern DURATION =
            Pattern.compile("(\\d{1,5})\\s+(minutes?|hours?|days?)");

    private RuleParser() {}

    public static Rule parse(String definition) {
        if (definition == null || definition.isBlank()) {
            throw new RuleSyntaxException(Problem.EMPTY);
        }
        if (definition.length() > 10_000) {
            throw new RuleSyntaxException(Problem.TOO_LONG, "10,000");
        }
        String event = null;
        List<Condition> conditions = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        boolean matchAny = false;
        boolean stop = false;
        Cooldown cooldown = null;
        String[] lines = definition.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            int lineNo = n + 1;
            if (lower.startsWith("when ")) {
                if (event != null) {
                    throw error(lineNo, Problem.ONE_WHEN);
                }
                event = event(lower.substring(5).strip().replaceAll("\\s+", " "), lineNo);
            } else if (lower.startsWith("if ")) {
                conditions.add(condition(line.substring(3).strip(), lineNo));
            } else if (lower.equals("match any")) {
                matchAny = true;
            } else if (lower.equals("match all")) {
                matchAny = false;
            } else if (lower.startsWith("then ")) {
                actions.add(action(line.substring(5).strip(), lineNo));
            } else if (lower.equals("stop")) {
                stop = true;
            } else if (lower.startsWith("cooldown ")) {
                cooldown = cooldown(lower.substring(9).strip().replaceAll("\\s+", " "), lineNo);
            } else {
                throw error(lineNo, Problem.UNKNOWN_LINE);
            }
        }
        if (event == null) {
            throw new RuleSyntaxException(Problem.NO_WHEN);
        }
        if (actions.isEmpty() && !stop) {
            throw new RuleSyntaxException(Problem.DOES_NOTHING);
        }
        return new Rule(
                event,
                List.copyOf(conditions),
                matchAny,
                List.copyOf(actions),
                stop,
                cooldown == null ? Cooldown.ONCE_PER_THREAD : cooldown);
    }

    private static Condition condition(String text, int lineNo) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("not ")) {
            return new Condition.Not(condition(text.substring(4).strip(), lineNo));
        }
        if (lower.startsWith("category is ")) {
            return new Condition.CategoryIs(
                    codes(lower.substring(12), CATEGORIES, "category", lineNo));
        }
        if (lower.startsWith("priority is ")) {
            return new Condition.PriorityIs(
                    codes(lower.substring(12), PRIORITIES, "priority", lineNo));
        }
        if (lower.startsWith("sender is ")) {
            Set<String> kinds = new LinkedHashSet<>();
            for (String kind : lower.substring(10).split("[,\\s]+(or\\s+)?")) {
                if (kind.isBlank() || kind.equals("or")) {
                    continue;
                }
                if (!SENDERS.contains(kind)) {
                    throw error(lineNo, Problem.SENDER_LOOP, kind);
                }
                kinds.add(kind);
            }
            if (kinds.isEmpty()) {
                throw error(lineNo, Problem.NO_SENDER);
            }
            return new Condition.SenderIs(kinds);
        }
        if (lower.startsWith("text contains ")) {
            List<String> words = quoted(text.substring(14), lineNo);
            return Condition.TextContains.of(words);
        }
        if (lower.startsWith("text matches ")) {
            List<String> patterns = quoted(text.substring(13), lineNo);
            if (patterns.size() != 1 || patterns.get(0).length() > MAX_PATTERN) {
                throw error(lineNo, Problem.ONE_PATTERN, String.valueOf(MAX_PATTERN));
            }
            try {
                return new Condition.TextMatches(
                        patterns.get(0), Pattern.compile(Text.normalize(patterns.get(0))));
            } catch (PatternSyntaxException e) {
                throw error(lineNo, Problem.BAD_PATTERN, e.getDescription());
            }
        }
        return switch (lower) {
            case "text has red flag", "text has a red flag", "red flag" -> new Condition.RedFlag();
            case "outside business hours", "after hours" -> new Condition.OutsideBusinessHours();
            case "within business hours", "business hours" -> new Condition.WithinBusinessHours();
            case "first message ever" -> new Condition.FirstMessageEver();
            case "has attachment", "has an attachment" -> new Condition.HasAttachment();
            default -> {
                if (lower.startsWith("pool is ")) {
                    yield new Condition.PoolIs(single(text.substring(8), lineNo));
                }
                throw error(lineNo, Problem.UNKNOWN_CONDITION);
            }
        };
    }

    private static Action action(String text, int lineNo) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("set priority ")) {
            return new Action.SetPriority(
                    codes(lower.substring(13), PRIORITIES, "priority", lineNo).stream()
                            .reduce(
                                    (a, b) -> {
                                        throw error(lineNo, Problem.ONE_PRIORITY);
                                    })
                            .orElseThrow());
        }
        if (lower.startsWith("set category ")) {
            return new Action.SetCategory(
                    codes(lower.substring(13), CATEGORIES, "category", lineNo).stream()
                            .reduce(
                                    (a, b) -> {
                                        throw error(lineNo, Problem.ONE_CATEGORY);
                                    })
                            .orElseThrow());
        }
        if (lower.startsWith("route to ")) {
            return new Action.RouteTo(single(text.substring(9), lineNo));
        }
        if (lower.startsWith("assign to practitioner/")) {
            try {
                return new Action.AssignTo(UUID.fromString(text.substring(23).strip()));
            } catch (IllegalArgumentException e) {
                throw error(lineNo, Problem.ASSIGN_ID);
            }
        }
        if (lower.startsWith("tag ")) {
            String tag = lower.substring(4).strip().replace("\"", "");
            if (!tag.matches("[a-z0-9][a-z0-9-]{0,39}")) {
                throw error(lineNo, Problem.TAG_FORMAT);
            }
            return new Action.Tag(tag);
        }
        if (lower.equals("escalate")) {
            return new Action.Escalate();
        }
        if (lower.startsWith("set due-by in ") || lower.startsWith("due in ")) {
            String rest = lower.substring(lower.indexOf(" in ") + 4).strip();
            Matcher m =
                    Pattern.compile("(\\d{1,4})\\s+(business days?|business hours?|minutes?)")
                            .matcher(rest);
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
                throw error(lineNo, Problem.DUE_FORMAT);
            }
            Action.Unit unit =
                    m.group(2).startsWith("business day")
                            ? Action.Unit.BUSINESS_DAYS
                            : m.group(2).startsWith("business hour")
                                    ? Action.Unit.BUSINESS_HOURS
                                    : Action.Unit.MINUTES;
            return new Action.DueIn(Integer.parseInt(m.group(1)), unit);
        }
        if (lower.startsWith("reply ")) {
            Matcher quoted = QUOTED.matcher(text.substring(6).strip());
            if (!quoted.lookingAt()) {
                throw error(lineNo, Problem.REPLY_FORMAT);
            }
            String rest =
                    text.substring(6)
                            .strip()
                            .substring(quoted.end())
                            .strip()
                            .toLowerCase(Locale.ROOT);
            Duration delay = Duration.ZERO;
            if (!rest.isEmpty()) {
                if (!rest.startsWith("after ")) {
                    throw error(lineNo, Problem.REPLY_AFTER);
                }
                delay = duration(rest.substring(6).strip(), lineNo);
                if (delay.compareTo(MAX_DELAY) > 0) {
                    throw error(lineNo, Problem.REPLY_WAIT);
                }
            }
            return new Action.Reply(quoted.group(1).strip(), delay);
        }
        throw error(lineNo, Problem.UNKNOWN_ACTION);
    }

    private static Set<String> codes(String list, Set<String> allowed, String what, int lineNo) {
        boolean category = what.equals("category");
        Set<String> codes = new LinkedHashSet<>();
        for (String code : list.split("[,\\s]+")) {
            if (code.isBlank() || code.equals("or")) {
                continue;
            }
            if (!allowed.contains(code)) {
                throw error(
                        lineNo,
                        category ? Problem.NOT_A_CATEGORY : Problem.NOT_A_PRIORITY,
                        code,
                        String.join(", ", new java.util.TreeSet<>(allowed)));
            }
            codes.add(code);
        }
        if (codes.isEmpty()) {
            throw error(lineNo, category ? Problem.NO_CATEGORY : Problem.NO_PRIORITY);
        }
        return codes;
    }

    private static List<String> quoted(String text, int lineNo) {
        List<String> values = new ArrayList<>();
        Matcher m = QUOTED.matcher(text);
        int end = 0;
        while (m.find()) {
            if (!text.substring(end, m.start()).replace(",", " ").replace(" or ", " ").isBlank()) {
                throw error(lineNo, Problem.QUOTES);
            }
            values.add(m.group(1));
            end = m.end();
        }
        if (values.isEmpty() || !text.substring(end).isBlank()) {
            throw error(lineNo, Problem.QUOTES);
        }
        return values;
    }

    private static String single(String text, int lineNo) {
        List<String> values = quoted(text.strip(), lineNo);
        if (values.size() != 1) {
            throw error(lineNo, Problem.NAME_ONE);
        }
        return values.get(0).strip();
    }

    /** "once per thread" (also the default), or a time after which the rule may reply in the same thread again. */
    private static Cooldown cooldown(String text, int lineNo) {
        if (text.equals("once per thread")
                || text.equals("once per conversation")
                || text.equals("once")) {
            return Cooldown.ONCE_PER_THREAD;
        }
        if (!DURATION.matcher(text).matches()) {
            throw error(lineNo, Problem.COOLDOWN_FORMAT);
        }
        Duration repeatAfter = duration(text, lineNo);
        if (repeatAfter.isZero()) {
            throw error(lineNo, Problem.COOLDOWN_ZERO);
        }
        return Cooldown.after(repeatAfter);
    }

    private static Duration duration(String text, int lineNo) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw error(lineNo, Problem.DURATION_FORMAT);
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).startsWith("minute")
                ? Duration.ofMinutes(n)
                : m.group(2).startsWith("hour") ? Duration.ofHours(n) : Duration.ofDays(n);
    }

    private static final java.util.regex.Pattern UNREAD =
            java.util.regex.Pattern.compile(
                    java.util.regex.Pattern.quote(Rule.UNREAD_REPLY) + "(\\d{1,3}) days?");

    /** The event of a "when" line, in its canonical spelling. */
    private static String event(String what, int lineNo) {
        if (what.equals(Rule.MESSAGE_RECEIVED) || what.equals(Rule.NO_STAFF_REPLY)) {
            return what;
        }
        java.util.regex.Matcher unread = UNREAD.matcher(what);
        if (unread.matches()) {
            int days = Integer.parseInt(unread.group(1));
            if (days < 1 || days > 365) {
                throw error(lineNo, Problem.DAYS_RANGE);
            }
            return Rule.UNREAD_REPLY + days + " days";
        }
        throw error(lineNo, Problem.UNKNOWN_EVENT);
    }

    private static RuleSyntaxException error(int line, Problem problem, String... values) {
        return new RuleSyntaxException(problem, line, values);
    }
}
