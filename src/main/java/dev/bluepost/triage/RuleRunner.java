package dev.bluepost.triage;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.RedFlags;
import dev.bluepost.messaging.ThreadAccess;
import dev.bluepost.platform.BusinessCalendar.OfficeHours;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.db.TxJdbc;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.triage.rules.Action;
import dev.bluepost.triage.rules.Facts;
import dev.bluepost.triage.rules.Rule;
import dev.bluepost.triage.rules.RuleEngine;
import dev.bluepost.triage.rules.RuleEngine.Compiled;
import dev.bluepost.triage.rules.RuleEngine.Outcome;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runs the practice's rules on a new patient message's queue item, in the transaction that creates
 * the item, and writes the message's execution log. Also the dry run: one rule over the last N
 * messages, computing what it would do and changing nothing.
 */
@ApplicationScoped
public class RuleRunner {

    private final EntityManager em;
    private final RuleService rules;
    private final TriageSetup setup;
    private final AutoReplies replies;
    private final MessageReading reading;
    private final ThreadAccess threadAccess;
    private final DirectoryService directory;
    private final PracticeSetups setups;
    private final Clock clock;

    public RuleRunner(
            EntityManager em,
            RuleService rules,
            TriageSetup setup,
            AutoReplies replies,
            MessageReading reading,
            ThreadAccess threadAccess,
            DirectoryService directory,
            PracticeSetups setups,
            Clock clock) {
        this.setups = setups;
        this.em = em;
        this.rules = rules;
        this.setup = setup;
        this.replies = replies;
        this.reading = reading;
        this.threadAccess = threadAccess;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Applies the "message received" rules to a new item (not yet announced). Only patients' and
     * proxies' secure messages get here.
     *
     * @param redFlagLane the message came through the red-flag lane; the text of one that did not
     *                    raised no red flag when it was sent, and is not searched again
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void run(TriageItem item, String senderKind, boolean redFlagLane) {
        PracticeSetups.Setup practice = setups.of(item.practiceId);
        List<Compiled> compiled = practice.messageRules();
        if (compiled.isEmpty()) {
            return;
        }
        MessageReading.RuleInput message = reading.ruleInput(item.messageId);
        Optional<RedFlags.Flag> flag =
                redFlagLane ? RedFlags.find(message.text()) : Optional.empty();
        Facts facts =
                facts(
                        item,
                        message,
                        senderKind,
                        practice,
                        flag,
                        firstEver(item.patientId, item.messageId, item.receivedAt));
        List<Outcome> outcomes = RuleEngine.evaluate(compiled, facts);
        Instant at = clock.instant();
        List<Object[]> lines = new ArrayList<>(compiled.size());
        int n = 0;
        for (Outcome outcome : outcomes) {
            applyAndLog(item, outcome, flag, practice, null, at.plusNanos(1000L * n++), lines);
        }
        if (outcomes.size() < compiled.size()) {
            Outcome last = outcomes.get(outcomes.size() - 1);
            for (Compiled skipped : compiled.subList(outcomes.size(), compiled.size())) {
                log(
                        lines,
                        item,
                        skipped,
                        "skipped",
                        List.of(LogStep.of(LogStep.Step.STOPPED_BY, last.rule().name())),
                        at.plusNanos(1000L * n++));
            }
        }
        write(lines);
        Log.debugf(
                "triage rules ran messageId=%s fired=%d of %d",
                item.messageId, outcomes.stream().filter(Outcome::fired).count(), compiled.size());
    }

    /**
     * Runs one time-based rule on the item its event concerns (the scheduled job found the event
     * due): the same conditions, on the item's patient message, and the same actions; the line in
     * the message's execution log names the event. Returns whether the rule fired.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean runTimed(TriageItem item, Compiled rule, String event) {
        MessageReading.RuleInput message = reading.ruleInput(item.messageId);
        PracticeSetups.Setup practice = setups.of(item.practiceId);
        Optional<RedFlags.Flag> flag = RedFlags.find(message.text());
        Facts facts =
                facts(
                        item,
                        message,
                        message.senderKind().name(),
                        practice,
                        flag,
                        firstEver(item.patientId, item.messageId, item.receivedAt));
        Outcome outcome = RuleEngine.evaluate(List.of(rule), facts).get(0);
        List<Object[]> lines = new ArrayList<>(1);
        applyAndLog(item, outcome, flag, practice, event, clock.instant(), lines);
        write(lines);
        Log.infof(
                "triage timed rule ran ruleId=%s taskId=%s fired=%s",
                rule.id(), item.id, outcome.fired());
        return outcome.fired();
    }

    private void applyAndLog(
            TriageItem item,
            Outcome outcome,
            Optional<RedFlags.Flag> flag,
            PracticeSetups.Setup practice,
            String event,
            Instant at,
            List<Object[]> lines) {
        List<LogStep> steps = new ArrayList<>();
        if (event != null) {
            steps.add(LogStep.of(LogStep.Step.EVENT, event));
        }
        steps.add(LogStep.of(outcome.why()));
        if (outcome.fired()) {
            for (Action action : outcome.rule().rule().actions()) {
                steps.add(apply(item, action, outcome.rule(), flag, practice));
            }
            if (outcome.rule().rule().stop()) {
                steps.add(LogStep.of(LogStep.Step.DONE, "stop"));
            }
        }
        log(lines, item, outcome.rule(), outcome.fired() ? "fired" : "not-matched", steps, at);
    }

    private LogStep apply(
            TriageItem item,
            Action action,
            Compiled rule,
            Optional<RedFlags.Flag> flag,
            PracticeSetups.Setup practice) {
        OfficeHours hours = practice.hours();
        if (action instanceof Action.SetPriority p) {
            item.priority = p.priority();
        } else if (action instanceof Action.SetCategory c) {
            item.category = c.category();
        } else if (action instanceof Action.RouteTo r) {
            Optional<PoolView> pool = practice.poolNamed(r.pool());
            if (pool.isEmpty()) {
                return LogStep.of(LogStep.Step.POOL_GONE, r.describe());
            }
            item.ownerType = Party.CARE_TEAM;
            item.ownerId = pool.get().id();
            item.queuePoolId = pool.get().id();
            threadAccess.shareWith(item.threadId, new Party(Party.CARE_TEAM, pool.get().id()));
        } else if (action instanceof Action.AssignTo a) {
            if (directory
                    .practitioner(a.practitionerId())
                    .filter(p -> p.practiceIds().contains(item.practiceId))
                    .isEmpty()) {
                return LogStep.of(LogStep.Step.PRACTITIONER_GONE, a.describe());
            }
            item.ownerType = Party.PRACTITIONER;
            item.ownerId = a.practitionerId();
            threadAccess.shareWith(
                    item.threadId,
                    new Party(
                            Party.PRACTITIONER, a.practitionerId())); // like a person's assignment
        } else if (action instanceof Action.Tag t) {
            Set<String> tags = new LinkedHashSet<>(Arrays.asList(item.tags));
            tags.add(t.tag());
            item.tags = tags.toArray(String[]::new);
        } else if (action instanceof Action.Escalate) {
            UUID onCall = setups.onCallPool(practice);
            item.ownerType = Party.CARE_TEAM;
            item.ownerId = onCall;
            item.queuePoolId = onCall;
            item.priority = "urgent";
            threadAccess.shareWith(item.threadId, new Party(Party.CARE_TEAM, onCall));
        } else if (action instanceof Action.DueIn d) {
            item.dueBy =
                    switch (d.unit()) {
                        case MINUTES -> item.receivedAt.plus(Duration.ofMinutes(d.amount()));
                        case BUSINESS_HOURS ->
                                setup.calendar()
                                        .plusBusinessMinutes(
                                                item.receivedAt, 60L * d.amount(), hours);
                        case BUSINESS_DAYS ->
                                setup.calendar().dueBy(item.receivedAt, d.amount(), hours);
                    };
        } else if (action instanceof Action.Reply r) {
            return r.delay().isZero()
                    ? replies.sendNow(
                            item, rule.key(), rule.rule().cooldown(), r.template(), flag, practice)
                    : replies.schedule(item, rule.id(), r.template(), r.delay());
        }
        return LogStep.of(LogStep.Step.DONE, action.describe());
    }

    /** A line of the message's execution log ({@link RuleExecution}), written with the others by {@link #write}. */
    private static void log(
            List<Object[]> lines,
            TriageItem item,
            Compiled rule,
            String outcome,
            List<LogStep> steps,
            Instant at) {
        String detail = LogStep.english(steps);
        lines.add(
                new Object[] {
                    Ids.newId(),
                    item.practiceId,
                    item.messageId,
                    item.threadId,
                    rule.id(),
                    rule.name(),
                    rule.version(),
                    outcome,
                    detail.length() > 2000 ? detail.substring(0, 2000) : detail,
                    LogStep.encode(steps),
                    at
                });
    }

    /**
     * The lines of one run in one multi-row insert, in plain SQL: as entities, each was a Hibernate
     * insert action at flush (docs/adr/0032-message-path-under-load.md). Nothing reads them back in
     * this transaction.
     */
    private void write(List<Object[]> lines) {
        TxJdbc.insertRows(
                em,
                "insert into triage_rule_execution (id, practice_id, message_id, thread_id, rule_id, rule_name, "
                        + "rule_version, outcome, detail, detail_steps, created_at) values ",
                lines);
    }

    private Facts facts(
            TriageItem item,
            MessageReading.RuleInput message,
            String senderKind,
            PracticeSetups.Setup practice,
            Optional<RedFlags.Flag> flag,
            boolean firstEver) {
        return new Facts(
                message.text(),
                message.category(),
                item.priority,
                senderKind,
                practice.poolName(item.queuePoolId),
                setup.calendar().isOpen(item.receivedAt, practice.hours()),
                firstEver,
                message.hasAttachments(),
                flag.map(RedFlags.Flag::code));
    }

    /** Whether the patient had no queue item before this one (plain SQL on the patient index: no flush of the new item). */
    private boolean firstEver(UUID patientId, UUID messageId, Instant receivedAt) {
        return TxJdbc.first(
                        em,
                        "select 1 from triage_item where patient_id = ? and message_id <> ? "
                                + "and received_at <= ? limit 1",
                        patientId,
                        messageId,
                        receivedAt)
                .isEmpty();
    }

    // ---------------------------------------------------------------- dry run

    /** What the rule would have done for one past message. */
    public record DryRunRow(
            UUID messageId,
            UUID threadId,
            UUID patientId,
            Instant receivedAt,
            boolean fired,
            Rule.Reason why,
            List<String> actions) {}

    /**
     * The rule (as written, not saved) over the practice's last {@code count} patient messages:
     * whether it would fire and what it would do. Reads only: nothing is sent, changed or logged.
     */
    @Transactional
    public List<DryRunRow> dryRun(UUID practiceId, String definition, int count, Actor actor) {
        if (count < 1 || count > 500) {
            throw Refused.rule(TriageRefusals::dry_run_count).about("count");
        }
        Rule rule = rules.check(practiceId, definition);
        Compiled compiled = new Compiled(null, null, 0, "dry run", rule);
        OfficeHours hours = setup.hours(practiceId);
        List<TriageItem> items =
                em.createQuery(
                                "from TriageItem where practiceId = :p order by receivedAt desc",
                                TriageItem.class)
                        .setParameter("p", practiceId)
                        .setMaxResults(count)
                        .getResultList();
        List<DryRunRow> rows = new ArrayList<>();
        for (TriageItem item : items) {
            MessageReading.RuleInput message = reading.ruleInput(item.messageId);
            Optional<RedFlags.Flag> flag = RedFlags.find(message.text());
            String pool =
                    item.queuePoolId == null
                            ? ""
                            : directory.pool(item.queuePoolId).map(PoolView::name).orElse("");
            Facts facts =
                    new Facts(
                            message.text(),
                            message.category(),
                            message.priority(),
                            message.senderKind().name(),
                            pool,
                            setup.calendar().isOpen(item.receivedAt, hours),
                            firstEver(item.patientId, item.messageId, item.receivedAt),
                            message.hasAttachments(),
                            flag.map(RedFlags.Flag::code));
            Outcome outcome = RuleEngine.evaluate(List.of(compiled), facts).get(0);
            List<String> actions =
                    outcome.fired()
                            ? rule.actions().stream().map(Action::describe).toList()
                            : List.of();
            rows.add(
                    new DryRunRow(
                            item.messageId,
                            item.threadId,
                            item.patientId,
                            item.receivedAt,
                            outcome.fired(),
                            outcome.why(),
                            actions));
        }
        Log.infof(
                "triage dry run practiceId=%s messages=%d by=%s",
                practiceId, rows.size(), actor.logId());
        return rows;
    }
}
