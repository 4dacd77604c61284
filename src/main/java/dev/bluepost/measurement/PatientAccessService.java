package dev.bluepost.measurement;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.facts.PatientInformationShown;
import dev.bluepost.platform.facts.PortalAccountActivated;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Patient Electronic Access facts as they happen (docs/measures.md §5): online access granted to a
 * patient (the portal account activated, or credentials and instructions given to a patient who
 * opted out), and a patient or proxy viewing, downloading or transmitting the patient's health
 * information. Times come from the injected clock (UTC instants); ids only, never content. The
 * features where these happen announce them ({@code platform.facts}); this service observes the
 * announcements in the announcing transaction.
 */
@ApplicationScoped
public class PatientAccessService {

    /** Who performed a view / download / transmit: only PATIENT and PROXY count (§5.2 "Action by staff"). */
    public enum ActorKind {
        PATIENT,
        PROXY,
        STAFF
    }

    /** One online-access grant of a patient, newest first in {@link #accessOf}. */
    public record AccessGrant(UUID id, String kind, Instant grantedAt) {}

    private final EntityManager em;
    private final DirectoryService directory;
    private final AuditRecorder audit;
    private final Clock clock;

    public PatientAccessService(
            EntityManager em, DirectoryService directory, AuditRecorder audit, Clock clock) {
        this.em = em;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A patient's portal account (login) was activated; {@code loginId} keys the fact, so recording
     * the same activation again changes nothing. Logins of patients without a practice record nothing.
     */
    @Transactional
    void accountActivated(@Observes PortalAccountActivated fact) {
        UUID loginId = fact.loginId();
        UUID patientId = fact.patientId();
        PatientView patient = directory.patient(patientId).orElse(null);
        if (patient == null || patient.practiceId() == null) {
            return;
        }
        em.createNativeQuery(
                        """
                        insert into mu_portal_access_fact (id, patient_id, practice_id, kind, granted_at)
                        values (?1, ?2, ?3, 'ACCOUNT_ACTIVATED', ?4) on conflict (id) do nothing""")
                .setParameter(1, loginId)
                .setParameter(2, patientId)
                .setParameter(3, patient.practiceId())
                .setParameter(4, clock.instant())
                .executeUpdate();
        Log.infof(
                "online access granted patientId=%s kind=account-activated loginId=%s",
                patientId, loginId);
    }

    /**
     * Staff gave a patient who opted out of the portal the credentials and instructions to access
     * their information later (§5.1 "Opt-out", §10 row 25). Audited.
     */
    @Transactional
    public UUID credentialsGiven(Actor staff, UUID patientId) {
        PatientView patient =
                directory
                        .patient(patientId)
                        .filter(
                                p ->
                                        p.practiceId() != null
                                                && p.practiceId().equals(staff.practiceId()))
                        .orElseThrow(() -> BluepostException.notFound("Patient", patientId));
        if (patient.testPatient() || patient.replacedById() != null) {
            throw BluepostException.said(
                    ErrorKind.BUSINESS_RULE,
                    OnlineAccessMessages.class,
                    OnlineAccessMessages::error_not_current_record);
        }
        UUID id = Ids.newId();
        em.createNativeQuery(
                        """
                        insert into mu_portal_access_fact (id, patient_id, practice_id, kind, granted_at)
                        values (?1, ?2, ?3, 'CREDENTIALS_GIVEN', ?4)""")
                .setParameter(1, id)
                .setParameter(2, patientId)
                .setParameter(3, patient.practiceId())
                .setParameter(4, clock.instant())
                .executeUpdate();
        Log.infof(
                "online access granted patientId=%s kind=credentials-given by=%s",
                patientId, staff.logId());
        audit.record(
                staff,
                AuditEntry.of(AuditAction.CREATE)
                        .on("OnlineAccessGrant", id)
                        .patient(patientId)
                        .practice(patient.practiceId())
                        .reason("credentials-and-instructions-given"));
        return id;
    }

    /** The online-access grants of a patient, newest first. */
    @SuppressWarnings("unchecked")
    public List<AccessGrant> accessOf(UUID patientId) {
        List<Object[]> rows =
                em.createNativeQuery(
                                """
                        select id, kind, granted_at from mu_portal_access_fact where patient_id = ?1 order by granted_at desc, id""")
                        .setParameter(1, patientId)
                        .getResultList();
        return rows.stream()
                .map(r -> new AccessGrant((UUID) r[0], (String) r[1], instant(r[2])))
                .toList();
    }

    /**
     * The patient's (or, on their behalf, a proxy's) view / download / transmit of the patient's
     * health information. Staff actions are not recorded: they never count (§10 row 30).
     *
     * A view or download that showed no item is recorded but never counts for PEA-S2-M2 (§5.2).
     */
    @Transactional
    void recordVdt(@Observes PatientInformationShown fact) {
        Actor actor = fact.actor();
        PatientInformationShown.Action action = fact.action();
        int itemsShown = fact.itemsShown();
        if (!actor.isPatientSide() || actor.patientId() == null) {
            return;
        }
        ActorKind kind = actor.relatedPersonId() != null ? ActorKind.PROXY : ActorKind.PATIENT;
        UUID practice =
                directory
                        .patient(actor.patientId())
                        .map(PatientView::practiceId)
                        .orElse(actor.practiceId());
        UUID id = Ids.newId();
        em.createNativeQuery(
                        """
                        insert into mu_vdt_fact (id, patient_id, practice_id, actor_kind, action, occurred_at, showed_information)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, id)
                .setParameter(2, actor.patientId())
                .setParameter(3, practice)
                .setParameter(4, kind.name())
                .setParameter(5, action.name())
                .setParameter(6, clock.instant())
                .setParameter(7, itemsShown > 0)
                .executeUpdate();
        Log.infof(
                "patient electronic access recorded patientId=%s action=%s actorKind=%s items=%d by=%s",
                actor.patientId(), action, kind, itemsShown, actor.logId());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type");
    }
}
