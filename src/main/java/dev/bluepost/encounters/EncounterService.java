package dev.bluepost.encounters;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/** What other features may ask about visits. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class EncounterService {

    private final EntityManager em;

    public EncounterService(EntityManager em) {
        this.em = em;
    }

    /** The practitioners who performed a finished visit with the patient, most recent first. */
    public List<UUID> practitionersWhoSaw(UUID patientId) {
        return em.createQuery(
                        """
                        select p.practitionerId from Encounter e join e.participants p
                        where e.patientId = :patient and e.status = 'finished' and p.type in ('PPRF', 'SPRF')
                        group by p.practitionerId order by max(e.periodStart) desc""",
                        UUID.class)
                .setParameter("patient", patientId)
                .getResultList();
    }

    /** The practice of the patient's most recent visit, if any (to route messages of a patient with no managing practice). */
    public java.util.Optional<UUID> latestPracticeOf(UUID patientId) {
        return em.createQuery(
                        "select e.practiceId from Encounter e where e.patientId = :patient order by e.periodStart desc",
                        UUID.class)
                .setParameter("patient", patientId)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    /**
     * Visits and unique patients of finished encounters the practitioner performed (primary or
     * secondary performer, any location), by local service date. Not a measure denominator.
     */
    public record VisitCounts(long visits, long uniquePatients) {}

    public VisitCounts finishedVisits(
            UUID practitionerId,
            UUID practiceId,
            java.time.LocalDate from,
            java.time.LocalDate to) {
        Object[] row =
                em.createQuery(
                                """
                        select count(distinct e.id), count(distinct e.patientId) from Encounter e join e.participants p
                        where p.practitionerId = :ep and p.type in ('PPRF', 'SPRF') and e.practiceId = :practice
                          and e.status = 'finished' and e.serviceDate between :from and :to""",
                                Object[].class)
                        .setParameter("ep", practitionerId)
                        .setParameter("practice", practiceId)
                        .setParameter("from", from)
                        .setParameter("to", to)
                        .getSingleResult();
        return new VisitCounts((Long) row[0], (Long) row[1]);
    }
}
