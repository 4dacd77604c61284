package dev.bluepost.messaging;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.messaging.emergency.EmergencyAccessMessages;
import dev.bluepost.messaging.emergency.EmergencyAccessService;
import dev.bluepost.messaging.emergency.EmergencyReason;
import dev.bluepost.platform.db.TxJdbc;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Access: who reaches a thread, and how. A thread a caller may not see is reported as not found, so
 * its existence does not leak; a sensitive thread is hidden from the patient's proxies and, in the
 * practice, open only to its care team (those who wrote in it, were addressed in it, or were handed
 * it by triage), others needing emergency access (ADR 0026). Also who the care team of a thread is,
 * whom a patient's reply goes to, and whether the patient's side may still reply.
 *
 * <p>Sending, reading and the thread actions ask it before they touch a thread; other features ask
 * it the same questions by thread id. A {@code @Singleton} rather than {@code @ApplicationScoped}:
 * reading asks it about every thread or message in its loops, and a singleton is injected as
 * itself, with no client proxy between the caller and it (ADR 0037).
 */
@Singleton
public class ThreadAccess {

    private final EntityManager em;
    private final DirectoryService directory;
    private final MessagingConfig config;
    private final Clock clock;
    private final AuditRecorder audit;
    private final EmergencyAccessService emergencyAccess;

    public ThreadAccess(
            EntityManager em,
            DirectoryService directory,
            MessagingConfig config,
            Clock clock,
            AuditRecorder audit,
            EmergencyAccessService emergencyAccess) {
        this.em = em;
        this.directory = directory;
        this.config = config;
        this.clock = clock;
        this.audit = audit;
        this.emergencyAccess = emergencyAccess;
    }

    // ---------------------------------------------------------------- who reaches a thread

    /** Whether the caller sees the thread: open to them, on its care team, or under emergency access in force. */
    public boolean visible(MessageThread thread, Actor actor) {
        Access access = access(thread, actor);
        return access == Access.OPEN || access == Access.CARE_TEAM || access == Access.EMERGENCY;
    }

    /** How the caller reaches a thread, if at all. */
    enum Access {
        /** Not the caller's: another patient's, another practice's, or a sensitive thread for a proxy. */
        NONE,
        /** Open to the caller as a patient, a system client, or staff of the practice (not sensitive). */
        OPEN,
        /** Sensitive, and the caller is on its care team. */
        CARE_TEAM,
        /** Sensitive, the caller is staff of the practice outside its care team, with emergency access in force. */
        EMERGENCY,
        /** Sensitive, the caller is staff of the practice outside its care team, without emergency access. */
        RESTRICTED
    }

    Access access(MessageThread thread, Actor actor) {
        if (thread == null) {
            return Access.NONE;
        }
        if (actor.isSystem()) {
            return Access.OPEN;
        }
        if (actor.isPracticeClient()) { // a practice's backend client: its own practice's threads,
            // read only (ADR 0048)
            return thread.practiceId.equals(actor.practiceId()) ? Access.OPEN : Access.NONE;
        }
        if (actor.isPatientSide()) {
            return thread.patientId.equals(actor.patientId())
                            && !(thread.sensitive && actor.relatedPersonId() != null)
                    ? Access.OPEN
                    : Access.NONE;
        }
        if (!actor.isStaff() || !thread.practiceId.equals(actor.practiceId())) {
            return Access.NONE;
        }
        if (!thread.sensitive) {
            return Access.OPEN;
        }
        if (onCareTeam(thread, actor.practitionerId())) {
            return Access.CARE_TEAM;
        }
        return emergencyAccess.inForceRow(thread.patientId, actor).isPresent()
                ? Access.EMERGENCY
                : Access.RESTRICTED;
    }

