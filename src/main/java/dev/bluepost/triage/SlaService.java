package dev.bluepost.triage;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.messaging.Party;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.triage.rules.RuleParser;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * SLA clocks: first-response and next-response targets per pool and priority, counted in business
 * minutes on the practice's hours and holidays. A new item's due-by comes from the most specific
 * target (pool and priority, then pool, then priority, then any); a job warns before the breach
 * (tag {@code sla-warning}, shown on the item and its queue row, pushed live to the consoles of the
 * pool or assignee) and escalates at it (priority one step up, routed to the on-call pool, tag
 * {@code sla-breached}, audited); both go to the message's execution log. Each fires once per clock:
 * the item row is locked (skip locked) and stamped, so reruns, restarts and concurrent instances
 * never repeat a step.
 */
@ApplicationScoped
public class SlaService {

    private final EntityManager em;
    private final dev.bluepost.directory.DirectoryService directory;
    private final TriageService triage;
    private final Clock clock;
    private final TriageSetup setup;
    private final AuditRecorder audit;

    public SlaService(
            EntityManager em,
            dev.bluepost.directory.DirectoryService directory,
            TriageService triage,
            Clock clock,
            TriageSetup setup,
            AuditRecorder audit) {
        this.setup = setup;
        this.audit = audit;
        this.em = em;
        this.directory = directory;
        this.triage = triage;
        this.clock = clock;
    }

    public record TargetView(
            UUID id,
            UUID poolId,
            String priority,
            int firstResponseMinutes,
            int nextResponseMinutes,
            int warningMinutes) {}

    @Transactional
    public List<TargetView> targets(UUID practiceId) {
        return em
                .createQuery("from SlaTarget where practiceId = :p", SlaTarget.class)
                .setParameter("p", practiceId)
                .getResultList()
                .stream()
                .map(
                        t ->
                                new TargetView(
                                        t.id,
                                        t.poolId,
                                        t.priority,
                                        t.firstResponseMinutes,
                                        t.nextResponseMinutes,
                                        t.warningMinutes))
                .toList();
    }

    @Transactional
    public TargetView save(
            UUID practiceId,
            UUID poolId,
            String priority,
            int first,
            int next,
            int warning,
            Actor actor) {
        if (priority != null && !RuleParser.PRIORITIES.contains(priority)) {
            throw Refused.rule(TriageRefusals::sla_priority).about("priority");
        }
        if (first < 1 || next < 1 || first > 100_000 || next > 100_000) {
            throw Refused.rule(TriageRefusals::sla_times).about("first");
        }
        if (warning < 0 || warning >= first) {
            throw Refused.rule(TriageRefusals::sla_warning).about("warning");
        }
        if (poolId != null
                && directory
                        .pool(poolId)
                        .filter(p -> p.practiceId().equals(practiceId))
                        .isEmpty()) {
            throw Refused.rule(TriageRefusals::sla_pool).about("pool");
        }
        em.createQuery(
                        "delete from SlaTarget where practiceId = :p and ((:pool is null and poolId is null) or poolId = :pool) "
                                + "and ((:prio is null and priority is null) or priority = :prio)")
                .setParameter("p", practiceId)
                .setParameter("pool", poolId)
                .setParameter("prio", priority)
                .executeUpdate();
        SlaTarget t = new SlaTarget();
        t.id = Ids.newId();
        t.practiceId = practiceId;
        t.poolId = poolId;
        t.priority = priority;
        t.firstResponseMinutes = first;
        t.nextResponseMinutes = next;
        t.warningMinutes = warning;
        em.persist(t);
        Log.infof("sla target saved practiceId=%s by=%s", practiceId, actor.logId());
        return new TargetView(t.id, t.poolId, t.priority, first, next, warning);
    }

    @Transactional
    public void remove(UUID practiceId, UUID id) {
        em.createQuery("delete from SlaTarget where practiceId = :p and id = :id")
                .setParameter("p", practiceId)
                .setParameter("id", id)
                .executeUpdate();
    }

    /** Warns before and escalates at the breach; each item in its own transaction ({@link DueWork}). */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${bluepost.triage.sla-interval:30s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkClocks() {
        DueWork.drain("sla check", this::checkOne);
    }

    private boolean checkOne() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<UUID> ids =
                em.createNativeQuery(
                                """
                        select id from triage_item where status in ('requested', 'accepted', 'in-progress') and sla_warn_at is not null
                          and ((sla_warned_at is null and sla_warn_at <= ?1) or (sla_breached_at is null and due_by <= ?1))
                        order by due_by limit 1 for update skip locked""",
                                UUID.class)
                        .setParameter(1, now)
                        .getResultList();
        if (ids.isEmpty()) {
            return false;
        }
        TriageItem item = em.find(TriageItem.class, ids.get(0));
        Set<String> tags = new LinkedHashSet<>(Arrays.asList(item.tags));
        String change = null;
        if (item.slaWarnedAt == null) {
            item.slaWarnedAt = now;
            tags.add("sla-warning");
            change = "sla-warning";
            executionLog(
                    item,
                    "sla-warning",
                    LogStep.of(
                            Party.PRACTITIONER.equals(item.ownerType)
                                    ? LogStep.Step.SLA_WARNING_ASSIGNEE
                                    : LogStep.Step.SLA_WARNING_POOL,
                            item.dueBy),
                    now);
        }
        if (item.slaBreachedAt == null && !item.dueBy.isAfter(now)) {
            item.slaBreachedAt = now;
            tags.add("sla-breached");
            String before = item.priority;
            item.priority = raised(item.priority);
            UUID onCall = setup.onCallPool(item.practiceId);
            item.ownerType = Party.CARE_TEAM;
            item.ownerId = onCall;
            item.queuePoolId = onCall;
            change = "sla-breached";
            executionLog(
                    item,
                    "sla-breached",
                    LogStep.of(LogStep.Step.SLA_BREACHED, item.dueBy, before, item.priority),
                    now.plusNanos(1000));
            audit.record(
                    TriageSetup.SYSTEM,
                    AuditEntry.of(AuditAction.UPDATE)
                            .on("Task", item.id)
                            .patient(item.patientId)
                            .practice(item.practiceId)
                            .reason("sla-breached"));
        }
        item.tags = tags.toArray(String[]::new);
        item.updatedAt = now;
        triage.announceChange(item, change);
        Log.infof("sla clock taskId=%s change=%s", item.id, change);
        return true;
    }

    /** One step up: routine → urgent → asap → stat. */
    static String raised(String priority) {
        return switch (priority == null ? "routine" : priority) {
            case "routine" -> "urgent";
            case "urgent" -> "asap";
            default -> "stat";
        };
    }

    /** The SLA's steps go to the message's execution log next to the rules that fired. */
    private void executionLog(TriageItem item, String outcome, LogStep step, Instant at) {
        RuleExecution e = new RuleExecution();
        e.id = Ids.newId();
        e.practiceId = item.practiceId;
        e.messageId = item.messageId;
        e.threadId = item.threadId;
        e.ruleName = "SLA";
        e.outcome = outcome;
        e.detail = step.english();
        e.detailSteps = LogStep.encode(List.of(step));
        e.createdAt = at;
        em.persist(e);
    }
}
