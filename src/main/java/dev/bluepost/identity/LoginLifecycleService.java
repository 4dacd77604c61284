package dev.bluepost.identity;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.identity.apps.AppAuthorizationService;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A practice admin runs the life of the logins of their practice (ADR 0040): changes a staff login's
 * roles, deactivates a login (its sessions and app tokens end at once, sign-in is refused with the
 * usual neutral answer) and reactivates it, sends a password reset link, and signs a login out
 * everywhere. A practice never loses its last active admin, whether by deactivation or by a role
 * change: the practice's active admins are locked while that is decided, so that two admins
 * removing each other at the same moment cannot both succeed. Every attempt is audited, refusals
 * included; a login of another practice is answered as unknown ({@link AccountSupportService}).
 */
@ApplicationScoped
public class LoginLifecycleService {

    /** The roles a staff login may hold; a patient's or proxy's login keeps its role (it stands for their record). */
    public static final List<Role> STAFF_ROLES =
            List.of(Role.PROVIDER, Role.FRONT_DESK, Role.COMPLIANCE, Role.ADMIN);

    private final AccountSupportService support;
    private final SessionService sessions;
    private final AppAuthorizationService apps;
    private final PasswordResetService resets;
    private final DirectoryService directory;
    private final AuditRecorder audit;
    private final EntityManager em;

    public LoginLifecycleService(
            AccountSupportService support,
            SessionService sessions,
            AppAuthorizationService apps,
            PasswordResetService resets,
            DirectoryService directory,
            AuditRecorder audit,
            EntityManager em) {
        this.support = support;
        this.sessions = sessions;
        this.apps = apps;
        this.resets = resets;
        this.directory = directory;
        this.audit = audit;
        this.em = em;
    }

    /**
     * Gives a staff login exactly these roles (at least one, staff roles only). Providers need a
     * practitioner record with an NPI, front-desk staff a practitioner record; the practice's last
     * active admin keeps the admin role. One ROLE_CHANGE entry names the roles granted and withdrawn.
     */
    @Transactional(dontRollbackOn = BluepostException.class)
    public void changeRoles(Actor admin, String username, Set<Role> wanted) {
        UserAccount user = support.loginOfPractice(admin, username, "roles");
        if (!user.roles.stream().allMatch(Role::isStaff)) {
            refuse(admin, user, "roles", "not-staff");
            throw AccountProblem.rule(
                    AccountProblem.Reason.ROLES_STAFF_ONLY,
                    "Only a staff login's roles can be changed: a patient's or a family member's login stands for their record.");
        }
        if (wanted == null || wanted.isEmpty() || !STAFF_ROLES.containsAll(wanted)) {
            refuse(admin, user, "roles", "none");
            throw AccountProblem.rule(
                    AccountProblem.Reason.ROLES_NONE, "Choose at least one role.");
        }
        Set<Role> roles = EnumSet.copyOf(wanted);
        if (roles.equals(user.roles)) {
            refuse(admin, user, "roles", "unchanged");
            throw AccountProblem.rule(
                    AccountProblem.Reason.ROLES_UNCHANGED,
                    "The login already has exactly these roles.");
        }
        boolean signsReplies = roles.contains(Role.PROVIDER) || roles.contains(Role.FRONT_DESK);
        if (signsReplies && user.practitionerId == null) {
            refuse(admin, user, "roles", "no-practitioner");
            throw AccountProblem.rule(
                    AccountProblem.Reason.PRACTITIONER_RECORD,
                    "Providers and front-desk staff need their Practitioner record: replies are signed with it.");
        }
        if (roles.contains(Role.PROVIDER)
                && directory
                        .practitioner(user.practitionerId)
                        .filter(p -> p.isEligibleProfessional())
                        .isEmpty()) {
            refuse(admin, user, "roles", "no-npi");
            throw AccountProblem.rule(
                    AccountProblem.Reason.PRACTITIONER_NPI,
                    "A provider login needs a Practitioner with an NPI.");
        }
        if (user.roles.contains(Role.ADMIN) && !roles.contains(Role.ADMIN)) {
            keepAnotherAdmin(admin, user, "roles");
        }
        Set<Role> before = EnumSet.copyOf(user.roles);
        user.roles.clear();
        user.roles.addAll(roles);
        // one entry for the change: the roles granted, then those withdrawn
        // (granted.compliance.withdrawn.admin)
        String granted =
                STAFF_ROLES.stream()
                        .filter(r -> roles.contains(r) && !before.contains(r))
                        .map(LoginLifecycleService::code)
                        .collect(java.util.stream.Collectors.joining("."));
        String withdrawn =
                STAFF_ROLES.stream()
                        .filter(r -> !roles.contains(r) && before.contains(r))
                        .map(LoginLifecycleService::code)
                        .collect(java.util.stream.Collectors.joining("."));
        String reason =
                (granted.isEmpty() ? "" : "granted." + granted)
                        + (granted.isEmpty() || withdrawn.isEmpty() ? "" : ".")
                        + (withdrawn.isEmpty() ? "" : "withdrawn." + withdrawn);
        audit.record(
                admin,
                AuditEntry.of(AuditAction.ROLE_CHANGE)
                        .on("UserAccount", user.id)
                        .practice(admin.practiceId())
                        .reason(reason));
        Log.infof("roles changed userId=%s by=%s roles=%s", user.id, admin.logId(), roles);
    }