    /**
     * Whether the practitioner is on the thread's care team: wrote in it, was addressed in it
     * directly or as a member of an addressed pool, or was handed it, or a pool they are in ({@link #shareWith}).
     */
    private boolean onCareTeam(MessageThread thread, UUID practitionerId) {
        if (practitionerId == null) {
            return false;
        }
        Set<UUID> pools = new HashSet<>();
        @SuppressWarnings("unchecked")
        List<Object[]> shares =
                em.createNativeQuery(
                                "select party_type, party_id from thread_share where thread_id = ?1")
                        .setParameter(1, thread.id)
                        .getResultList();
        for (Object[] share : shares) {
            if (Party.PRACTITIONER.equals(share[0]) && practitionerId.equals(share[1])) {
                return true;
            }
            if (Party.CARE_TEAM.equals(share[0])) {
                pools.add((UUID) share[1]);
            }
        }
        for (Message m :
                em.createQuery("from Message where threadId = :t", Message.class)
                        .setParameter("t", thread.id)
                        .getResultList()) {
            if (m.senderType.equals(Party.PRACTITIONER)
                    && m.senderId.equals(practitionerId)
                    && m.emergencyAccessId == null) {
                return true; // a reply written under emergency access does not make its writer one
                // of the care team
            }
            for (Message.Recipient r : m.recipients) {
                if (Party.PRACTITIONER.equals(r.type) && practitionerId.equals(r.id)) {
                    return true;
                }
                if (Party.CARE_TEAM.equals(r.type)) {
                    pools.add(r.id);
                }
            }
        }
        return pools.stream()
                .anyMatch(
                        pool ->
                                directory
                                        .pool(pool)
                                        .filter(p -> p.memberIds().contains(practitionerId))
                                        .isPresent());
    }

    /**
     * A practitioner or a pool joins the thread's care team: triage handed the thread to them (a
     * person's or a rule's assignment, routing, escalation), so a restricted thread opens to them (a
     * pool: to its members) without emergency access. Repeating it changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void shareWith(UUID threadId, Party party) {
        if (!party.is(Party.PRACTITIONER) && !party.is(Party.CARE_TEAM)) {
            throw new IllegalArgumentException(
                    "a thread is handed to a Practitioner or a CareTeam");
        }
        // plain SQL, no flush: the thread exists already (an item of it was triaged from its
        // committed message)
        TxJdbc.update(
                em,
                """
                insert into thread_share (thread_id, party_type, party_id, shared_at) values (?, ?, ?, ?)
                on conflict do nothing""",
                threadId,
                party.type(),
                party.id(),
                clock.instant());
    }

    /**
     * A clinician outside a restricted thread's care team opens emergency access to the patient's
     * restricted threads (ADR 0026): only when the thread is restricted to them now. Returns the
     * access (the one already in force, if any).
     */
    @Transactional
    public EmergencyAccessService.EmergencyAccessView openEmergencyAccess(
            UUID threadId, String reasonCode, Actor actor) {
        EmergencyAccessService.requireClinician(actor);
        MessageThread thread = em.find(MessageThread.class, threadId);
        Access access = access(thread, actor);
        if (access == Access.NONE) {
            throw BluepostException.notFound("Thread", threadId);
        }
        EmergencyReason reason =
                EmergencyReason.ofCode(reasonCode)
                        .orElseThrow(
                                () ->
                                        EmergencyAccessService.said(
                                                        ErrorKind.BUSINESS_RULE,
                                                        EmergencyAccessMessages
                                                                ::error_choose_reason)
                                                .about("reason"));
        return switch (access) {
            case OPEN, CARE_TEAM ->
                    throw EmergencyAccessService.said(
                            ErrorKind.BUSINESS_RULE, EmergencyAccessMessages::error_not_needed);
            case EMERGENCY, RESTRICTED ->
                    emergencyAccess.open(
                            thread.patientId, reason, config.emergencyAccessDuration(), actor);
            case NONE -> throw new IllegalStateException("handled above");
        };
    }

    /** The emergency access the caller reaches the thread through, when that is how (ADR 0026); null otherwise. */
    UUID emergencyAccessId(Access access, MessageThread thread, Actor actor) {
        return access == Access.EMERGENCY
                ? emergencyAccess.inForceRow(thread.patientId, actor).map(a -> a.id).orElse(null)
                : null;
    }

    /** How the caller reaches the thread; refuses (and records the refusal) when it does not. */
    Access requireVisible(MessageThread thread, Actor actor) {
        Access access = access(thread, actor);
        if (access == Access.RESTRICTED) {
            audit.recordIndependently(
                    actor,
                    AuditEntry.of(AuditAction.READ)
                            .on("Thread", thread.id)
                            .patient(thread.patientId)
                            .practice(thread.practiceId)
                            .failure(AuditRecorder.RESTRICTED));
            throw new RestrictedThreadException(thread.id, thread.patientId);
        }
        if (access == Access.NONE) {
            if (thread != null) {
                // someone reached for a thread they may not see: recorded for the thread's practice
                // (its request fails)
                audit.recordIndependently(
                        actor,
                        AuditEntry.of(AuditAction.READ)
                                .on("Thread", thread.id)
                                .patient(thread.patientId)
                                .practice(thread.practiceId)
                                .failure(AuditRecorder.ACCESS_DENIED));
            }
            throw BluepostException.notFound("Thread", thread == null ? "unknown" : thread.id);
        }
        return access;
    }

