package dev.bluepost.triage;

import dev.bluepost.messaging.MessagingConfig;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.ReplyPromises;
import dev.bluepost.platform.BusinessCalendar;
import dev.bluepost.triage.rules.Action;
import dev.bluepost.triage.rules.Condition;
import dev.bluepost.triage.rules.Rule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The answer time a patient is promised the moment a message is sent, from the practice setup
 * triage keeps in memory ({@link PracticeSetups}: no query beyond its version check): the
 * configured business days on the practice's opening hours and holidays, or earlier when a
 * response target says so; for a red flag the practice escalates, the on-call team's: what its
 * red-flag rule and the on-call pool's target set (the on-call pool's clock runs around the
 * clock). Triage's rules and SLA clock then set the queue item's due-by the same way, and the
 * patient's date follows it.
 */
@ApplicationScoped
public class TriageReplyPromises implements ReplyPromises {

    private final PracticeSetups setups;
    private final SlaClock sla;
    private final BusinessCalendar calendar;
    private final MessagingConfig messagingConfig;

    public TriageReplyPromises(
            PracticeSetups setups,
            SlaClock sla,
            BusinessCalendar calendar,
            MessagingConfig messagingConfig) {
        this.setups = setups;
        this.sla = sla;
        this.calendar = calendar;
        this.messagingConfig = messagingConfig;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Promise promise(
            UUID practiceId,
            Party queue,
            String priority,
            Instant receivedAt,
            boolean redFlag,
            boolean firstInThread) {
        return promise(
                setups.of(practiceId),
                queue != null && queue.is(Party.CARE_TEAM) ? queue.id() : null,
                priority,
                receivedAt,
                redFlag,
                !firstInThread);
    }

    /** The promise on this practice setup (no I/O). */
    Promise promise(
            PracticeSetups.Setup practice,
            UUID poolId,
            String priority,
            Instant receivedAt,
            boolean redFlag,
            boolean answeredBefore) {
        Instant office =
                calendar.dueBy(receivedAt, messagingConfig.replyBusinessDays(), practice.hours());
        Optional<Rule> escalation = redFlag ? redFlagEscalation(practice) : Optional.empty();
        if (escalation.isEmpty()) {
            return new Promise(
                    earliest(
                            office, slaDue(practice, poolId, priority, receivedAt, answeredBefore)),
                    false);
        }
        // what the red-flag rule will set: its due-by (around the clock when in minutes), in the
        // on-call pool, urgent
        Optional<Action.DueIn> dueIn =
                escalation.get().actions().stream()
                        .filter(Action.DueIn.class::isInstance)
                        .map(Action.DueIn.class::cast)
                        .reduce((first, second) -> second);
        Instant byRule = dueIn.map(d -> dueBy(d, receivedAt, practice)).orElse(office);
        return new Promise(
                earliest(
                        byRule,
                        slaDue(
                                practice,
                                practice.onCallPoolId(),
                                "urgent",
                                receivedAt,
                                answeredBefore)),
                true);
    }

    /** A "set due-by in …" of a rule, as the rules apply it to an item received then. */
    Instant dueBy(Action.DueIn due, Instant receivedAt, PracticeSetups.Setup practice) {
        return switch (due.unit()) {
            case MINUTES -> receivedAt.plus(Duration.ofMinutes(due.amount()));
            case BUSINESS_HOURS ->
                    calendar.plusBusinessMinutes(receivedAt, 60L * due.amount(), practice.hours());
            case BUSINESS_DAYS -> calendar.dueBy(receivedAt, due.amount(), practice.hours());
        };
    }

    /** The practice's enabled rule that escalates red flags to the on-call pool, if it has one. */
    static Optional<Rule> redFlagEscalation(PracticeSetups.Setup practice) {
        return practice.messageRules().stream()
                .map(c -> c.rule())
                .filter(
                        r ->
                                r.conditions().stream()
                                                .anyMatch(Condition.RedFlag.class::isInstance)
                                        && r.actions().stream()
                                                .anyMatch(Action.Escalate.class::isInstance))
                .findFirst();
    }

    private Optional<Instant> slaDue(
            PracticeSetups.Setup practice,
            UUID poolId,
            String priority,
            Instant receivedAt,
            boolean answeredBefore) {
        return SlaClock.target(practice.slaTargets(), poolId, priority)
                .map(
                        t ->
                                sla.due(
                                        t,
                                        answeredBefore,
                                        receivedAt,
                                        SlaClock.onCall(practice, poolId),
                                        practice.hours()));
    }

    private static Instant earliest(Instant a, Optional<Instant> b) {
        return b.filter(x -> x.isBefore(a)).orElse(a);
    }
}
