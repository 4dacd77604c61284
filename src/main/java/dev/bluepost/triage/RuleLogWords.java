package dev.bluepost.triage;

import dev.bluepost.triage.rules.Rule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Execution log lines ({@link LogStep}s) and dry-run reasons in a reader's words: the steps' messages
 * from {@link RuleLogMessages}, moments in the practice's zone, priorities in words; no message ids.
 */
public final class RuleLogWords {

    private final RuleLogMessages m;
    private final StaffWords words;
    private final ZoneId zone;

    public RuleLogWords(RuleLogMessages m, StaffWords words, ZoneId zone) {
        this.m = m;
        this.words = words;
        this.zone = zone;
    }

    public String line(List<LogStep> steps) {
        return LogStep.line(steps, this::step);
    }

    /** Why a rule fired or not (a dry run's row). */
    String reason(Rule.Reason why) {
        return step(LogStep.of(why));
    }

    private String step(LogStep s) {
        return switch (s.step()) {
            case EVENT, CONDITIONS_HELD, DONE -> s.value(0);
            case NO_CONDITIONS -> m.no_conditions();
            case CONDITION_FAILED -> m.condition_failed(s.value(0));
            case NONE_HELD -> m.none_held();
            case POOL_GONE -> m.pool_gone(s.value(0));
            case PRACTITIONER_GONE -> m.practitioner_gone(s.value(0));
            case REPLY_SENT -> m.reply_sent(s.value(0));
            case REPLY_COOLDOWN -> m.reply_cooldown(s.value(0), s.value(1));
            case REPLY_NO_TEXT -> m.reply_no_text(s.value(0));
            case REPLY_SCHEDULED -> m.reply_scheduled(s.value(0), when(s.value(1)));
            case STOPPED_BY -> m.stopped_by(s.value(0));
            case DROPPED_ANSWERED, DROPPED_ANSWERED_BY -> m.dropped_answered(s.value(0));
            case DROPPED_CLOSED -> m.dropped_closed(s.value(0));
            case SLA_WARNING_POOL -> m.sla_warning_pool(when(s.value(0)));
            case SLA_WARNING_ASSIGNEE -> m.sla_warning_assignee(when(s.value(0)));
            case SLA_BREACHED ->
                    m.sla_breached(
                            when(s.value(0)),
                            words.priority(s.value(1)),
                            words.priority(s.value(2)));
        };
    }

    private String when(String instant) {
        try {
            return words.when(Instant.parse(instant), zone);
        } catch (DateTimeParseException e) {
            return instant;
        }
    }
}