    // ---------------------------------------------------------------- replies and the care team

    /**
     * Whether the patient's side may reply: not when the thread is closed, when the reply window
     * after its last message has passed, or when the clinician or pool they wrote with is no longer
     * part of the practice's care team.
     */
    ReplyAvailability replyAvailability(MessageThread thread) {
        if (!"open".equals(thread.status)) {
            return ReplyAvailability.CLOSED;
        }
        int windowDays =
                directory
                        .practice(thread.practiceId)
                        .map(p -> p.replyWindowDays())
                        .filter(d -> d != null)
                        .orElse(config.replyWindowDays());
        if (clock.instant().isAfter(thread.lastMessageAt.plus(Duration.ofDays(windowDays)))) {
            return ReplyAvailability.WINDOW_PASSED;
        }
        List<Party> careTeam = careTeamOf(thread);
        boolean stillThere =
                careTeam.isEmpty()
                        || careTeam.stream()
                                .anyMatch(party -> inCareTeam(party, thread.practiceId));
        return stillThere ? ReplyAvailability.OPEN : ReplyAvailability.NOT_IN_CARE_TEAM;
    }

    private boolean inCareTeam(Party party, UUID practiceId) {
        return switch (party.type()) {
            case Party.CARE_TEAM -> directory.pool(party.id()).filter(p -> p.active()).isPresent();
            case Party.PRACTITIONER ->
                    directory
                            .practitioner(party.id())
                            .filter(p -> p.active() && p.practiceIds().contains(practiceId))
                            .isPresent();
            default -> false;
        };
    }

    /** Whom a patient's reply goes to: the most relevant member of the thread's care team who is still there. */
    @Transactional
    public List<Party> replyTarget(UUID threadId, Actor actor) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        requireVisible(thread, actor);
        return careTeamOf(thread).stream()
                .filter(p -> inCareTeam(p, thread.practiceId))
                .limit(1)
                .toList();
    }

    /** Whether the caller may reply in the thread now (without opening it). */
    @Transactional
    public ReplyAvailability replyAvailability(UUID threadId, Actor actor) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        requireVisible(thread, actor);
        return actor.isPatientSide()
                ? replyAvailability(thread)
                : "open".equals(thread.status) ? ReplyAvailability.OPEN : ReplyAvailability.CLOSED;
    }

    /** Who on the care team a patient's reply goes to: the last care-team sender, else the first message's recipients. */
    public List<Party> careTeamOf(UUID threadId, Actor actor) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        requireVisible(thread, actor);
        return careTeamOf(thread);
    }

    /**
     * The care team of a thread, most relevant first: the practitioner who wrote last for the care
     * team, then whoever the first message was addressed to (a pool or a clinician).
     */
    private List<Party> careTeamOf(MessageThread thread) {
        List<Message> messages =
                em.createQuery(
                                "from Message where threadId = :t order by receivedAt desc, createdAt desc",
                                Message.class)
                        .setParameter("t", thread.id)
                        .getResultList();
        LinkedHashSet<Party> team = new LinkedHashSet<>();
        messages.stream()
                .filter(m -> m.senderKind.isCareTeam() && m.senderType.equals(Party.PRACTITIONER))
                .findFirst()
                .ifPresent(m -> team.add(new Party(m.senderType, m.senderId)));
        if (!messages.isEmpty()) {
            messages.get(messages.size() - 1).recipients.stream()
                    .map(r -> new Party(r.type, r.id))
                    .filter(p -> p.is(Party.CARE_TEAM) || p.is(Party.PRACTITIONER))
                    .forEach(team::add);
        }
        return List.copyOf(team);
    }

    /**
     * Whether the thread is hidden from the patient's proxies (marked sensitive by the patient); an
     * unknown thread counts as hidden. Lets other features decide whom to tell without reading it.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean hiddenFromProxies(UUID threadId) {
        MessageThread thread = em.find(MessageThread.class, threadId);
        return thread == null || thread.sensitive;
    }
}
