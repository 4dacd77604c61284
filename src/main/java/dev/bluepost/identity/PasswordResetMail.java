package dev.bluepost.identity;

import dev.bluepost.platform.i18n.Language;
import java.time.Duration;

/**
 * A password reset link to e-mail (a CDI event, fired in the transaction that stored the link's
 * digest; {@code notification} sends it once that transaction committed). It lives in memory only:
 * the token is never stored, logged or put on Kafka, and {@link #toString()} shows neither the
 * address nor the token.
 *
 * @param address  where the link goes (the login's own address, or a patient's record's)
 * @param username the login the link resets, so that the person knows which one
 * @param token    the link's random token
 * @param validFor how long the link works
 * @param language the recipient's language
 */
public record PasswordResetMail(
        String address, String username, String token, Duration validFor, Language language) {

    @Override
    public String toString() {
        return "PasswordResetMail[address=…, token=…]";
    }
}
