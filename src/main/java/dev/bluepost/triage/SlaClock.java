package dev.bluepost.triage;

import dev.bluepost.platform.BusinessCalendar;
import dev.bluepost.platform.BusinessCalendar.OfficeHours;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts a new item's SLA clock from the most specific target (pool and priority, then pool, then
 * priority, then any). Targets count business minutes on the practice's hours and holidays, except
 * the on-call pool's: the on-call team works around the clock, so its minutes are plain minutes.
 */
@ApplicationScoped
public class SlaClock {

    private final EntityManager em;
    private final BusinessCalendar calendar;
    private final PracticeSetups setups;

    public SlaClock(EntityManager em, BusinessCalendar calendar, PracticeSetups setups) {
        this.em = em;
        this.calendar = calendar;
        this.setups = setups;
    }

    /**
     * Starts the item's clock (called after the rules ran): due-by and warning time from the most
     * specific target. Returns whether the item is the on-call team's (its promise runs around the clock).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean start(TriageItem item) {
        PracticeSetups.Setup practice = setups.of(item.practiceId);
        boolean onCall = onCall(practice, item.queuePoolId);
        Optional<SlaTarget> target = target(practice.slaTargets(), item.queuePoolId, item.priority);
        if (target.isEmpty()) {
            return onCall;
        }
        Instant due =
                due(target.get(), answeredBefore(item), item.receivedAt, onCall, practice.hours());
        if (item.dueBy == null || due.isBefore(item.dueBy)) {
            item.dueBy = due;
        }
        item.slaWarnAt = item.dueBy.minus(Duration.ofMinutes(target.get().warningMinutes));
        return onCall;
    }

    /**
     * The item's due-by as the patient will be told it: the rules' due-by, or its target's when
     * that is earlier and the clock has not started yet (an automatic reply the rules send before
     * {@link #start} names the same date as the patient's page).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Instant promisedDueBy(TriageItem item, PracticeSetups.Setup practice) {
        if (item.slaWarnAt != null || item.receivedAt == null) {
            return item.dueBy; // started: already the earlier of the two
        }
        Optional<SlaTarget> target = target(practice.slaTargets(), item.queuePoolId, item.priority);
        if (target.isEmpty()) {
            return item.dueBy;
        }
        Instant due =
                due(
                        target.get(),
                        answeredBefore(item),
                        item.receivedAt,
                        onCall(practice, item.queuePoolId),
                        practice.hours());
        return item.dueBy == null || due.isBefore(item.dueBy) ? due : item.dueBy;
    }

    /** The most specific target for a pool and priority (null pool: a practitioner's own queue). */
    static Optional<SlaTarget> target(List<SlaTarget> targets, UUID poolId, String priority) {
        return targets.stream()
                .filter(
                        t ->
                                (t.poolId == null || t.poolId.equals(poolId))
                                        && (t.priority == null || t.priority.equals(priority)))
                .max(
                        Comparator.comparingInt(
                                t -> (t.poolId != null ? 2 : 0) + (t.priority != null ? 1 : 0)));
    }

    /** When the target's first (or next) response falls due: around the clock on call, else on the practice's hours. */
    Instant due(
            SlaTarget target,
            boolean nextResponse,
            Instant receivedAt,
            boolean onCall,
            OfficeHours hours) {
        int minutes = nextResponse ? target.nextResponseMinutes : target.firstResponseMinutes;
        return onCall
                ? receivedAt.plus(Duration.ofMinutes(minutes))
                : calendar.plusBusinessMinutes(receivedAt, minutes, hours);
    }

    /** Whether the pool is the practice's on-call pool (its clock runs around the clock). */
    static boolean onCall(PracticeSetups.Setup practice, UUID poolId) {
        return poolId != null && poolId.equals(practice.onCallPoolId());
    }

    /** Whether the care team answered the thread before (an item of it completed): asked once per item and transaction. */
    private boolean answeredBefore(TriageItem item) {
        if (item.answeredBefore == null) {
            item.answeredBefore =
                    !em.createQuery(
                                    "select t.id from TriageItem t where t.threadId = :th and t.id <> :id "
                                            + "and t.status = 'completed'",
                                    UUID.class)
                            .setParameter("th", item.threadId)
                            .setParameter("id", item.id == null ? new UUID(0, 0) : item.id)
                            .setMaxResults(1)
                            .getResultList()
                            .isEmpty();
        }
        return item.answeredBefore;
    }
}
