package dev.bluepost.messaging.emergency;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Emergency ("break-glass") access (HIPAA 164.312(a)(2)(ii), ONC 170.315(d)(6)); ADR 0026. A
 * clinician outside a patient's care team opens the patient's restricted threads of the practice
 * for a limited time, with a reason code; opening it is audited and announced to the practice's
 * compliance officers ({@link EmergencyAccessOpened}), who review every access afterwards. Which
 * threads are restricted, and when opening is needed at all, is decided by {@link dev.bluepost.messaging.ThreadAccess}.
 */
@ApplicationScoped
public class EmergencyAccessService {

    /** What a compliance officer decides when reviewing an access. */
    public static final Set<String> OUTCOMES = Set.of("appropriate", "inappropriate");

    /** One access as the review page shows it. */
    public record EmergencyAccessView(
            UUID id,
            UUID patientId,
            String patientName,
            String clinicianName,
            EmergencyReason reason,
            Instant grantedAt,
            Instant expiresAt,
            boolean inForce,
            Instant reviewedAt,
            String reviewOutcome) {
        public boolean reviewed() {
            return reviewOutcome != null;
        }
    }

    private final EntityManager em;
    private final AuditRecorder audit;
    private final DirectoryService directory;
    private final Event<EmergencyAccessOpened> opened;
    private final Clock clock;

    public EmergencyAccessService(
            EntityManager em,
            AuditRecorder audit,
            DirectoryService directory,
            Event<EmergencyAccessOpened> opened,
            Clock clock) {
        this.em = em;
        this.audit = audit;
        this.directory = directory;
        this.opened = opened;
        this.clock = clock;
    }

    /** The access in force for the caller and the patient, if any (the one that lasts longest). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<EmergencyAccessView> inForce(UUID patientId, Actor actor) {
        return inForceRow(patientId, actor).map(this::view);
    }

    public Optional<EmergencyAccess> inForceRow(UUID patientId, Actor actor) {
        if (actor.userId() == null || patientId == null || !actor.has(Role.PROVIDER)) {
            return Optional.empty();
        }
        return em.createQuery(
                        """
                        from EmergencyAccess where userId = :user and patientId = :patient and practiceId = :practice
                        and expiresAt > :now order by expiresAt desc""",
                        EmergencyAccess.class)
                .setParameter("user", actor.userId())
                .setParameter("patient", patientId)
                .setParameter("practice", actor.practiceId())
                .setParameter("now", clock.instant())
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    /**
     * Opens access to the patient's restricted threads of the caller's practice, or answers the one
     * already in force. Only a clinician ({@code PROVIDER} with a Practitioner record) may; the
     * caller ({@link dev.bluepost.messaging.ThreadAccess#openEmergencyAccess}) has checked that there is something to open.
     * The access lasts {@code duration} ({@code bluepost.messaging.emergency-access-duration}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EmergencyAccessView open(
            UUID patientId, EmergencyReason reason, Duration duration, Actor actor) {
        Optional<EmergencyAccess> current = inForceRow(patientId, actor);
        if (current.isPresent()) {
            return view(current.get());
        }
        Instant now = clock.instant();
        EmergencyAccess access = new EmergencyAccess();
        access.id = Ids.newId();
        access.practiceId = actor.practiceId();
        access.patientId = patientId;
        access.userId = actor.userId();
        access.practitionerId = actor.practitionerId();
        access.reason = reason.code();
        access.grantedAt = now;
        access.expiresAt = now.plus(duration);
        em.persist(access);
        em.flush();
        audit.record(
                actor,
                AuditEntry.of(AuditAction.EMERGENCY_ACCESS)
                        .on("Patient", patientId)
                        .patient(patientId)
                        .practice(actor.practiceId())
                        .reason("break-glass." + reason.code()));
        opened.fire(new EmergencyAccessOpened(access.id, access.practiceId));
        Log.warnf(
                "emergency access opened emergencyAccessId=%s by=%s patientId=%s expiresAt=%s",
                access.id, actor.logId(), patientId, access.expiresAt);
        return view(access);
    }

    /** A refusal of emergency access, in {@link EmergencyAccessMessages}' words. */
    public static BluepostException said(
            ErrorKind kind, Function<EmergencyAccessMessages, String> words) {
        return BluepostException.said(kind, EmergencyAccessMessages.class, words);
    }

