package dev.bluepost.identity;

import dev.bluepost.platform.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Password rules of NIST SP 800-63B §5.1.1.2 (ADR 0020): a minimum length (8; 15 for admins), a
 * maximum well above 64 (128), any characters (spaces and Unicode included), no composition rules
 * and no expiry; refused when the password is on the bundled list of commonly used and breached
 * passwords, repeats or counts up a single character, or is the user name.
 */
@ApplicationScoped
public class PasswordPolicy {

    static final String LIST = "/identity/common-passwords.txt.gz";

    private final SecurityConfig config;
    private final Set<String> common;

    public PasswordPolicy(SecurityConfig config) {
        this.config = config;
        this.common = load();
    }

    /** Refuses a password that breaks a rule, with a message that says which (never quoting the password). */
    public void check(String password, String username, Set<Role> roles) {
        int min =
                roles != null && roles.contains(Role.ADMIN)
                        ? config.password().adminMinLength()
                        : config.password().minLength();
        int max = config.password().maxLength();
        int length = password == null ? 0 : password.codePointCount(0, password.length());
        if (length < min || length > max) {
            throw AccountProblem.passwordLength(
                    min,
                    max,
                    "A password has "
                            + min
                            + " to "
                            + max
                            + " characters"
                            + (min > config.password().minLength() ? " for an administrator." : ".")
                            + " Any characters are allowed, spaces too: a few unrelated words make a good one.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower) || common.contains(lower.strip())) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.PASSWORD_COMMON,
                    "That password is on a list of commonly used or breached passwords. Choose another.");
        }
        if (repetitiveOrSequential(lower)) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.PASSWORD_SEQUENCE,
                    "A password that repeats or counts up one character (like aaaaaaaa or 12345678) is too easy to guess.");
        }
        if (username != null && lower.strip().equals(username.strip().toLowerCase(Locale.ROOT))) {
            throw AccountProblem.rule(
                    AccountProblem.Reason.PASSWORD_IS_USERNAME,
                    "A password must not be the user name.");
        }
    }

    /** Whether the bundled list holds this password (for tests and documentation). */
    public boolean isCommon(String password) {
        return password != null && common.contains(password.toLowerCase(Locale.ROOT));
    }

    public int listSize() {
        return common.size();
    }

    static boolean repetitiveOrSequential(String password) {
        int[] cps = password.codePoints().toArray();
        boolean same = true;
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < cps.length; i++) {
            same &= cps[i] == cps[0];
            up &= cps[i] == cps[i - 1] + 1;
            down &= cps[i] == cps[i - 1] - 1;
        }
        return cps.length > 0 && (same || up || down);
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>(16_384);
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException("the common-password list " + LIST + " is missing");
            }
            BufferedReader reader =
                    new BufferedReader(
                            new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    words.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
