package dev.bluepost.identity;

import dev.bluepost.platform.i18n.Language;
import java.time.LocalDate;

/**
 * An activation code to e-mail to the address on a patient's record (a CDI event, fired in the
 * transaction that stored the code's digest; {@code notification} sends it once that transaction
 * committed). It lives in memory only: the code is never stored, logged or put on Kafka, and
 * {@link #toString()} shows neither the address nor the code. It carries no name and no date of birth.
 *
 * @param address   the address on the patient's record
 * @param code      the code, grouped as printed
 * @param practice  the practice's name
 * @param expiresOn the last day the code works, in the practice's time zone
 * @param language  the language of the e-mail
 */
public record ActivationCodeMail(
        String address, String code, String practice, LocalDate expiresOn, Language language) {

    @Override
    public String toString() {
        return "ActivationCodeMail[address=…, code=…]";
    }
}
