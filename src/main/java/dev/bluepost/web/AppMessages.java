package dev.bluepost.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words every page shares (the layout, the navigation and statuses) in English:
 * {@code {msg:…}} in templates. Spanish is in {@code messages/msg_es.properties}; each feature has a
 * bundle of its own beside its pages, and {@code TranslationCompletenessTest} fails when a key is
 * missing in one language.
 */
@MessageBundle(value = "msg", locale = "en")
public interface AppMessages {

    @Message("Bluepost")
    String brand();

    @Message("Skip to main content")
    String skip_to_content();

    @Message("Menu")
    String menu();

    @Message("Close the menu")
    String close_menu();

    @Message("Main")
    String nav_label();

    @Message("Signed in as {name}")
    String signed_in_as(String name);

    @Message("Sign out")
    String sign_out();

    @Message("Language")
    String language();

    @Message("Not for emergencies: call 911, or 988 for a mental health crisis.")
    String footer_emergency();

    @Message("Bluepost secure messaging")
    String footer_product();

    // navigation
    @Message("Messages")
    String nav_messages();

    @Message("New message")
    String nav_new_message();

    @Message("Visit documents")
    String nav_documents();

    @Message("Download my record")
    String nav_download();

    @Message("Who opened my messages")
    String nav_access_log();

    @Message("Switch patient")
    String nav_switch_patient();

    @Message("Queue")
    String nav_queue();

    @Message("Online access")
    String nav_online_access();

    @Message("Measures")
    String nav_measures();

    @Message("Encounter imports")
    String nav_encounter_imports();

    @Message("Emergency access")
    String nav_emergency_access();

    @Message("Audit report")
    String nav_audit_report();

    @Message("Practice")
    String nav_practice();

    @Message("Practice directory")
    String nav_directory();

    @Message("Logins")
    String nav_logins();

    @Message("Audit settings")
    String nav_audit_settings();

    @Message("Broadband data")
    String nav_broadband();

    @Message("My account")
    String nav_account();

    @Message("Notifications")
    String nav_notifications();

    @Message("Security")
    String nav_security();

    // session warning
    @Message("Are you still there?")
    String session_title();

    @Message(
            "To protect patient information, you will be signed out in about a minute because there was no activity. Anything you were writing is kept as a draft.")
    String session_text();

    @Message(
            "Your unsent reply was kept as a draft: it will be back in the reply box when you open this conversation again.")
    String session_draft_kept();

    @Message("Stay signed in")
    String session_stay();

    @Message("Sign out now")
    String session_sign_out();

    // shared actions and confirmations
    @Message("Cancel")
    String cancel();

    @Message("Yes")
    String yes();

    @Message("No")
    String no();

    @Message("Are you sure?")
    String confirm_title();

    // a file chooser in the page's language (tags/filePicker.html)
    @Message("Choose a file")
    String file_choose();

    @Message("Choose files")
    String files_choose();

    @Message("No file chosen")
    String files_none();

    @Message("{count} files chosen")
    String files_chosen(String count);

    /** The person's own browser sessions (/account/sessions, ADR 0040). */
    @Message("Your sessions")
    String nav_sessions();

    @Message("Connected apps")
    String nav_apps();
}
