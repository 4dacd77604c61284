package dev.bluepost.identity;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * What sign-in and the admin's account support need to know of a login's second factor, without
 * knowing how it is kept: {@code identity.mfa} implements it ({@code mfa.TotpEnrolments}), so
 * {@code identity} does not depend on its sub-package.
 */
public interface SecondFactors {

    /** Whether the login has a confirmed TOTP enrolment (one started but never confirmed does not count). */
    boolean enrolled(UUID userId);

    /** Which of these logins have a confirmed TOTP enrolment. */
    Set<UUID> enrolledAmong(Collection<UUID> userIds);

    /** Whether the login has recovery codes it has not used yet. */
    boolean unusedRecoveryCodes(UUID userId);

    /** Removes the login's TOTP secret (enrolled or pending) and its recovery codes. */
    void remove(UUID userId);
}
