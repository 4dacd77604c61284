package dev.bluepost.identity;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.PasswordHasher;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.identity.apps.AppAuthorizationService;
import dev.bluepost.identity.apps.AppConsent;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.db.TxJdbc;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.facts.PortalAccountActivated;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Logins: creating them, checking passwords (with lockout), and who a login acts as. */
@ApplicationScoped
public class IdentityService {

    private final PasswordHasher hasher;
    private final PasswordPolicy passwords;
    private final DirectoryService directory;
    private final SecurityConfig config;
    private final Clock clock;
    private final AuditRecorder audit;
    private final Event<PortalAccountActivated> accountsActivated;
    private final EntityManager em;
    private final String decoyHash;
    private final SecondFactors secondFactors;
    private static final UUID NONE = new UUID(0, 0);
    private static final java.time.Duration MAX_LOCKOUT = java.time.Duration.ofDays(1);
    private static final java.util.regex.Pattern USERNAME =
            java.util.regex.Pattern.compile("[a-z0-9._@-]{3,64}");

    /** One address, no display name: a local part, '@', a domain with a dot; no spaces, control characters or separators. */
    private static final java.util.regex.Pattern EMAIL =
            java.util.regex.Pattern.compile(
                    "[^@\\s\\p{Cntrl}<>,;\"]{1,64}@[^@\\s\\p{Cntrl}<>,;\"]+\\.[^@\\s\\p{Cntrl}<>,;\".]{2,}");

    public IdentityService(
            PasswordHasher hasher,
            DirectoryService directory,
            SecurityConfig config,
            Clock clock,
            AuditRecorder audit,
            PasswordPolicy passwords,
            Event<PortalAccountActivated> accountsActivated,
            EntityManager em,
            SecondFactors secondFactors) {
        this.passwords = passwords;
        this.secondFactors = secondFactors;
        this.em = em;
        this.accountsActivated = accountsActivated;
        this.hasher = hasher;
        this.directory = directory;
        this.config = config;
        this.clock = clock;
        this.audit = audit;
        this.decoyHash = hasher.decoy();
    }

    /**
     * What a new login needs; the password is hashed, never stored.
     *
     * @param email where notifications go (optional; a patient's login falls back to their Patient record's address)
     */
    public record NewUser(
            String username,
            String password,
            String displayName,
            Set<Role> roles,
            UUID practiceId,
            UUID practitionerId,
            UUID patientId,
            Set<UUID> relatedPersonIds,
            String email) {

        /** A login without an e-mail address of its own. */
        public NewUser(
                String username,
                String password,
                String displayName,
                Set<Role> roles,
                UUID practiceId,
                UUID practitionerId,
                UUID patientId,
                Set<UUID> relatedPersonIds) {
            this(
                    username,
                    password,
                    displayName,
                    roles,
                    practiceId,
                    practitionerId,
                    patientId,
                    relatedPersonIds,
                    null);
        }
    }

    /**
     * A login's public facts. {@code email} is the login's own address (null when it has none);
     * {@code language} the language its pages and e-mails use ("en", "es"; null = not chosen yet, the
     * browser's then).
     */
    public record UserView(
            UUID id,
            String username,
            String displayName,
            Set<Role> roles,
            UUID practiceId,
            UUID practitionerId,
            UUID patientId,
            Set<UUID> relatedPersonIds,
            String email,
            String language) {

        public boolean isStaff() {
            return roles.stream().anyMatch(Role::isStaff);
        }

        public boolean isPatientSide() {
            return roles.contains(Role.PATIENT) || roles.contains(Role.PROXY);
        }
    }

    public sealed interface LoginResult {
        /** The password was right; {@code stage} says whether a second factor (or its enrolment) is still due. */
        record Success(UserView user, SessionService.Stage stage) implements LoginResult {}

        record Refused() implements LoginResult {}

        record Locked(Instant until) implements LoginResult {}
    }

