package dev.bluepost.notification;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the notification settings page, in the reader's language.
 * {@code {notify:…}} in templates; Spanish in {@code messages/notify_es.properties}.
 */
@MessageBundle(value = "notify", locale = "en")
public interface NotificationPageMessages {

    @Message("Notifications")
    String title();

    @Message("Your notification settings are saved.")
    String saved();

    @Message(
            "Bluepost can e-mail you when a secure message is waiting. For your privacy the e-mail only says that a message is waiting, with a link to sign in: never who wrote it, what it is about or any part of it.")
    String intro();

    @Message("Your settings were not saved")
    String not_saved();

    @Message("E-mail address")
    String email_label();

    @Message("If you leave this empty, we use the address on your patient record: {address}.")
    String email_hint_record(String address);

    @Message("Leave it empty to get no e-mail.")
    String email_hint_none();

    @Message("How often")
    String how_often();

    @Message(
            "A message your care team sent that stays unopened for a few days is reminded once, unless you choose Never.")
    String reminder_note();

    @Message("Save")
    String save();

    @Message("Each new message")
    String each_label();

    @Message("An e-mail each time a message arrives.")
    String each_help();

    @Message("Once a day")
    String daily_label();

    @Message("One e-mail each morning that says how many new messages arrived.")
    String daily_help();

    @Message("Never")
    String never_label();

    @Message("No e-mails. You will see new messages when you sign in.")
    String never_help();

    @Message("Your role does not receive messages, so Bluepost sends you no message notifications.")
    String role_no_messages();

    @Message(
            "E-mail notifications for staff are switched off for this practice: new messages appear in your live queue. Your choice applies if they are switched on.")
    String staff_switched_off();

    @Message("Choose how often you want to be told about new messages.")
    String error_frequency();
}