    /**
     * Deactivates a login: every web session and app token ends now, unused reset links are void, and
     * sign-in is refused with the same answer as a wrong password. An admin may deactivate their own
     * login, but not the practice's last active admin.
     */
    @Transactional(dontRollbackOn = BluepostException.class)
    public void deactivate(Actor admin, String username) {
        UserAccount user = support.loginOfPractice(admin, username, "deactivate");
        if (!user.active) {
            refuse(admin, user, "deactivate", "not-active");
            throw AccountProblem.rule(
                    AccountProblem.Reason.ALREADY_INACTIVE, "That login is deactivated already.");
        }
        if (user.roles.contains(Role.ADMIN)) {
            keepAnotherAdmin(admin, user, "deactivate");
        }
        user.active = false;
        int ended = sessions.endAllOf(user.id, "login-deactivated");
        int revoked = apps.revokeAllOf(user.id, AppAuthorizationService.LOGIN_DEACTIVATED);
        resets.voidLinksOf(user.id);
        audit.record(
                admin,
                AuditEntry.of(AuditAction.DEACTIVATE)
                        .on("UserAccount", user.id)
                        .practice(admin.practiceId()));
        Log.infof(
                "login deactivated userId=%s by=%s sessionsEnded=%d appConsentsRevoked=%d",
                user.id, admin.logId(), ended, revoked);
    }

    /** Makes a deactivated login active again; the person signs in with their password (or a reset link). */
    @Transactional(dontRollbackOn = BluepostException.class)
    public void reactivate(Actor admin, String username) {
        UserAccount user = support.loginOfPractice(admin, username, "reactivate");
        if (user.active) {
            refuse(admin, user, "reactivate", "active");
            throw AccountProblem.rule(
                    AccountProblem.Reason.ALREADY_ACTIVE, "That login is active already.");
        }
        user.active = true;
        audit.record(
                admin,
                AuditEntry.of(AuditAction.REACTIVATE)
                        .on("UserAccount", user.id)
                        .practice(admin.practiceId()));
        Log.infof("login reactivated userId=%s by=%s", user.id, admin.logId());
    }

    /** E-mails the login a password reset link ({@link PasswordResetService}); refused when it has no address or is deactivated. */
    @Transactional(dontRollbackOn = BluepostException.class)
    public void sendPasswordReset(Actor admin, String username) {
        UserAccount user = support.loginOfPractice(admin, username, "password-reset");
        if (!user.active) {
            refuse(admin, user, "password-reset", "not-active");
            throw AccountProblem.rule(
                    AccountProblem.Reason.RESET_INACTIVE,
                    "Reactivate the login before sending it a password reset link.");
        }
        if (!resets.sendByAdmin(user, admin)) {
            refuse(admin, user, "password-reset", "no-address");
            throw AccountProblem.rule(
                    AccountProblem.Reason.RESET_NO_ADDRESS,
                    "That login has no e-mail address to send the link to. Add one first, or give the person a new password another way.");
        }
    }

    /**
     * Signs a login out everywhere: every web session and every app token ends. Not for the admin's
     * own login (their sessions page ends their other sessions). Answers how many ended.
     */
    @Transactional(dontRollbackOn = BluepostException.class)
    public int endSessions(Actor admin, String username) {
        UserAccount user = support.loginOfPractice(admin, username, "end-sessions");
        if (user.id.equals(admin.userId())) {
            refuse(admin, user, "end-sessions", "own-login");
            throw AccountProblem.rule(
                    AccountProblem.Reason.END_OWN_SESSIONS,
                    "End your own sessions on the Your sessions page: this would also sign you out here.");
        }
        int ended =
                sessions.endAllOf(user.id, "ended-by-admin")
                        + apps.revokeAllOf(user.id, AppAuthorizationService.ENDED_BY_ADMIN);
        audit.record(
                admin,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("UserAccount", user.id)
                        .practice(admin.practiceId())
                        .reason("sessions-ended"));
        Log.infof(
                "sessions ended by admin userId=%s by=%s ended=%d", user.id, admin.logId(), ended);
        return ended;
    }

    /**
     * Refuses when {@code user} is the practice's only active admin. Locks the practice's active
     * admins' rows first, so that concurrent removals are decided one after the other.
     */
    private void keepAnotherAdmin(Actor admin, UserAccount user, String what) {
        @SuppressWarnings("unchecked")
        List<Object> admins =
                em.createNativeQuery(
                                """
                        select u.id from user_account u join user_role r on r.user_id = u.id
                        where u.practice_id = ?1 and u.active and r.role = 'ADMIN' order by u.id for update of u""")
                        .setParameter(1, user.practiceId)
                        .getResultList();
        boolean another =
                admins.stream()
                        .map(id -> id instanceof UUID u ? u : UUID.fromString(id.toString()))
                        .anyMatch(id -> !id.equals(user.id));
        if (!another) {
            refuse(admin, user, what, "last-admin");
            throw AccountProblem.rule(
                    AccountProblem.Reason.LAST_ADMIN,
                    "This is the practice's last active admin. Give another login the admin role first.");
        }
    }

    private static String code(Role role) {
        return role.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void refuse(Actor admin, UserAccount user, String what, String why) {
        audit.record(
                admin,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("UserAccount", user.id)
                        .practice(admin.practiceId())
                        .failure(what + "." + why));
    }
}