    @Transactional
    public UUID createUser(NewUser request) {
        String username = normalize(request.username());
        if (!USERNAME.matcher(username).matches()) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.USERNAME_FORMAT,
                    "A user name has 3 to 64 characters: letters, digits, '.', '_', '-' or '@'.");
        }
        passwords.check(request.password(), username, request.roles());
        if (request.displayName() == null
                || request.displayName().isBlank()
                || request.displayName().length() > 100) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.DISPLAY_NAME,
                    "A login needs a display name of at most 100 characters.");
        }
        checkRolesAndLinks(request);
        String email = checkedEmail(request.email());
        if (UserAccount.count("username", username) > 0) {
            throw AccountProblem.of(
                    dev.bluepost.platform.errors.ErrorKind.CONFLICT,
                    AccountProblem.Reason.USERNAME_TAKEN,
                    "The user name is already taken.");
        }
        UserAccount user = new UserAccount();
        user.id = Ids.newId();
        user.username = username;
        user.passwordHash = hasher.hash(request.password());
        user.displayName = request.displayName();
        user.email = email;
        user.roles = EnumSet.copyOf(request.roles());
        user.practiceId = request.practiceId();
        user.practitionerId = request.practitionerId();
        user.patientId = request.patientId();
        user.relatedPersonIds.addAll(
                request.relatedPersonIds() == null ? Set.of() : request.relatedPersonIds());
        user.createdAt = clock.instant();
        user.passwordChangedAt = user.createdAt;
        user.persist();
        Log.infof("user created userId=%s roles=%s", user.id, user.roles);
        if (user.roles.contains(Role.PATIENT) && user.patientId != null) {
            // The patient's portal account is active from now: online access granted
            // (docs/measures.md §5.1).
            accountsActivated.fire(new PortalAccountActivated(user.id, user.patientId));
        }
        audit.recordForCaller(
                AuditEntry.of(AuditAction.CREATE)
                        .on("UserAccount", user.id)
                        .practice(user.practiceId));
        for (Role role : user.roles) {
            audit.recordForCaller(
                    AuditEntry.of(AuditAction.ROLE_CHANGE)
                            .on("UserAccount", user.id)
                            .practice(user.practiceId)
                            .reason(
                                    "granted."
                                            + role.name()
                                                    .toLowerCase(java.util.Locale.ROOT)
                                                    .replace('_', '-')));
        }
        return user.id;
    }

    /**
     * A login is a patient's, a proxy's or a staff member's, and names the records it stands for:
     * a patient their Patient, a proxy their RelatedPerson authorizations, staff their practice and
     * (for providers and front desk, who sign replies) their Practitioner in that practice.
     */
    private void checkRolesAndLinks(NewUser request) {
        Set<Role> roles = request.roles() == null ? Set.of() : request.roles();
        if (roles.isEmpty()
                || roles.contains(Role.SYSTEM)
                || roles.contains(Role.PRACTICE_CLIENT)) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.ROLE_NONE,
                    "A login needs at least one person role (SYSTEM is for clients).");
        }
        boolean staff = roles.stream().anyMatch(Role::isStaff);
        boolean patient = roles.contains(Role.PATIENT);
        boolean proxy = roles.contains(Role.PROXY);
        if ((staff ? 1 : 0) + (patient ? 1 : 0) + (proxy ? 1 : 0) != 1) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.ROLE_SEVERAL,
                    "A login is either a patient's, a proxy's or a staff member's, not several.");
        }
        if (patient
                && (request.patientId() == null
                        || directory.patient(request.patientId()).isEmpty())) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.PATIENT_RECORD,
                    "A patient's login names their Patient record.");
        }
        if (proxy
                && (request.relatedPersonIds() == null
                        || request.relatedPersonIds().isEmpty()
                        || directory.relatedPersons(request.relatedPersonIds()).size()
                                != request.relatedPersonIds().size())) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.PROXY_RECORD,
                    "A proxy's login names the RelatedPerson authorizations it may use.");
        }
        if (staff) {
            if (request.practiceId() == null
                    || directory.practice(request.practiceId()).isEmpty()) {
                throw AccountProblem.rule(
                        AccountProblem.Reason.STAFF_PRACTICE,
                        "A staff login names the practice (Organization) it works for.");
            }
            boolean signsReplies = roles.contains(Role.PROVIDER) || roles.contains(Role.FRONT_DESK);
            if (signsReplies && request.practitionerId() == null) {
                throw AccountProblem.rule(
                        AccountProblem.Reason.PRACTITIONER_RECORD,
                        "Providers and front-desk staff need their Practitioner record: replies are signed with it.");
            }
            if (request.practitionerId() != null) {
                var practitioner =
                        directory
                                .practitioner(request.practitionerId())
                                .orElseThrow(
                                        () ->
                                                AccountProblem.rule(
                                                        AccountProblem.Reason.PRACTITIONER_RECORD,
                                                        "The Practitioner/"
                                                                + request.practitionerId()
                                                                + " is not known."));
                if (!practitioner.practiceIds().contains(request.practiceId())) {
                    throw AccountProblem.rule(
                            AccountProblem.Reason.PRACTITIONER_PRACTICE,
                            "The Practitioner does not work for that practice.");
                }
                if (roles.contains(Role.PROVIDER) && !practitioner.isEligibleProfessional()) {
                    throw AccountProblem.rule(
                            AccountProblem.Reason.PRACTITIONER_NPI,
                            "A provider login needs a Practitioner with an NPI.");
                }
            }
        }
    }

    /**
     * A person changes their password: the current one must be given (a wrong one counts towards
     * the lockout), the new one follows the rules; the person's other sessions end.
     */
    @Transactional(dontRollbackOn = BluepostException.class)
    public void changePassword(
            UUID userId, UUID currentSessionId, String current, String replacement) {
        UserAccount user = UserAccount.findById(userId);
        if (user == null || !user.active) {
            throw BluepostException.notFound("Login", userId);
        }
        if (!hasher.verify(current == null ? "" : current, user.passwordHash)) {
            registerFailure(user, "password-change-wrong-password");
            throw AccountProblem.rule(
                    AccountProblem.Reason.CURRENT_PASSWORD, "The current password is not correct.");
        }
        passwords.check(replacement, user.username, user.roles);
        if (hasher.verify(replacement, user.passwordHash)) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.PASSWORD_SAME,
                    "The new password is the same as the current one.");
        }
        user.passwordHash = hasher.hash(replacement);
        user.passwordChangedAt = clock.instant();
        long ended =
                WebSession.update(
                        "endedAt = ?1, endReason = 'password-changed' where userId = ?2 and endedAt is null and id <> ?3",
                        clock.instant(),
                        userId,
                        currentSessionId == null ? NONE : currentSessionId);
        // a patient app authorized under the old password must be authorized again (ADR 0040)
        int apps =
                AppConsent.update(
                        "revokedAt = ?1, revokeReason = ?2 where userId = ?3 and revokedAt is null",
                        clock.instant(),
                        AppAuthorizationService.PASSWORD_CHANGED,
                        userId);
        audit.record(
                actorOf(user),
                AuditEntry.of(AuditAction.UPDATE).on("Login", userId).reason("password-changed"));
        Log.infof(
                "password changed userId=%s otherSessionsEnded=%d appConsentsRevoked=%d",
                userId, ended, apps);
    }

    /** A person changes (or, with a blank value, removes) the e-mail address their notifications go to. */
    @Transactional
    public void changeEmail(UUID userId, String email) {
        UserAccount user = UserAccount.findById(userId);
        if (user == null || !user.active) {
            throw BluepostException.notFound("Login", userId);
        }
        user.email = checkedEmail(email);
        Log.infof("user email changed userId=%s present=%s", user.id, user.email != null);
        audit.recordForCaller(
                AuditEntry.of(AuditAction.UPDATE)
                        .on("UserAccount", user.id)
                        .practice(user.practiceId)
                        .reason("email-changed"));
    }

    /**
     * The address a login's notifications go to: its own, or for a patient's login the address of
     * their Patient record; empty when there is none or the login is disabled.
     */
    @Transactional
    public Optional<String> contactEmail(UUID userId) {
        UserAccount user = UserAccount.findById(userId);
        if (user == null || !user.active) {
            return Optional.empty();
        }
        if (user.email != null) {
            return Optional.of(user.email);
        }
        if (user.roles.contains(Role.PATIENT) && user.patientId != null) {
            return directory
                    .patientEmail(user.patientId)
                    .map(String::strip)
                    .filter(e -> EMAIL.matcher(e).matches());
        }
        return Optional.empty();
    }

    /**
     * The active logins of a patient's side: the patient's own, and (when {@code includeProxies})
     * the logins of proxies whose authorization for that patient is in force now.
     */
    @Transactional
    public List<UserView> patientSideLogins(UUID patientId, boolean includeProxies) {
        List<UserView> logins =
                new java.util.ArrayList<>(
                        UserAccount.<UserAccount>find(
                                        "select distinct u from UserAccount u join u.roles r where u.active = true and u.patientId = ?1 and r = ?2",
                                        patientId,
                                        Role.PATIENT)
                                .list()
                                .stream()
                                .map(IdentityService::view)
                                .toList());
        if (includeProxies) {
            Instant now = clock.instant();
            List<UUID> inForce =
                    directory.relatedPersonsOfPatients(List.of(patientId)).stream()
                            .filter(p -> directory.authorizationInForce(p, now))
                            .map(ProxyView::id)
                            .toList();
            if (!inForce.isEmpty()) {
                UserAccount.<UserAccount>find(
                                """
                                select distinct u from UserAccount u join u.roles r join u.relatedPersonIds p
                                where u.active = true and r = ?1 and p in ?2""",
                                Role.PROXY,
                                inForce)
                        .list()
                        .stream()
                        .map(IdentityService::view)
                        .forEach(logins::add);
            }
        }
        return logins;
    }

    /** The active staff logins of a practice that stand for one of these practitioners. */
    @Transactional
    public List<UserView> staffLogins(UUID practiceId, Set<UUID> practitionerIds) {
        if (practitionerIds.isEmpty()) {
            return List.of();
        }
        return UserAccount.<UserAccount>find(
                        "active = true and practiceId = ?1 and practitionerId in ?2",
                        practiceId,
                        practitionerIds)
                .list()
                .stream()
                .map(IdentityService::view)
                .filter(UserView::isStaff)
                .toList();
    }

    /** The active logins of a practice's staff that have the role (e.g. its compliance officers). */
    @Transactional
    public List<UserView> staffWithRole(UUID practiceId, Role role) {
        return UserAccount.<UserAccount>find(
                        "select u from UserAccount u where u.active = true and u.practiceId = ?1 "
                                + "and ?2 member of u.roles",
                        practiceId,
                        role)
                .list()
                .stream()
                .map(IdentityService::view)
                .toList();
    }

    /** A well-formed single address, trimmed (null for blank); refused with a message that does not quote it. */
    static String checkedEmail(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String trimmed = email.strip();
        if (trimmed.length() > 254 || !EMAIL.matcher(trimmed).matches()) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.EMAIL,
                    "Enter one e-mail address, such as name@example.org.");
        }
        return trimmed;
    }

    /** The logins of a practice's staff, patients and proxies, by user name. */
    @Transactional
    public List<UserView> usersOfPractice(UUID practiceId) {
        List<UUID> patients =
                directory.patientsOfPractice(practiceId).stream().map(PatientView::id).toList();
        List<UUID> proxies =
                directory.relatedPersonsOfPatients(patients).stream().map(ProxyView::id).toList();
        return UserAccount.<UserAccount>find(
                        """
                        select distinct u from UserAccount u left join u.relatedPersonIds r
                        where u.practiceId = ?1 or u.patientId in ?2 or r in ?3 order by u.username""",
                        practiceId,
                        patients.isEmpty() ? List.of(NONE) : patients,
                        proxies.isEmpty() ? List.of(NONE) : proxies)
                .list()
                .stream()
                .map(IdentityService::view)
                .toList();
    }

    /**
     * The language a patient's own login chose ("en", "es"), if one did: the language automatic
     * replies and staff templates are sent to the patient in. One indexed read.
     */
    @Transactional
    public Optional<String> patientLanguage(UUID patientId) {
        return UserAccount.<UserAccount>find(
                        "active = true and patientId = ?1 and language is not null", patientId)
                .firstResultOptional()
                .map(u -> u.language);
    }

    @Transactional
    public Optional<UserView> findByUsername(String username) {
        return UserAccount.<UserAccount>find("username", normalize(username))
                .firstResultOptional()
                .map(IdentityService::view);
    }

    /**
     * Checks a password. Unknown names cost the same time as known ones; after too many failures
     * the login is locked for a while, each lockout in a row twice as long as the one before
     * (back-off), and the failure counter starts again after it. A login with a second factor (or
     * a staff login that must enrol one) gets a session that is not yet signed in: LOGIN is recorded
     * when the second factor passes ({@code mfa.MfaService}).
     */
    @Transactional(dontRollbackOn = BluepostException.class)
    public LoginResult login(String username, String password) {
        Optional<UserAccount> found =
                UserAccount.<UserAccount>find("username", normalize(username))
                        .firstResultOptional();
        if (found.isEmpty() || !found.get().active) {
            hasher.verify(password == null ? "" : password, decoyHash);
            // the typed name is never recorded: it may be someone's password typed into the wrong
            // field
            audit.record(
                    found.map(IdentityService::actorOf).orElse(null),
                    AuditEntry.of(AuditAction.LOGIN_FAILED)
                            .failure(found.isEmpty() ? "unknown-user" : "login-disabled"));
            return new LoginResult.Refused();
        }
        UserAccount user = found.get();
        Instant now = clock.instant();
        if (user.lockedUntil != null && now.isBefore(user.lockedUntil)) {
            // the password is not even checked while locked (and the answer is the same as for a
            // wrong one)
            hasher.verify(password == null ? "" : password, decoyHash);
            audit.record(
                    actorOf(user),
                    AuditEntry.of(AuditAction.LOGIN_FAILED).failure("account-locked"));
            return new LoginResult.Locked(user.lockedUntil);
        }
        if (!hasher.verify(password == null ? "" : password, user.passwordHash)) {
            return registerFailure(user, "invalid-credentials");
        }
        SessionService.Stage stage =
                secondFactors.enrolled(user.id)
                        ? SessionService.Stage.SECOND_FACTOR
                        : user.roles.stream().anyMatch(Role::isStaff)
                                ? SessionService.Stage.ENROL
                                : SessionService.Stage.FULL;
        if (stage == SessionService.Stage.FULL) {
            signedIn(user, null);
        }
        return new LoginResult.Success(view(user), stage);
    }

    /** The whole sign-in passed: counters reset, LOGIN recorded (with how the second factor was given, if any). */
    public void signedIn(UserAccount user, String secondFactor) {
        user.failedLogins = 0;
        user.lockouts = 0;
        user.lockedUntil = null;
        user.lastLoginAt = clock.instant();
        AuditEntry entry = AuditEntry.of(AuditAction.LOGIN);
        audit.record(actorOf(user), secondFactor == null ? entry : entry.reason(secondFactor));
    }

    /**
     * A wrong password or second factor: counted, and after {@code max-failed-logins} in a row the
     * login is locked for {@code lockout} × 2^(earlier lockouts in a row), at most a day.
     */
    public LoginResult registerFailure(UserAccount user, String reason) {
        Instant now = clock.instant();
        user.failedLogins++;
        if (user.failedLogins >= config.maxFailedLogins()) {
            java.time.Duration pause =
                    config.lockout().multipliedBy(1L << Math.min(user.lockouts, 10));
            if (pause.compareTo(MAX_LOCKOUT) > 0) {
                pause = MAX_LOCKOUT;
            }
            user.lockedUntil = now.plus(pause);
            user.lockouts++;
            user.failedLogins = 0;
            Log.warnf(
                    "login locked userId=%s until=%s lockouts=%d",
                    user.id, user.lockedUntil, user.lockouts);
            audit.record(
                    actorOf(user),
                    AuditEntry.of(AuditAction.LOGIN_FAILED).failure("lockout-started"));
            return new LoginResult.Locked(user.lockedUntil);
        }
        audit.record(actorOf(user), AuditEntry.of(AuditAction.LOGIN_FAILED).failure(reason));
        return new LoginResult.Refused();
    }

    /** Whether a login is locked now. */
    public boolean locked(UserAccount user) {
        return user.lockedUntil != null && clock.instant().isBefore(user.lockedUntil);
    }

    @Transactional
    public Optional<UserView> user(UUID id) {
        return Optional.ofNullable(UserAccount.<UserAccount>findById(id))
                .filter(u -> u.active)
                .map(IdentityService::view);
    }

    /** The proxy authorizations of a login that are in force now. */
    @Transactional
    public List<ProxyView> activeAuthorizations(UUID userId) {
        Instant now = clock.instant();
        return user(userId)
                .map(
                        u ->
                                directory.relatedPersons(u.relatedPersonIds()).stream()
                                        .filter(p -> directory.authorizationInForce(p, now))
                                        .toList())
                .orElse(List.of());
    }

    /**
     * The actor of a session: a staff member with their practice; a patient with their record;
     * a proxy with the patient of the chosen authorization if it is still in force (an expired
     * authorization ends access at once). Read with plain SQL, as it stands in the database: a login
     * changed earlier in the same transaction is seen once that change is flushed.
     */
    @Transactional
    public Optional<Actor> actorFor(UUID userId, UUID actingRelatedPersonId) {
        return TxJdbc.row(em, LOGIN_FACTS, userId)
                .map(row -> actorOf(LoginFacts.of(row), actingRelatedPersonId));
    }

    /**
     * The actor of a patient app's request ({@link #actorFor}), if the consent its token names still
     * stands: redeemed, not revoked, given by this login to this app. The consent, the login, its
     * roles and proxy links and its patient's practice are read with one statement, since this runs
     * for every request of a patient app; nothing is cached, so a revocation or a disabled login
     * stops the next request on every instance.
     */
    @Transactional
    public Optional<Actor> actorForConsent(
            UUID consentId, String clientId, UUID userId, UUID actingRelatedPersonId) {
        return TxJdbc.row(em, LOGIN_FACTS + CONSENT_IN_FORCE, userId, consentId, clientId)
                .map(row -> actorOf(LoginFacts.of(row), actingRelatedPersonId));
    }

    /** An active login's facts that decide whom it acts for, with its patient's practice (null when it has none). */
    private static final String LOGIN_FACTS =
            """
            select u.id, u.practice_id, u.practitioner_id, u.patient_id, p.practice_id,
                   (select string_agg(r.role, ',') from user_role r where r.user_id = u.id),
                   (select string_agg(l.related_person_id::text, ',') from user_proxy_link l where l.user_id = u.id)
            from user_account u left join patient p on p.id = u.patient_id
            where u.id = ? and u.active""";

    private static final String CONSENT_IN_FORCE =
            " and exists (select 1 from app_consent c where c.id = ? and c.user_id = u.id"
                    + " and c.client_id = ? and c.revoked_at is null and c.code_redeemed_at is not null)";

    private record LoginFacts(
            UUID id,
            UUID practiceId,
            UUID practitionerId,
            UUID patientId,
            UUID patientPracticeId,
            Set<Role> roles,
            Set<UUID> relatedPersonIds) {

        static LoginFacts of(Object[] row) {
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String role : split(row[5])) {
                roles.add(Role.valueOf(role));
            }
            Set<UUID> proxies = new java.util.HashSet<>();
            for (String id : split(row[6])) {
                proxies.add(UUID.fromString(id));
            }
            return new LoginFacts(
                    (UUID) row[0],
                    (UUID) row[1],
                    (UUID) row[2],
                    (UUID) row[3],
                    (UUID) row[4],
                    roles,
                    proxies);
        }

        private static List<String> split(Object commaSeparated) {
            return commaSeparated == null
                    ? List.of()
                    : List.of(((String) commaSeparated).split(","));
        }
    }

    private Actor actorOf(LoginFacts user, UUID actingRelatedPersonId) {
        UUID practiceId = user.practiceId();
        UUID patientId = null;
        UUID relatedPersonId = null;
        if (user.roles().contains(Role.PATIENT) && user.patientId() != null) {
            patientId = user.patientId();
            if (user.patientPracticeId() != null) {
                practiceId = user.patientPracticeId();
            }
        } else if (user.roles().contains(Role.PROXY)
                && actingRelatedPersonId != null
                && user.relatedPersonIds().contains(actingRelatedPersonId)) {
            Optional<ProxyView> authorization =
                    directory
                            .relatedPerson(actingRelatedPersonId)
                            .filter(p -> directory.authorizationInForce(p, clock.instant()));
            if (authorization.isPresent()) {
                relatedPersonId = authorization.get().id();
                patientId = authorization.get().patientId();
                practiceId = directory.practiceOfPatient(patientId).orElse(null);
            }
        }
        return new Actor(
                user.id(),
                null,
                Set.copyOf(user.roles()),
                practiceId,
                user.practitionerId(),
                patientId,
                relatedPersonId);
    }

    private static String normalize(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }

    /** A login as the actor of its own sign-in and sign-out (no proxy choice yet). */
    public static Actor actorOf(UserAccount u) {
        return new Actor(
                u.id, null, Set.copyOf(u.roles), u.practiceId, u.practitionerId, u.patientId, null);
    }

    private static UserView view(UserAccount u) {
        return new UserView(
                u.id,
                u.username,
                u.displayName,
                Set.copyOf(u.roles),
                u.practiceId,
                u.practitionerId,
                u.patientId,
                Set.copyOf(u.relatedPersonIds),
                u.email,
                u.language);
    }

    /** Remembers the language a login chose for its pages and e-mails ({@code language} is "en" or "es"). */
    @Transactional
    public void chooseLanguage(UUID userId, String language) {
        UserAccount user = UserAccount.findById(userId);
        if (user != null) {
            user.language = language;
        }
    }
}
