package dev.bluepost.notification;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the password reset e-mail ({@code {resetmail:…}}), in the recipient's language;
 * Spanish in {@code messages/resetmail_es.properties}. The e-mail names the login (so that the
 * person knows which one) and the link's lifetime, nothing else about anyone.
 */
@MessageBundle(value = "resetmail", locale = "en")
public interface ResetMailMessages {

    @Message("en")
    String lang();

    @Message("Reset your Bluepost password")
    String subject();

    @Message("Hello,")
    String hello();

    @Message(
            "Someone asked to reset the password of the Bluepost login {username}. To choose a new password, open this link:")
    String intro(String username);

    @Message("Choose a new password")
    String action();

    @Message(
            "The link works once, for {minutes} minutes. Choosing a new password signs the login out everywhere.")
    String valid(long minutes);

    @Message("If you did not ask for this, ignore this e-mail: the password stays as it is.")
    String not_you();

    @Message("Do not reply to this e-mail; replies are not read.")
    String do_not_reply();
}
