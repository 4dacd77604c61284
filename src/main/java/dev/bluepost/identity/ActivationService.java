package dev.bluepost.identity;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.Digests;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PracticeView;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
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
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Patient enrolment with activation codes (ADR 0041). The front desk issues a code for a patient of
 * its practice who has no login (printed on a letter, and e-mailed to the address on the patient's
 * record if asked): 16 characters of an alphabet without look-alikes (about 77 bits), of which only the
 * SHA-256 is stored; a newer code voids the older one; it works once, for {@code code-lifetime}. On
 * {@code /activate} the patient types the code and their date of birth and chooses a user name and a
 * password; the login is created by {@link IdentityService#createUser}, as {@code POST /api/logins}
 * creates it. Every refusal (unknown, forged, used, expired or voided code, a date of birth that is not
 * the code's patient's, a rate limit) is the same to the caller, writes only the counters and one
 * audit entry, and a code is voided after {@code max-attempts-per-code} wrong dates of birth.
 */
@ApplicationScoped
public class ActivationService {

    /** Digits and capitals without look-alikes (no 0/O, 1/I/L, U/V): 29 characters, 16 of them ≈ 77 bits. */
    static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ";

    static final int LENGTH = 16;

    /** A code just issued: shown once (the letter), never stored. */
    public record Issued(
            UUID id,
            String code,
            Instant expiresAt,
            ZoneId zone,
            String patientName,
            String practiceName,
            boolean emailed) {

        @Override
        public String toString() {
            return "Issued[id=" + id + ", code=…]";
        }
    }

    /** A code and date of birth that may activate: the code's patient, and the shortest password allowed. */
    public record Usable(UUID codeId, UUID patientId, int minLength) {}

    private final SecurityConfig config;
    private final Clock clock;
    private final AuditRecorder audit;
    private final IdentityService identities;
    private final DirectoryService directory;
    private final RequestLimits limits;
    private final Event<ActivationCodeMail> mails;
    private final SecureRandom random = new SecureRandom();

    public ActivationService(
            SecurityConfig config,
            Clock clock,
            AuditRecorder audit,
            IdentityService identities,
            DirectoryService directory,
            RequestLimits limits,
            Event<ActivationCodeMail> mails) {
        this.config = config;
        this.clock = clock;
        this.audit = audit;
        this.identities = identities;
        this.directory = directory;
        this.limits = limits;
        this.mails = mails;
    }

    /**
     * The patient of the staff member's practice that a code may be issued for: a current record
     * (not a test patient, not merged), with a date of birth, without a login. Refusals in the
     * reader's words; a patient of another practice is not found.
     */
    @Transactional
    public PatientView invitable(Actor staff, UUID patientId) {
        PatientView patient =
                directory
                        .patient(patientId)
                        .filter(
                                p ->
                                        p.practiceId() != null
                                                && p.practiceId().equals(staff.practiceId()))
                        .orElseThrow(() -> BluepostException.notFound("Patient", patientId));
        if (!patient.active() || patient.testPatient() || patient.replacedById() != null) {
            throw BluepostException.said(
                    ErrorKind.BUSINESS_RULE,
                    EnrolMessages.class,
                    EnrolMessages::error_not_current_record);
        }
        if (hasLogin(patientId)) {
            throw BluepostException.said(
                    ErrorKind.CONFLICT, EnrolMessages.class, EnrolMessages::error_has_login);
        }
        if (patient.birthDate() == null) {
            throw BluepostException.said(
                    ErrorKind.BUSINESS_RULE,
                    EnrolMessages.class,
                    EnrolMessages::error_no_birth_date);
        }
        return patient;
    }

    /** The address on the patient's record a code can be e-mailed to (one well-formed address), if any. */
    @Transactional
    public Optional<String> addressOf(UUID patientId) {
        return directory
                .patientEmail(patientId)
                .map(String::strip)
                .filter(
                        e -> {
                            try {
                                return IdentityService.checkedEmail(e) != null;
                            } catch (BluepostException malformed) {
                                return false;
                            }
                        });
    }

    /**
     * Issues a new code for the patient (checked as {@link #invitable}), voiding any unused older one,
     * and e-mails it to the address on the patient's record when {@code email}. One audit entry, without
     * the code.
     */
    @Transactional
    public Issued issue(Actor staff, UUID patientId, boolean email, Language language) {
        PatientView patient = invitable(staff, patientId);
        Optional<String> address = email ? addressOf(patientId) : Optional.empty();
        if (email && address.isEmpty()) {
            throw BluepostException.said(
                            ErrorKind.BUSINESS_RULE,
                            EnrolMessages.class,
                            EnrolMessages::error_no_email)
                    .about("delivery");
        }
        Instant now = clock.instant();
        int voided =
                ActivationCode.update(
                        "voidedAt = ?1 where patientId = ?2 and usedAt is null and voidedAt is null",
                        now,
                        patientId);
        String code = newCode();
        ActivationCode row = new ActivationCode();
        row.id = Ids.newId();
        row.patientId = patientId;
        row.practiceId = patient.practiceId();
        row.codeSha256 = digest(code);
        row.createdAt = now;
        row.expiresAt = now.plus(config.activation().codeLifetime());
        row.issuedBy = staff.userId();
        row.persist();
        PracticeView practice = directory.practice(patient.practiceId()).orElseThrow();
        String grouped = grouped(code);
        if (email) {
            mails.fire(
                    new ActivationCodeMail(
                            address.get(),
                            grouped,
                            practice.name(),
                            LocalDate.ofInstant(row.expiresAt, practice.zone()),
                            language));
        }
        audit.record(
                staff,
                AuditEntry.of(AuditAction.CREATE)
                        .on("ActivationCode", row.id)
                        .patient(patientId)
                        .practice(patient.practiceId())
                        .reason(
                                email
                                        ? "activation-code-issued.emailed"
                                        : "activation-code-issued"));
        Log.infof(
                "activation code issued codeId=%s patientId=%s by=%s emailed=%s earlierVoided=%d",
                row.id, patientId, staff.logId(), email, voided);
        return new Issued(
                row.id,
                grouped,
                row.expiresAt,
                practice.zone(),
                patient.displayName(),
                practice.name(),
                email);
    }

    /**
     * Whether this code and date of birth may activate (checked as {@link #activate} checks them);
     * empty for every refusal alike. A refusal counts against the client and, for a known code with
     * another date of birth, against the code; it is audited once.
     */
    @Transactional
    public Optional<Usable> check(String typedCode, LocalDate birthDate, String client) {
        return verify(typedCode, birthDate, client)
                .map(c -> new Usable(c.id, c.patientId, config.password().minLength()));
    }

    /**
     * Creates the patient's login with the code and date of birth (checked again): empty when they do
     * not match a usable invitation (as {@link #check}); a user name or password the rules refuse
     * throws {@link AccountProblem} and changes nothing. The code is used up, the login created by
     * {@link IdentityService#createUser} (which records the online-access fact), and the login signed in.
     */
    @Transactional
    public Optional<UUID> activate(
            String typedCode,
            LocalDate birthDate,
            String client,
            String username,
            String password) {
        Optional<ActivationCode> found = verify(typedCode, birthDate, client);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ActivationCode code = found.get();
        PatientView patient = directory.patient(code.patientId).orElseThrow();
        UUID userId =
                identities.createUser(
                        new IdentityService.NewUser(
                                username,
                                password,
                                patient.displayName(),
                                Set.of(Role.PATIENT),
                                null,
                                null,
                                code.patientId,
                                Set.of()));
        code.usedAt = clock.instant();
        code.userId = userId;
        UserAccount user = UserAccount.findById(userId);
        Actor person = IdentityService.actorOf(user);
        audit.record(
                person,
                AuditEntry.of(AuditAction.UPDATE)
                        .on("ActivationCode", code.id)
                        .patient(code.patientId)
                        .practice(code.practiceId)
                        .reason("activation-code-used"));
        identities.signedIn(user, null);
        Log.infof(
                "patient enrolled codeId=%s patientId=%s userId=%s",
                code.id, code.patientId, userId);
        return Optional.of(userId);
    }

    /** The code's row if code and date of birth may activate; every refusal counted and audited, and alike. */
    private Optional<ActivationCode> verify(String typedCode, LocalDate birthDate, String client) {
        String clientDigest = RequestLimits.digest("client", client);
        long failures =
                limits.recent(
                        ActivationAttempt.class,
                        "clientSha256",
                        clientDigest,
                        config.activation().window());
        if (failures >= config.activation().maxPerClient()) {
            return refused(clientDigest, null, "rate-limited.client");
        }
        String normalized = normalize(typedCode);
        if (normalized == null) {
            return refused(clientDigest, null, "code-unknown");
        }
        String digest = digest(normalized);
        Optional<ActivationCode> found =
                ActivationCode.<ActivationCode>find("codeSha256", digest)
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .firstResultOptional()
                        // the index found it by digest; the digests are compared once more in
                        // constant time
                        .filter(
                                c ->
                                        MessageDigest.isEqual(
                                                c.codeSha256.getBytes(StandardCharsets.US_ASCII),
                                                digest.getBytes(StandardCharsets.US_ASCII)));
        if (found.isEmpty()) {
            return refused(clientDigest, null, "code-unknown");
        }
        ActivationCode code = found.get();
        Instant now = clock.instant();
        if (code.usedAt != null) {
            return refused(clientDigest, code, "code-used");
        }
        if (code.voidedAt != null) {
            return refused(clientDigest, code, "code-void");
        }
        if (!now.isBefore(code.expiresAt)) {
            return refused(clientDigest, code, "code-expired");
        }
        Optional<PatientView> patient = directory.patient(code.patientId);
        if (birthDate == null
                || patient.isEmpty()
                || !birthDate.equals(patient.get().birthDate())) {
            code.failedAttempts++;
            if (code.failedAttempts >= config.activation().maxAttemptsPerCode()) {
                code.voidedAt = now;
                Log.warnf(
                        "activation code voided after wrong dates of birth codeId=%s attempts=%d",
                        code.id, code.failedAttempts);
                return refused(clientDigest, code, "rate-limited.code");
            }
            return refused(clientDigest, code, "wrong-birth-date");
        }
        if (hasLogin(code.patientId)
                || patient.get().replacedById() != null
                || !patient.get().active()) {
            code.voidedAt =
                    now; // the patient got a login another way, or the record is no longer current
            return refused(clientDigest, code, "patient-not-invitable");
        }
        return found;
    }

    private Optional<ActivationCode> refused(String clientDigest, ActivationCode code, String why) {
        ActivationAttempt attempt = new ActivationAttempt();
        attempt.id = Ids.newId();
        attempt.clientSha256 = clientDigest;
        attempt.requestedAt = clock.instant();
        attempt.persist();
        AuditEntry entry = AuditEntry.of(AuditAction.CREATE).failure("activation." + why);
        audit.record(
                null,
                code == null
                        ? entry
                        : entry.on("ActivationCode", code.id)
                                .patient(code.patientId)
                                .practice(code.practiceId));
        Log.warnf("activation refused why=%s codeId=%s", why, code == null ? "-" : code.id);
        return Optional.empty();
    }

    private boolean hasLogin(UUID patientId) {
        return UserAccount.count(
                        "select count(u) from UserAccount u join u.roles r where u.patientId = ?1 and r = ?2",
                        patientId,
                        Role.PATIENT)
                > 0;
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** XXXX-XXXX-XXXX-XXXX, as printed and e-mailed. */
    static String grouped(String code) {
        return String.join(
                "-",
                code.substring(0, 4),
                code.substring(4, 8),
                code.substring(8, 12),
                code.substring(12, 16));
    }

    /**
     * The code as typed, without spaces and dashes and in capitals; null when it cannot be a code
     * (wrong length or a character outside the alphabet).
     */
    static String normalize(String typed) {
        if (typed == null || typed.length() > 64) {
            return null;
        }
        String code = typed.replaceAll("[\\s\\-‐‑–—]", "").toUpperCase(Locale.ROOT);
        if (code.length() != LENGTH) {
            return null;
        }
        for (int i = 0; i < code.length(); i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                return null;
            }
        }
        return code;
    }

    private static String digest(String normalizedCode) {
        return Digests.sha256Hex("activation:" + normalizedCode);
    }

    /** Forgets failed attempts a day after they stopped counting, and codes a month after they expired. */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "1h",
            delayed = "25m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        Instant now = clock.instant();
        long attempts = ActivationAttempt.delete("requestedAt < ?1", now.minus(Duration.ofDays(1)));
        long codes =
                ActivationCode.delete(
                        "expiresAt < ?1 and usedAt is null", now.minus(Duration.ofDays(30)));
        if (attempts + codes > 0) {
            Log.infof("activation records purged attempts=%d codes=%d", attempts, codes);
        }
    }
}
