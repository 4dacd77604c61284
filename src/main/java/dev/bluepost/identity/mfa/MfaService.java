package dev.bluepost.identity.mfa;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.PasswordHasher;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.identity.AccountMessages;
import dev.bluepost.identity.AccountProblem;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.UserAccount;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Role;
import io.nayuki.qrcodegen.QrCode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The second factor: TOTP (RFC 6238) enrolment with a QR code, verification with replay
 * protection, and single-use recovery codes (ADR 0019). Required for staff, offered to patients
 * and proxies. Every enrolment, success, failure and recovery-code use is audited.
 */
@ApplicationScoped
public class MfaService {

    /** Codes of the previous and the next time step are accepted too (clock drift, typing time). */
    private static final int WINDOW_STEPS = 1;

    private static final int RECOVERY_CODES = 10;

    /** An unconfirmed enrolment's secret is offered again (same QR code) for this long. */
    private static final Duration PENDING_REUSE = Duration.ofMinutes(10);

    private static final String RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final String ISSUER = "Bluepost";

    private final EnvelopeCipher cipher;
    private final PasswordHasher hasher;
    private final IdentityService identities;
    private final AuditRecorder audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public MfaService(
            EnvelopeCipher cipher,
            PasswordHasher hasher,
            IdentityService identities,
            AuditRecorder audit,
            Clock clock) {
        this.cipher = cipher;
        this.hasher = hasher;
        this.identities = identities;
        this.audit = audit;
        this.clock = clock;
    }

    /** What the enrolment page shows: the secret for typing, the otpauth URI and its QR code as SVG. */
    public record Enrolment(String secret, String uri, String qrSvg) {}

    /** The outcome of a second-factor check at sign-in. */
    public enum Check {
        TOTP,
        RECOVERY_CODE,
        WRONG,
        LOCKED
    }

    @Transactional
    public boolean enrolled(UUID userId) {
        return UserTotp.count("userId = ?1 and enrolledAt is not null", userId) > 0;
    }

    @Transactional
    public long unusedRecoveryCodes(UUID userId) {
        return RecoveryCode.count("userId = ?1 and usedAt is null", userId);
    }

    /** Starts (or shows again) an enrolment: a new secret, kept sealed until a code confirms it. */
    @Transactional
    public Enrolment startEnrolment(UUID userId) {
        UserAccount user = activeUser(userId);
        UserTotp totp = UserTotp.findById(userId);
        if (totp != null && totp.enrolledAt != null) {
            throw BluepostException.said(
                    ErrorKind.CONFLICT,
                    AccountMessages.class,
                    AccountMessages::error_already_enrolled);
        }
        Instant now = clock.instant();
        byte[] secret;
        if (totp != null && totp.createdAt.plus(PENDING_REUSE).isAfter(now)) {
            secret = open(totp);
        } else {
            if (totp != null) {
                totp.delete();
                UserTotp.getEntityManager().flush();
            }
            secret = Totp.newSecret();
            totp = new UserTotp();
            totp.userId = userId;
            WrappedKey key = cipher.newDataKey();
            SealedText sealed = cipher.seal(key, secret, aad(userId));
            totp.dekKekId = key.kekId();
            totp.dekWrapped = key.wrapped();
            totp.secretIv = sealed.iv();
            totp.secretCiphertext = sealed.ciphertext();
            totp.secretSha256 = sealed.sha256();
            totp.createdAt = now;
            totp.persist();
        }
        String base32 = Totp.base32(secret);
        String label =
                URLEncoder.encode(ISSUER + ":" + user.username, StandardCharsets.UTF_8)
                        .replace("+", "%20");
        String uri =
                "otpauth://totp/"
                        + label
                        + "?secret="
                        + base32
                        + "&issuer="
                        + ISSUER
                        + "&algorithm=SHA1&digits="
                        + Totp.DIGITS
                        + "&period="
                        + Totp.PERIOD_SECONDS;
        return new Enrolment(base32, uri, svg(QrCode.encodeText(uri, QrCode.Ecc.MEDIUM)));
    }

