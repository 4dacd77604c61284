package dev.bluepost.triage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Starts a new item's SLA clock from the most specific target (pool and priority, then pool, then priority, then any). */
@ApplicationScoped
public class SlaClock {

    private final EntityManager em;
    private final TriageSetup setup;
    private final PracticeSetups setups;

    public SlaClock(EntityManager em, TriageSetup setup, PracticeSetups setups) {
        this.em = em;
        this.setup = setup;
        this.setups = setups;
    }

    /** Starts the item's clock (called after the rules ran): due-by and warning time from the most specific target. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void start(TriageItem item) {
        PracticeSetups.Setup practice = setups.of(item.practiceId);
        List<SlaTarget> targets = practice.slaTargets();
        Optional<SlaTarget> target = targets.stream()
                .filter(t -> (t.poolId == null || t.poolId.equals(item.queuePoolId)) && (t.priority == null || t.priority.equals(item.priority)))
                .max(Comparator.comparingInt(t -> (t.poolId != null ? 2 : 0) + (t.priority != null ? 1 : 0)));
        if (target.isEmpty()) {
            return;
        }
        boolean next = !em.createQuery("select t.id from TriageItem t where t.threadId = :th and t.id <> :id and t.status = 'completed'",
                UUID.class).setParameter("th", item.threadId).setParameter("id", item.id).setMaxResults(1).getResultList().isEmpty();
        int minutes = next ? target.get().nextResponseMinutes : target.get().firstResponseMinutes;
        var hours = practice.hours();
        Instant due = setup.calendar().plusBusinessMinutes(item.receivedAt, minutes, hours);
        if (item.dueBy == null || due.isBefore(item.dueBy)) {
            item.dueBy = due;
        }
        item.slaWarnAt = item.dueBy.minus(Duration.ofMinutes(target.get().warningMinutes));
    }

}
