package dev.bluepost.notification;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The fixed sentences of the notification e-mails, in the recipient's language: no parameter, so an e-mail can say nothing but fixed text, the count and the link (NotificationTemplatesIT).
 * {@code {mail:…}} in templates; Spanish in {@code messages/mail_es.properties}.
 */
@MessageBundle(value = "mail", locale = "en")
public interface MailMessages {

    @Message("en")
    String lang();

    @Message("You have a new secure message")
    String subject_new_message();

    @Message("You have new secure messages")
    String subject_digest();

    @Message("Reminder: you have an unread secure message")
    String subject_unread_reminder();

    @Message("Emergency access was used in Bluepost: please review it")
    String subject_emergency_access();

    @Message("Hello,")
    String hello();

    @Message("A new secure message is waiting for you in Bluepost.")
    String new_waiting();

    @Message("1 new secure message is waiting for you in Bluepost.")
    String digest_one();

    @Message("new secure messages are waiting for you in Bluepost.")
    String digest_many();

    @Message("A secure message in Bluepost is still waiting for you: it has not been opened yet.")
    String unread_waiting();

    @Message("Sign in to read it")
    String sign_in_to_read_it();

    @Message("Sign in to read them")
    String sign_in_to_read_them();

    @Message(
            "For your privacy, this e-mail does not say who wrote the message or what it is about.")
    String privacy_message();

    @Message(
            "For your privacy, this e-mail does not say who wrote the messages or what they are about.")
    String privacy_messages();

    @Message("Do not reply to this e-mail; replies are not read.")
    String do_not_reply();

    @Message("Not for emergencies: call 911, or 988 for a mental health crisis.")
    String not_for_emergencies();

    @Message("You can change how often you get these e-mails under Notifications after signing in.")
    String change_how_often();

    @Message(
            "A clinician of your practice used emergency (\"break-glass\") access to a patient's restricted secure messages in Bluepost. Every emergency access is reviewed by a compliance officer.")
    String emergency_used();

    @Message("Sign in to review it")
    String sign_in_to_review();

    @Message("For privacy, this e-mail does not say who used it or whose messages were opened.")
    String emergency_privacy();
}