    /**
     * Confirms an enrolment with a code from the app; returns the new recovery codes (shown once).
     * A wrong code leaves the enrolment pending and is refused with a clear message.
     */
    @Transactional(dontRollbackOn = BluepostException.class)
    public List<String> confirmEnrolment(UUID userId, String typedCode) {
        UserAccount user = activeUser(userId);
        UserTotp totp = UserTotp.findById(userId);
        if (totp == null || totp.enrolledAt != null) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.ENROLMENT_RESTART,
                    "Start the set-up again: open the page with the QR code.");
        }
        Optional<Long> step = matchingStep(open(totp), typedCode, 0);
        if (step.isEmpty()) {
            audit.record(
                    IdentityService.actorOf(user),
                    AuditEntry.of(AuditAction.UPDATE)
                            .on("Login", userId)
                            .failure("mfa-enrolment-code-invalid"));
            throw AccountProblem.rule(
                    AccountProblem.Reason.CODE_WRONG,
                    "That code is not right. Enter the 6-digit code your authenticator app shows now.");
        }
        totp.enrolledAt = clock.instant();
        totp.lastStep = step.get();
        List<String> codes = newRecoveryCodes(userId);
        audit.record(
                IdentityService.actorOf(user),
                AuditEntry.of(AuditAction.UPDATE).on("Login", userId).reason("mfa-enrolled"));
        Log.infof("second factor enrolled userId=%s", userId);
        return codes;
    }

    /** A staff login's sign-in that ended with enrolling its second factor (the enrolment code was the second factor). */
    @Transactional
    public void signedInAfterEnrolment(UUID userId) {
        identities.signedIn(activeUser(userId), "mfa-enrolled");
    }

    /**
     * Checks the second factor at sign-in: a TOTP code (each time step at most once), or one of the
     * login's unused recovery codes (then used up). A wrong answer counts towards the lockout.
     */
    @Transactional(dontRollbackOn = BluepostException.class)
    public Check verify(UUID userId, String typed) {
        UserAccount user = UserAccount.findById(userId);
        if (user == null || !user.active) {
            return Check.WRONG;
        }
        if (identities.locked(user)) {
            audit.record(
                    IdentityService.actorOf(user),
                    AuditEntry.of(AuditAction.LOGIN_FAILED).failure("account-locked"));
            return Check.LOCKED;
        }
        UserTotp totp = UserTotp.findById(userId);
        if (totp != null && totp.enrolledAt != null && Totp.normalizeCode(typed) != null) {
            Optional<Long> step = matchingStep(open(totp), typed, totp.lastStep);
            if (step.isPresent()) {
                totp.lastStep = step.get();
                identities.signedIn(user, "totp");
                return Check.TOTP;
            }
        } else if (useRecoveryCode(user, typed)) {
            identities.signedIn(user, "recovery-code");
            return Check.RECOVERY_CODE;
        }
        return identities.registerFailure(user, "mfa-code-invalid")
                        instanceof IdentityService.LoginResult.Locked
                ? Check.LOCKED
                : Check.WRONG;
    }

    /** New recovery codes for a signed-in login (the old ones stop working); needs a current TOTP code. */
    @Transactional(dontRollbackOn = BluepostException.class)
    public List<String> replaceRecoveryCodes(UUID userId, String typedCode) {
        UserAccount user = activeUser(userId);
        requireCurrentCode(user, typedCode);
        List<String> codes = newRecoveryCodes(userId);
        audit.record(
                IdentityService.actorOf(user),
                AuditEntry.of(AuditAction.UPDATE)
                        .on("Login", userId)
                        .reason("mfa-recovery-codes-replaced"));
        return codes;
    }

    /** A patient or proxy turns the second factor off (staff cannot: it is required for them). */
    @Transactional(dontRollbackOn = BluepostException.class)
    public void remove(UUID userId, String typedCode) {
        UserAccount user = activeUser(userId);
        if (user.roles.stream().anyMatch(Role::isStaff)) {
            throw AccountProblem.of(
                    dev.bluepost.platform.errors.ErrorKind.FORBIDDEN,
                    AccountProblem.Reason.STAFF_KEEP_SECOND_FACTOR,
                    "Staff logins must keep their second factor.");
        }
        requireCurrentCode(user, typedCode);
        UserTotp.deleteById(userId);
        RecoveryCode.delete("userId", userId);
        audit.record(
                IdentityService.actorOf(user),
                AuditEntry.of(AuditAction.UPDATE).on("Login", userId).reason("mfa-removed"));
    }

    private void requireCurrentCode(UserAccount user, String typedCode) {
        UserTotp totp = UserTotp.findById(user.id);
        if (totp == null || totp.enrolledAt == null) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.NO_SECOND_FACTOR,
                    "No second factor is set up for this login.");
        }
        Optional<Long> step = matchingStep(open(totp), typedCode, totp.lastStep);
        if (step.isEmpty()) {
            identities.registerFailure(user, "mfa-code-invalid");
            throw AccountProblem.rule(
                    AccountProblem.Reason.CODE_WRONG,
                    "That code is not right. Enter the 6-digit code your authenticator app shows now.");
        }
        totp.lastStep = step.get();
    }

    /** The step (now ± 1) whose code matches, if it is later than {@code after}. Constant-time compare. */
    private Optional<Long> matchingStep(byte[] secret, String typed, long after) {
        String code = Totp.normalizeCode(typed);
        if (code == null) {
            return Optional.empty();
        }
        long now = Totp.step(clock.instant());
        Long found = null;
        for (long step = now - WINDOW_STEPS; step <= now + WINDOW_STEPS; step++) {
            boolean equal =
                    java.security.MessageDigest.isEqual(
                            Totp.code(secret, step).getBytes(StandardCharsets.US_ASCII),
                            code.getBytes(StandardCharsets.US_ASCII));
            if (equal && step > after && found == null) {
                found = step;
            }
        }
        return Optional.ofNullable(found);
    }

    private boolean useRecoveryCode(UserAccount user, String typed) {
        if (typed == null) {
            return false;
        }
        String normalized =
                typed.strip().toLowerCase(Locale.ROOT).replace(" ", "").replace("-", "");
        if (normalized.length() != 16) {
            return false;
        }
        Optional<RecoveryCode> code =
                RecoveryCode.<RecoveryCode>find(
                                "userId = ?1 and lookup = ?2 and usedAt is null",
                                user.id,
                                normalized.substring(0, 4))
                        .firstResultOptional();
        if (code.isEmpty() || !hasher.verify(normalized.substring(4), code.get().codeHash)) {
            return false;
        }
        code.get().usedAt = clock.instant();
        Log.infof("recovery code used userId=%s", user.id);
        return true;
    }

    private List<String> newRecoveryCodes(UUID userId) {
        RecoveryCode.delete("userId", userId);
        RecoveryCode.getEntityManager().flush();
        List<String> codes = new ArrayList<>();
        java.util.Set<String> lookups = new java.util.HashSet<>();
        while (codes.size() < RECOVERY_CODES) {
            String raw = randomCode();
            if (!lookups.add(raw.substring(0, 4))) {
                continue;
            }
            RecoveryCode code = new RecoveryCode();
            code.id = Ids.newId();
            code.userId = userId;
            code.lookup = raw.substring(0, 4);
            code.codeHash = hasher.hash(raw.substring(4));
            code.createdAt = clock.instant();
            code.persist();
            codes.add(
                    raw.substring(0, 4)
                            + "-"
                            + raw.substring(4, 8)
                            + "-"
                            + raw.substring(8, 12)
                            + "-"
                            + raw.substring(12));
        }
        return codes;
    }

    private String randomCode() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            out.append(RECOVERY_ALPHABET.charAt(random.nextInt(RECOVERY_ALPHABET.length())));
        }
        return out.toString();
    }

    private byte[] open(UserTotp totp) {
        return cipher.open(
                new WrappedKey(totp.dekKekId, totp.dekWrapped),
                new SealedText(totp.secretIv, totp.secretCiphertext, totp.secretSha256),
                aad(totp.userId),
                "totp-secret");
    }

    private static byte[] aad(UUID userId) {
        return ("user_totp:" + userId).getBytes(StandardCharsets.UTF_8);
    }

    private static UserAccount activeUser(UUID userId) {
        UserAccount user = UserAccount.findById(userId);
        if (user == null || !user.active) {
            throw BluepostException.notFound("Login", userId);
        }
        return user;
    }

    /** The QR code as an SVG element: one path of dark modules with a 4-module quiet zone (no script, no style). */
    static String svg(QrCode qr) {
        int border = 4;
        int size = qr.size + border * 2;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M')
                            .append(x + border)
                            .append(',')
                            .append(y + border)
                            .append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
                + size
                + " "
                + size
                + "\" width=\"220\" height=\"220\" aria-hidden=\"true\" focusable=\"false\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/><path d=\""
                + path
                + "\" fill=\"#000000\"/></svg>";
    }
}
