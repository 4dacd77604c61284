package dev.bluepost.triage;

import dev.bluepost.triage.rules.RuleSyntaxException;

/**
 * A rule language problem ({@link RuleSyntaxException}) in the words of {@link TriageRefusals}, in the
 * bundle's language: the line number and the values the rule's author wrote stay parameters.
 */
final class RuleSyntaxWords {

    private RuleSyntaxWords() {}

    static String text(RuleSyntaxException e, TriageRefusals m) {
        String what = what(e, m);
        return e.line().map(line -> m.syntax_line(line, what)).orElse(what);
    }

    private static String what(RuleSyntaxException e, TriageRefusals m) {
        return switch (e.problem()) {
            case EMPTY -> m.syntax_empty();
            case TOO_LONG -> m.syntax_too_long(e.value(0));
            case NO_WHEN -> m.syntax_no_when();
            case DOES_NOTHING -> m.syntax_does_nothing();
            case ONE_WHEN -> m.syntax_one_when();
            case UNKNOWN_LINE -> m.syntax_unknown_line();
            case SENDER_LOOP -> m.syntax_sender_loop(e.value(0));
            case NO_SENDER -> m.syntax_no_sender();
            case ONE_PATTERN -> m.syntax_one_pattern(e.value(0));
            case BAD_PATTERN -> m.syntax_bad_pattern(e.value(0));
            case UNKNOWN_CONDITION -> m.syntax_unknown_condition();
            case ONE_PRIORITY -> m.syntax_one_priority();
            case ONE_CATEGORY -> m.syntax_one_category();
            case ASSIGN_ID -> m.syntax_assign_id();
            case TAG_FORMAT -> m.syntax_tag_format();
            case DUE_FORMAT -> m.syntax_due_format();
            case REPLY_FORMAT -> m.syntax_reply_format();
            case REPLY_AFTER -> m.syntax_reply_after();
            case REPLY_WAIT -> m.syntax_reply_wait();
            case UNKNOWN_ACTION -> m.syntax_unknown_action();
            case NOT_A_PRIORITY -> m.syntax_not_a_priority(e.value(0), e.value(1));
            case NOT_A_CATEGORY -> m.syntax_not_a_category(e.value(0), e.value(1));
            case NO_PRIORITY -> m.syntax_no_priority();
            case NO_CATEGORY -> m.syntax_no_category();
            case QUOTES -> m.syntax_quotes();
            case NAME_ONE -> m.syntax_name_one();
            case COOLDOWN_FORMAT -> m.syntax_cooldown_format();
            case COOLDOWN_ZERO -> m.syntax_cooldown_zero();
            case DURATION_FORMAT -> m.syntax_duration_format();
            case DAYS_RANGE -> m.syntax_days_range();
            case UNKNOWN_EVENT -> m.syntax_unknown_event();
        };
    }
}
