package dev.bluepost.triage;

import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageViews.UnreadByPatient;
import dev.bluepost.platform.errors.ErrorClassifier;
import dev.bluepost.platform.errors.SafeThrowables;
import dev.bluepost.triage.rules.Rule;
import dev.bluepost.triage.rules.RuleEngine.Compiled;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The time-based rule events, found by a scheduled job (the SLA job's pattern, {@link DueWork}):
 * "no staff reply by due-by" (an open item whose due-by has passed: only a care-team reply by a
 * person completes an item, automatic replies never do) and "patient has not read a reply in N
 * days" (a care-team reply written by a person, unopened by the patient's side for N days). A rule
 * fires at most once per item per due-by, and once per reply: a row in {@code triage_rule_event}
 * (unique per rule, subject and occurrence) is written in the transaction that runs it.
 */
@ApplicationScoped
public class TimedRuleEvents {

    private static final int PAGE = 200;

    private final EntityManager em;
    private final RuleService rules;
    private final RuleRunner runner;
    private final TriageService triage;
    private final MessageReading reading;
    private final Clock clock;

    public TimedRuleEvents(
            EntityManager em,
            RuleService rules,
            RuleRunner runner,
            TriageService triage,
            MessageReading reading,
            Clock clock) {
        this.em = em;
        this.rules = rules;
        this.runner = runner;
        this.triage = triage;
        this.reading = reading;
        this.clock = clock;
    }

    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${bluepost.triage.sla-interval:30s}",
            delayed = "7s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        List<UUID> practices;
        try {
            practices = QuarkusTransaction.requiringNew().call(this::practicesWithTimedRules);
        } catch (RuntimeException e) {
            if (ErrorClassifier.isDatabaseUnavailable(e)) {
                Log.debugf(
                        "timed rule events not run: database unavailable (%s)",
                        e.getClass().getName());
            } else {
                // a failure nobody expects here: in the log (types and frames, no messages), not
                // swallowed
                Log.errorf("timed rule events failed: %s", SafeThrowables.describe(e));
            }
            return; // the next run tries again
        }
        for (UUID practice : practices) {
            DueWork.drain("no-staff-reply rule events", () -> noStaffReply(practice));
            DueWork.drain("unread-reply rule events", () -> unreadReply(practice));
        }
    }

    @SuppressWarnings("unchecked")
    private List<UUID> practicesWithTimedRules() {
        return em.createNativeQuery(
                        """
                        select distinct practice_id from triage_rule where current and enabled
                          and (lower(definition) like '%no staff reply by due-by%' or lower(definition) like '%patient has not read a reply%')""",
                        UUID.class)
                .getResultList();
    }

    private List<Compiled> timed(UUID practice, Predicate<Rule> event) {
        return rules.compiled(practice).stream().filter(c -> event.test(c.rule())).toList();
    }

    /** One open item past its due-by that a "no staff reply" rule has not yet run on for this due-by. */
    private boolean noStaffReply(UUID practice) {
        Instant now = clock.instant();
        for (Compiled rule : timed(practice, r -> Rule.NO_STAFF_REPLY.equals(r.event()))) {
            @SuppressWarnings("unchecked")
            List<UUID> ids =
                    em.createNativeQuery(
                                    """
                            select i.id from triage_item i
                            where i.practice_id = ?1 and i.status in ('requested', 'accepted', 'in-progress') and i.due_by <= ?2
                              and not exists (select 1 from triage_rule_event e
                                              where e.rule_key = ?3 and e.subject_id = i.id and e.occurrence = i.due_by)
                            order by i.due_by, i.id limit 1""",
                                    UUID.class)
                            .setParameter(1, practice)
                            .setParameter(2, now)
                            .setParameter(3, rule.key())
                            .getResultList();
            if (ids.isEmpty()) {
                continue;
            }
            TriageItem item = em.find(TriageItem.class, ids.get(0));
            if (claim(rule.key(), item.id, item.dueBy, now)) {
                fire(item, rule, "due-by " + item.dueBy + " passed without a staff reply");
            }
            return true;
        }
        return false;
    }

    /** One care-team reply unopened for the rule's N days that the rule has not yet run on. */
    private boolean unreadReply(UUID practice) {
        Instant now = clock.instant();
        for (Compiled rule : timed(practice, r -> r.unreadDays() > 0)) {
            Instant cutoff = now.minus(Duration.ofDays(rule.rule().unreadDays()));
            for (int offset = 0; ; offset += PAGE) {
                List<UnreadByPatient> page =
                        reading.unreadRepliesBefore(practice, cutoff, offset, PAGE);
                for (UnreadByPatient reply : page) {
                    if (fired(rule.key(), reply.messageId())) {
                        continue;
                    }
                    if (claim(rule.key(), reply.messageId(), reply.receivedAt(), now)) {
                        // the thread's latest item (its patient message gives the conditions their
                        // facts)
                        Optional<TriageItem> item =
                                em.createQuery(
                                                "from TriageItem where threadId = :t order by createdAt desc",
                                                TriageItem.class)
                                        .setParameter("t", reply.threadId())
                                        .setMaxResults(1)
                                        .getResultStream()
                                        .findFirst();
                        item.ifPresent(
                                i ->
                                        fire(
                                                i,
                                                rule,
                                                "reply Communication/"
                                                        + reply.messageId()
                                                        + " unread for "
                                                        + rule.rule().unreadDays()
                                                        + " days"));
                    }
                    return true;
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
        }
        return false;
    }

    private void fire(TriageItem item, Compiled rule, String event) {
        if (runner.runTimed(item, rule, event)) {
            item.updatedAt = clock.instant();
            triage.announceChange(item, "status");
        }
    }

    private boolean fired(UUID ruleKey, UUID subject) {
        return !em.createNativeQuery(
                        "select 1 from triage_rule_event where rule_key = ?1 and subject_id = ?2")
                .setParameter(1, ruleKey)
                .setParameter(2, subject)
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
    }

    /** Records that the rule ran for this subject and occurrence; false when another run already did. */
    private boolean claim(UUID ruleKey, UUID subject, Instant occurrence, Instant now) {
        return em.createNativeQuery(
                                """
                        insert into triage_rule_event (rule_key, subject_id, occurrence, fired_at) values (?1, ?2, ?3, ?4)
                        on conflict do nothing""")
                        .setParameter(1, ruleKey)
                        .setParameter(2, subject)
                        .setParameter(3, occurrence)
                        .setParameter(4, now)
                        .executeUpdate()
                == 1;
    }
}
