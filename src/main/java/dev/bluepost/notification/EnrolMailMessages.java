package dev.bluepost.notification;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the activation code e-mail ({@code {enrolmail:…}}), in the patient's language; Spanish
 * in {@code messages/enrolmail_es.properties}. The e-mail names the practice, the activation page, the
 * code and its last day, nothing else about anyone (no name, no date of birth).
 */
@MessageBundle(value = "enrolmail", locale = "en")
public interface EnrolMailMessages {

    @Message("en")
    String lang();

    @Message("Your activation code for Bluepost")
    String subject();

    @Message("Hello,")
    String hello();

    @Message(
            "{practice} invites you to send and read secure messages with your care team on Bluepost. To create your account, open this page:")
    String intro(String practice);

    @Message("Enter this activation code there, with your date of birth:")
    String code_intro();

    @Message("The code works once, until {day}. If it has expired, ask the practice for a new one.")
    String valid(String day);

    @Message(
            "If you did not expect this e-mail, ignore it: nothing happens without the code and your date of birth.")
    String not_you();

    @Message("Do not reply to this e-mail; replies are not read.")
    String do_not_reply();
}