    public static void requireClinician(Actor actor) {
        if (!actor.has(Role.PROVIDER) || actor.practitionerId() == null || actor.userId() == null) {
            throw said(ErrorKind.FORBIDDEN, EmergencyAccessMessages::error_clinician_only);
        }
    }

    /**
     * The accesses of the caller's practice opened on the given local days (inclusive, the practice's
     * time zone), newest first, for the compliance officer's review. Each patient shown is audited.
     */
    @Transactional
    public List<EmergencyAccessView> ofPractice(LocalDate from, LocalDate to, Actor actor) {
        requireCompliance(actor);
        ZoneId zone =
                directory.practice(actor.practiceId()).map(p -> p.zone()).orElse(ZoneId.of("UTC"));
        List<EmergencyAccessView> views =
                em.createQuery(
                                """
                        from EmergencyAccess where practiceId = :practice and grantedAt >= :from and grantedAt < :to
                        order by grantedAt desc""",
                                EmergencyAccess.class)
                        .setParameter("practice", actor.practiceId())
                        .setParameter("from", from.atStartOfDay(zone).toInstant())
                        .setParameter("to", to.plusDays(1).atStartOfDay(zone).toInstant())
                        .getResultStream()
                        .map(this::view)
                        .toList();
        Set<UUID> patients = new LinkedHashSet<>();
        views.forEach(v -> patients.add(v.patientId()));
        for (UUID patient : patients) {
            audit.record(
                    actor,
                    AuditEntry.of(AuditAction.SEARCH)
                            .on("EmergencyAccess", null)
                            .patient(patient)
                            .practice(actor.practiceId())
                            .reason("emergency-access-review"));
        }
        return views;
    }

    /** How many accesses of the caller's practice nobody has reviewed yet. */
    @Transactional
    public long unreviewed(Actor actor) {
        requireCompliance(actor);
        return em.createQuery(
                        "select count(a) from EmergencyAccess a where a.practiceId = :practice and a.reviewedAt is null",
                        Long.class)
                .setParameter("practice", actor.practiceId())
                .getSingleResult();
    }

    /** A compliance officer records the outcome of reviewing an access (once; never their own). */
    @Transactional
    public void review(UUID accessId, String outcome, Actor actor) {
        requireCompliance(actor);
        EmergencyAccess access = accessId == null ? null : em.find(EmergencyAccess.class, accessId);
        if (access == null || !access.practiceId.equals(actor.practiceId())) {
            throw BluepostException.notFound(
                    "EmergencyAccess", accessId == null ? "unknown" : accessId);
        }
        if (outcome == null || !OUTCOMES.contains(outcome)) {
            throw said(ErrorKind.BUSINESS_RULE, EmergencyAccessMessages::error_choose_outcome)
                    .about("outcome");
        }
        if (access.userId.equals(actor.userId())) {
            throw said(ErrorKind.BUSINESS_RULE, EmergencyAccessMessages::error_review_own);
        }
        if (access.reviewedAt != null) {
            throw said(ErrorKind.CONFLICT, EmergencyAccessMessages::error_reviewed_already);
        }
        access.reviewedAt = clock.instant();
        access.reviewedByUserId = actor.userId();
        access.reviewOutcome = outcome;
        audit.record(
                actor,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("EmergencyAccess", access.id)
                        .patient(access.patientId)
                        .practice(access.practiceId)
                        .reason("reviewed." + outcome));
    }

    private static void requireCompliance(Actor actor) {
        if (!actor.has(Role.COMPLIANCE) || actor.practiceId() == null) {
            throw said(ErrorKind.FORBIDDEN, EmergencyAccessMessages::error_reviewers);
        }
    }

    private EmergencyAccessView view(EmergencyAccess a) {
        String patient =
                directory.patient(a.patientId).map(PatientView::displayName).orElse("Patient");
        String clinician =
                directory
                        .practitioner(a.practitionerId)
                        .map(PractitionerView::displayName)
                        .orElse("Clinician");
        return new EmergencyAccessView(
                a.id,
                a.patientId,
                patient,
                clinician,
                EmergencyReason.ofCode(a.reason).orElseThrow(),
                a.grantedAt,
                a.expiresAt,
                a.expiresAt.isAfter(clock.instant()),
                a.reviewedAt,
                a.reviewOutcome);
    }
}
