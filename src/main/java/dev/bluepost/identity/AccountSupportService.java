package dev.bluepost.identity;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A practice admin's account support for the logins of their own practice (ADR 0030): resetting a
 * login's second factor (its TOTP enrolment and recovery codes are removed and its open sessions
 * end; a staff login must enrol again at its next sign-in) and unlocking a login that the lockout
 * back-off locked. Every attempt is audited with the admin, the login, the time and the outcome,
 * refused ones included; a login of another practice is answered as unknown.
 */
@ApplicationScoped
public class AccountSupportService {

    /** Where a login stands, for the admin's list. */
    public record LoginState(
            boolean secondFactor, Instant lockedUntil, int failedLogins, boolean active) {

        public boolean locked(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    private final IdentityService identities;
    private final SessionService sessions;
    private final SecondFactors secondFactors;
    private final AuditRecorder audit;
    private final Clock clock;

    public AccountSupportService(
            IdentityService identities,
            SessionService sessions,
            SecondFactors secondFactors,
            AuditRecorder audit,
            Clock clock) {
        this.identities = identities;
        this.sessions = sessions;
        this.secondFactors = secondFactors;
        this.audit = audit;
        this.clock = clock;
    }

    /** The second-factor and lockout state of these logins. */
    @Transactional
    public Map<UUID, LoginState> states(Collection<UUID> userIds) {
        Map<UUID, LoginState> states = new HashMap<>();
        if (userIds.isEmpty()) {
            return states;
        }
        Set<UUID> enrolled = secondFactors.enrolledAmong(userIds);
        for (UserAccount user : UserAccount.<UserAccount>list("id in ?1", userIds)) {
            states.put(
                    user.id,
                    new LoginState(
                            enrolled.contains(user.id),
                            user.lockedUntil,
                            user.failedLogins,
                            user.active));
        }
        return states;
    }

    /**
     * Removes a login's second factor: its TOTP secret (enrolled or pending) and recovery codes, and
     * ends its open sessions. A staff login then has to enrol a new one before its next sign-in
     * completes; a patient or proxy may set one up again from their account page.
     */
    @Transactional(dontRollbackOn = BluepostException.class)
    public void resetSecondFactor(Actor admin, String username) {
        UserAccount user = loginOfPractice(admin, username, "mfa-reset");
        if (user.id.equals(admin.userId())) {
            refuse(admin, user, "mfa-reset", "own-login");
            throw AccountProblem.rule(
                    AccountProblem.Reason.RESET_OWN_SECOND_FACTOR,
                    "Another admin of the practice must reset your own second factor.");
        }
        // an enrolment that was started but never confirmed is no second factor (the person may
        // still finish it)
        if (!secondFactors.enrolled(user.id) && !secondFactors.unusedRecoveryCodes(user.id)) {
            refuse(admin, user, "mfa-reset", "not-enrolled");
            throw AccountProblem.rule(
                    AccountProblem.Reason.RESET_NOTHING,
                    "That login has no second factor to reset.");
        }
        secondFactors.remove(user.id);
        int ended = sessions.endAllOf(user.id, "second-factor-reset");
        audit.record(
                admin,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("UserAccount", user.id)
                        .practice(admin.practiceId())
                        .reason("mfa-reset"));
        Log.infof(
                "second factor reset userId=%s by=%s sessionsEnded=%d",
                user.id, admin.logId(), ended);
    }

    /** Lifts a lockout: the failure counter, the lock and the back-off (lockouts in a row) start again from zero. */
    @Transactional(dontRollbackOn = BluepostException.class)
    public void unlock(Actor admin, String username) {
        UserAccount user = loginOfPractice(admin, username, "unlock");
        Instant now = clock.instant();
        boolean locked = user.lockedUntil != null && now.isBefore(user.lockedUntil);
        if (!locked && user.failedLogins == 0 && user.lockouts == 0) {
            refuse(admin, user, "unlock", "not-locked");
            throw AccountProblem.rule(
                    AccountProblem.Reason.UNLOCK_NOTHING,
                    "That login is not locked and has no failed sign-ins to clear.");
        }
        user.failedLogins = 0;
        user.lockouts = 0;
        user.lockedUntil = null;
        audit.record(
                admin,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("UserAccount", user.id)
                        .practice(admin.practiceId())
                        .reason("unlocked"));
        Log.infof("login unlocked userId=%s by=%s wasLocked=%s", user.id, admin.logId(), locked);
    }

    /**
     * The login with this user name if it belongs to the admin's practice (its staff, or the
     * patients and proxies of its patients); otherwise the attempt is audited and answered as unknown.
     */
    UserAccount loginOfPractice(Actor admin, String username, String what) {
        if (admin == null
                || !admin.has(Role.ADMIN)
                || admin.practiceId() == null
                || admin.userId() == null) {
            throw BluepostException.said(
                    ErrorKind.FORBIDDEN, AccountMessages.class, AccountMessages::error_admin_only);
        }
        String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        UserAccount user = UserAccount.<UserAccount>find("username", name).firstResult();
        if (user == null) {
            audit.record(
                    admin,
                    AuditEntry.of(AuditAction.UPDATE)
                            .practice(admin.practiceId())
                            .failure(what + ".unknown-login"));
            throw unknown();
        }
        boolean ofPractice =
                identities.usersOfPractice(admin.practiceId()).stream()
                        .anyMatch(u -> u.id().equals(user.id));
        if (!ofPractice) {
            // recorded for the admin's practice, naming the login they reached for (never its
            // details)
            refuse(admin, user, what, "foreign-practice");
            throw unknown();
        }
        return user;
    }

    private void refuse(Actor admin, UserAccount user, String what, String why) {
        audit.record(
                admin,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("UserAccount", user.id)
                        .practice(admin.practiceId())
                        .failure(what + "." + why));
    }

    private static BluepostException unknown() {
        return AccountProblem.of(
                ErrorKind.NOT_FOUND,
                AccountProblem.Reason.UNKNOWN_LOGIN,
                "No login of this practice has that user name.");
    }
}
