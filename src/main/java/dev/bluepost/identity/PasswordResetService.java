package dev.bluepost.identity;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.Digests;
import dev.bluepost.crypto.PasswordHasher;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.identity.apps.AppAuthorizationService;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Password reset by an e-mailed link (ADR 0040). A person asks on {@code /login/forgot} with an
 * address, or a practice admin sends the link from {@code /admin/logins}; the link carries 32 random
 * bytes, of which only the SHA-256 is stored, works once and for {@code link-lifetime}, and a newer
 * link voids the older ones. Asking answers the same whether or not the address belongs to a login,
 * and is limited per address and per client. Setting the new password ends every session and app
 * token of the login. Every step is audited ({@link AuditAction#PASSWORD_RESET}).
 */
@ApplicationScoped
public class PasswordResetService {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecurityConfig config;
    private final Clock clock;
    private final AuditRecorder audit;
    private final IdentityService identities;
    private final DirectoryService directory;
    private final SessionService sessions;
    private final AppAuthorizationService apps;
    private final PasswordPolicy passwords;
    private final PasswordHasher hasher;
    private final Event<PasswordResetMail> mails;
    private final RequestLimits limits;
    private final SecureRandom random = new SecureRandom();

    public PasswordResetService(
            SecurityConfig config,
            Clock clock,
            AuditRecorder audit,
            IdentityService identities,
            DirectoryService directory,
            SessionService sessions,
            AppAuthorizationService apps,
            PasswordPolicy passwords,
            PasswordHasher hasher,
            Event<PasswordResetMail> mails,
            RequestLimits limits) {
        this.limits = limits;
        this.config = config;
        this.clock = clock;
        this.audit = audit;
        this.identities = identities;
        this.directory = directory;
        this.sessions = sessions;
        this.apps = apps;
        this.passwords = passwords;
        this.hasher = hasher;
        this.mails = mails;
    }

    /**
     * Someone asks for a link for this address (from {@code client}, an IP address). A malformed
     * address is refused (that says nothing about any login); otherwise the caller learns nothing:
     * every active login whose notification address this is gets a link, unless the address or the
     * client asked too often in the window, and an unknown address gets nothing.
     */
    @Transactional
    public void request(String typedAddress, String client, Language pageLanguage) {
        String address = IdentityService.checkedEmail(typedAddress);
        if (address == null) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.EMAIL,
                    "Enter one e-mail address, such as name@example.org.");
        }
        String normalized = address.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        PasswordResetRequest request = new PasswordResetRequest();
        request.id = Ids.newId();
        request.addressSha256 = RequestLimits.digest("address", normalized);
        request.clientSha256 = RequestLimits.digest("client", client);
        request.requestedAt = now;
        long byClient =
                limits.recent(
                        PasswordResetRequest.class,
                        "clientSha256",
                        request.clientSha256,
                        config.passwordReset().window());
        long byAddress =
                limits.recent(
                        PasswordResetRequest.class,
                        "addressSha256",
                        request.addressSha256,
                        config.passwordReset().window());
        request.persist();
        if (byClient >= config.passwordReset().maxPerClient()) {
            audit.record(
                    null, AuditEntry.of(AuditAction.PASSWORD_RESET).failure("rate-limited.client"));
            Log.warnf(
                    "password reset request refused: too many from one client requests=%d",
                    byClient + 1);
            return;
        }
        if (byAddress >= config.passwordReset().maxPerAddress()) {
            audit.record(
                    null,
                    AuditEntry.of(AuditAction.PASSWORD_RESET).failure("rate-limited.address"));
            Log.warnf(
                    "password reset request refused: too many for one address requests=%d",
                    byAddress + 1);
            return;
        }
        List<UserAccount> logins = loginsWithAddress(normalized);
        if (logins.isEmpty()) {
            audit.record(
                    null, AuditEntry.of(AuditAction.PASSWORD_RESET).failure("unknown-address"));
            return;
        }
        for (UserAccount user : logins) {
            // to the address as the login keeps it (the typed one may differ in case)
            issue(user, identities.contactEmail(user.id).orElse(address), null, pageLanguage);
            Actor person = actorOf(user);
            audit.record(
                    person,
                    AuditEntry.of(AuditAction.PASSWORD_RESET)
                            .on("Login", user.id)
                            .practice(person.practiceId())
                            .reason("link-requested"));
        }
    }

    /**
     * A practice admin sends the login a link (checked by the caller to be a login of the admin's
     * practice): false when the login has no address to send it to.
     */
    @Transactional
    boolean sendByAdmin(UserAccount user, Actor admin) {
        Optional<String> address = identities.contactEmail(user.id);
        if (address.isEmpty()) {
            return false;
        }
        issue(user, address.get(), admin.userId(), Language.ENGLISH);
        audit.record(
                admin,
                AuditEntry.of(AuditAction.PASSWORD_RESET)
                        .on("UserAccount", user.id)
                        .practice(admin.practiceId())
                        .reason("link-sent-by-admin"));
        return true;
    }

    /**
     * The shortest password the link's login may choose, if the link still works (known, unused, not
     * expired, its login active); empty otherwise. Changes nothing.
     */
    @Transactional
    public java.util.OptionalInt usableFor(String token) {
        return find(token, false)
                .filter(this::usable)
                .map(l -> UserAccount.<UserAccount>findById(l.userId))
                .map(
                        u ->
                                java.util.OptionalInt.of(
                                        u.roles.contains(Role.ADMIN)
                                                ? config.password().adminMinLength()
                                                : config.password().minLength()))
                .orElse(java.util.OptionalInt.empty());
    }

    /**
     * Sets a new password with a link: once, before it expires, for an active login. A password the
     * rules refuse leaves the link usable; any other refusal ({@link AccountProblem.Reason#RESET_LINK_INVALID})
     * changes nothing and is audited. On success every session and app token of the login ends, the
     * lockout is cleared, and every other link of the login is void.
     */
    @Transactional(dontRollbackOn = BluepostException.class)
    public void complete(String token, String password) {
        Optional<PasswordReset> found = find(token, true);
        UserAccount user = found.map(l -> UserAccount.<UserAccount>findById(l.userId)).orElse(null);
        if (found.isEmpty() || !usable(found.get())) {
            AuditEntry entry = AuditEntry.of(AuditAction.PASSWORD_RESET).failure("link-invalid");
            audit.record(
                    user == null ? null : actorOf(user),
                    user == null ? entry : entry.on("Login", user.id));
            throw AccountProblem.rule(
                    AccountProblem.Reason.RESET_LINK_INVALID,
                    "This password reset link cannot be used: it was used already, has expired, or is not complete.");
        }
        passwords.check(password, user.username, user.roles);
        Instant now = clock.instant();
        PasswordReset.update("usedAt = ?1 where userId = ?2 and usedAt is null", now, user.id);
        user.passwordHash = hasher.hash(password);
        user.passwordChangedAt = now;
        user.failedLogins = 0;
        user.lockouts = 0;
        user.lockedUntil = null;
        int ended = sessions.endAllOf(user.id, "password-reset");
        int revoked = apps.revokeAllOf(user.id, AppAuthorizationService.PASSWORD_RESET);
        Actor person = actorOf(user);
        audit.record(
                person,
                AuditEntry.of(AuditAction.PASSWORD_RESET)
                        .on("Login", user.id)
                        .practice(person.practiceId())
                        .reason("password-reset"));
        Log.infof(
                "password reset userId=%s sessionsEnded=%d appConsentsRevoked=%d",
                user.id, ended, revoked);
    }

    /** Voids a login's unused links (the login was deactivated). */
    void voidLinksOf(UUID userId) {
        PasswordReset.update(
                "usedAt = ?1 where userId = ?2 and usedAt is null", clock.instant(), userId);
    }

    private void issue(UserAccount user, String address, UUID requestedBy, Language fallback) {
        Instant now = clock.instant();
        voidLinksOf(user.id); // only the newest link works
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        PasswordReset link = new PasswordReset();
        link.id = Ids.newId();
        link.userId = user.id;
        link.tokenSha256 = Digests.sha256Hex(token);
        link.createdAt = now;
        link.expiresAt = now.plus(config.passwordReset().linkLifetime());
        link.requestedBy = requestedBy;
        link.persist();
        Language language =
                Language.fromTag(user.language)
                        .orElse(fallback == null ? Language.ENGLISH : fallback);
        mails.fire(
                new PasswordResetMail(
                        address,
                        user.username,
                        token,
                        config.passwordReset().linkLifetime(),
                        language));
        Log.infof(
                "password reset link issued userId=%s resetId=%s byAdmin=%s",
                user.id, link.id, requestedBy != null);
    }

    private boolean usable(PasswordReset link) {
        if (link.usedAt != null || !clock.instant().isBefore(link.expiresAt)) {
            return false;
        }
        UserAccount user = UserAccount.findById(link.userId);
        return user != null && user.active;
    }

    private Optional<PasswordReset> find(String token, boolean lock) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        String digest = Digests.sha256Hex(token);
        var query = PasswordReset.<PasswordReset>find("tokenSha256", digest);
        Optional<PasswordReset> found =
                (lock ? query.withLock(LockModeType.PESSIMISTIC_WRITE) : query)
                        .firstResultOptional();
        // the index found it by digest; the digests are compared once more in constant time
        return found.filter(
                l ->
                        MessageDigest.isEqual(
                                l.tokenSha256.getBytes(StandardCharsets.US_ASCII),
                                digest.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The active logins this address reaches: those whose own notification address it is, and the
     * patients' logins without an own address whose patient record has it.
     */
    private List<UserAccount> loginsWithAddress(String normalized) {
        List<UserAccount> logins =
                new ArrayList<>(
                        UserAccount.<UserAccount>list(
                                "active = true and lower(email) = ?1", normalized));
        List<UUID> patients = directory.patientIdsWithEmail(normalized);
        if (!patients.isEmpty()) {
            UserAccount.<UserAccount>find(
                            """
                            select distinct u from UserAccount u join u.roles r
                            where u.active = true and u.email is null and u.patientId in ?1 and r = ?2""",
                            patients,
                            Role.PATIENT)
                    .list()
                    .stream()
                    .filter(u -> logins.stream().noneMatch(l -> l.id.equals(u.id)))
                    .forEach(logins::add);
        }
        return logins;
    }

    private Actor actorOf(UserAccount user) {
        return identities.actorFor(user.id, null).orElseGet(() -> IdentityService.actorOf(user));
    }

    /** Forgets requests and links a day after they stopped mattering. */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "1h",
            delayed = "20m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(1));
        long requests = PasswordResetRequest.delete("requestedAt < ?1", cutoff);
        long links = PasswordReset.delete("expiresAt < ?1", cutoff);
        if (requests + links > 0) {
            Log.infof("password reset records purged requests=%d links=%d", requests, links);
        }
    }
}
