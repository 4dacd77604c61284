package dev.bluepost.triage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Starts a new item's SLA clock from the most specific target (pool and priority, then pool, then priority, then any). */
@ApplicationScoped
public class SlaClock {

    private final EntityManager em;
    private final TriageSetup setup;

    public SlaClock(EntityManager em, TriageSetup setup) {
        this.em = em;
        this.setup = setup;
    }

    /** Starts the item's clock (called after the rules ran): due-by and warning time from the most specific target. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void start(TriageItem item) {
        List<SlaTarget> targets = em.createQuery("from SlaTarget where practiceId = :p", SlaTarget.class)
                .setParameter("p", item.practiceId).getResultList();
        Optional<SlaTarget> target = targets.stream()
                .filter(t -> (t.poolId == null || t.poolId.equals(item.queuePoolId)) && (t.priority == null || t.priority.equals(item.priority)))
                .max(Comparator.comparingInt(t -> (t.poolId != null ? 2 : 0) + (t.priority != null ? 1 : 0)));
        if (target.isEmpty()) {
            return;
        }
        boolean next = em.createQuery("select count(t) from TriageItem t where t.threadId = :th and t.id <> :id and t.status = 'completed'",
                Long.class).setParameter("th", item.threadId).setParameter("id", item.id).getSingleResult() > 0;
        int minutes = next ? target.get().nextResponseMinutes : target.get().firstResponseMinutes;
        var hours = setup.hours(item.practiceId);
        Instant due = setup.calendar().plusBusinessMinutes(item.receivedAt, minutes, hours);
        if (item.dueBy == null || due.isBefore(item.dueBy)) {
            item.dueBy = due;
        }
        item.slaWarnAt = item.dueBy.minus(Duration.ofMinutes(target.get().warningMinutes));
    }

}
