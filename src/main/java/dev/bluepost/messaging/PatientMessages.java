package dev.bluepost.messaging;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the patient's (and proxy's) pages: messages, a conversation, a new message, the download of the history, who opened the messages.
 * {@code {patient:…}} in templates; Spanish in {@code messages/patient_es.properties}.
 */
@MessageBundle(value = "patient", locale = "en")
public interface PatientMessages {

    // acting for another person (proxies)
    @Message("You are acting for {name}.")
    String acting_for(String name);

    @Message("Messages you send are recorded as sent by you, on their behalf.")
    String acting_sent_as_you();

    // the list of conversations
    @Message("Messages")
    String messages_title();

    @Message("New message")
    String new_message();

    @Message("No messages yet.")
    String no_messages();

    @Message("Write to your care team")
    String write_to_care_team();

    @Message("Your conversations, newest first")
    String table_caption();

    @Message("Subject")
    String col_subject();

    @Message("Type")
    String col_type();

    @Message("Last message")
    String col_last_message();

    @Message("Status")
    String col_status();

    @Message("{count} new")
    String unread(int count);

    @Message("Hidden from proxies")
    String hidden_from_proxies();

    @Message("Closed")
    String status_closed();

    @Message("Answered")
    String status_answered();

    @Message("Drafts")
    String drafts_title();

    @Message("Reply")
    String draft_reply();

    @Message("Untitled message")
    String draft_untitled();

    @Message("Saved {when}")
    String draft_saved(String when);

    @Message("Delete draft")
    String draft_delete();

    @Message("Delete this draft? It cannot be brought back.")
    String draft_delete_question();

    @Message("Yes, delete it")
    String draft_delete_yes();

    @Message("Draft saved. You can finish it later under Drafts.")
    String done_draft_saved();

    @Message("Draft deleted.")
    String done_draft_deleted();

    @Message("You are now acting for {name}.")
    String done_acting(String name);

    // a new message
    @Message("New message")
    String compose_title();

    @Message("Not for emergencies")
    String safety_title();

    @Message(
            "Messages are read during office hours. If this is an emergency, call 911. For a mental health crisis, call or text 988.")
    String safety_text();

    @Message("Do you need help right now?")
    String urgent_title();

    @Message("Your message mentions something that can be an emergency.")
    String urgent_text();

    @Message("Secure messages are not read right away.")
    String urgent_not_read();

    @Message("If it is not an emergency, you can still send it below.")
    String urgent_still();

    @Message("Call 911 or go to the nearest emergency room now.")
    String help_call_911();

    @Message("Call or text 988 (Suicide & Crisis Lifeline) now, or call 911.")
    String help_call_988();

    @Message("Your message was not sent")
    String not_sent();

    @Message("Choose your attachments again.")
    String files_again_title();

    @Message("For your security, files are not kept when the form is shown again.")
    String files_again_text();

    @Message("To")
    String label_to();

    @Message("Choose…")
    String choose();

    @Message("Care teams")
    String group_care_teams();

    @Message("Your clinicians")
    String group_clinicians();

    @Message("Message type")
    String label_category();

    @Message("Subject")
    String label_subject();

    @Message("A few words, so that you find the conversation again later.")
    String hint_subject();

    @Message("Message")
    String label_text();

    @Message("Send")
    String send();

    @Message("Send anyway: this is not an emergency")
    String send_anyway();

    @Message("Save draft")
    String save_draft();

    @Message("Continues your conversation “{subject}” of {date}.")
    String continues(String subject, String date);

    @Message("Re: {subject}")
    String reply_subject(String subject);

    @Message("Choose who the message is for.")
    String error_recipient();

    @Message("Your message is empty: write what you want to tell your care team.")
    String error_text();

    @Message("There is nothing to save yet.")
    String error_nothing_to_save();

    @Message(
            "Your message is too long: the limit is {limit} bytes (about as many letters). Shorten it, or send it in two messages.")
    String error_text_too_long(int limit);

    // a conversation
    @Message("All messages")
    String all_messages();

    @Message("You are here")
    String breadcrumb();

    @Message(
            "Sensitive: hidden from proxies, and in the practice only the care team you wrote to reads it.")
    String sensitive_note();

    @Message("Conversation")
    String conversation_label();

    @Message("Automatic reply")
    String automatic();

    @Message("Correction")
    String correction();

    @Message("Written under emergency access")
    String emergency_mark();

    @Message("A clinician outside your care team wrote this in an emergency.")
    String emergency_explained();

    @Message("Retracted.")
    String retracted_label();

    @Message("Attachments")
    String attachments_label();

    @Message("Retract this message")
    String retract_summary();

    @Message("Why are you retracting it?")
    String retract_reason();

    @Message(
            "The message stays in the conversation, crossed out, with your reason. You can then send a correction.")
    String retract_hint();

    @Message("Retract")
    String retract_button();

    @Message("Reply")
    String reply_title();

    @Message("Send a correction")
    String correction_title();

    @Message("Your reply")
    String your_reply();

    @Message("Your correction")
    String your_correction();

    @Message("You can no longer reply to this conversation.")
    String cannot_reply();

    @Message("Start a new message")
    String start_new();

    @Message("It carries this conversation's subject and type forward.")
    String start_new_hint();

    @Message("Hide this conversation from my proxies")
    String hide_from_proxies();

    @Message("Show this conversation to my proxies again")
    String show_to_proxies();

    @Message("Message sent.")
    String done_sent();

    @Message("Reply sent.")
    String done_reply();

    @Message("Correction sent.")
    String done_correction();

    @Message("Message retracted. You can send a correction below.")
    String done_retracted();

    @Message("This conversation is now hidden from your proxies.")
    String done_hidden();

    @Message("Your proxies can see this conversation again.")
    String done_shown();

    @Message("A new message arrived in this conversation.")
    String live_new_message();

    // attachments
    @Message("Attachments")
    String files_label();

    @Message("(optional)")
    String optional();

    @Message(
            "Photos (JPEG, PNG) and PDF documents: up to {count} files, {size} each, {total} in all. Attachments are not saved with a draft: choose them again when you send.")
    String files_hint(int count, String size, String total);

    @Message("You chose %n files; a message can carry at most %max.")
    String files_too_many();

    @Message("File %n is empty (0 bytes). Choose another file.")
    String files_empty();

    @Message("File %n is %size; the limit is %max per file.")
    String files_too_large();

    @Message("The files add up to %size; the limit is %max per message.")
    String files_total();

    // downloading the history
    @Message("Download or send your health information")
    String history_title();

    @Message(
            "Your message history: {threads} {#if threads == 1}conversation{#else}conversations{/if}, {messages} {#if messages == 1}message{#else}messages{/if}.")
    String history_summary(int threads, int messages);

    @Message("Keep a copy, or give it to another provider.")
    String history_intro();

    @Message("Printable page")
    String printable();

    @Message("Opens a page you can print or save as PDF.")
    String printable_hint();

    @Message("FHIR file (JSON)")
    String fhir_file();

    @Message("The standard format that health apps and other providers' systems read.")
    String fhir_hint();

    @Message(
            "Downloads are recorded in your record's access history. Keep the file somewhere safe: it contains your health information.")
    String history_note();

    @Message("Secure messages of {name}")
    String print_title(String name);

    @Message("Printed from Bluepost on {when}. Contains health information.")
    String printed_on(String when);

    @Message("There are no messages.")
    String print_none();

    @Message("started {when}")
    String print_started(String when);

    @Message("closed")
    String print_closed();

    @Message("Print")
    String print_button();

    // who opened my messages
    @Message("Who opened my messages")
    String access_title_mine();

    @Message("Who opened {name}'s messages")
    String access_title_proxy(String name);

    @Message(
            "Each visit of someone at the practice to one of your conversations, and the files they downloaded from it, newest first (from the last {limit} openings). This comes from Bluepost's audit log, which cannot be changed. Openings by you and your proxies are not listed. Questions about an entry? Ask the practice's compliance officer.")
    String access_intro_mine(int limit);

    @Message(
            "Each visit of someone at the practice to one of {name}'s conversations, and the files they downloaded from it, newest first (from the last {limit} openings). This comes from Bluepost's audit log, which cannot be changed. Openings by the patient and their proxies are not listed. Questions about an entry? Ask the practice's compliance officer.")
    String access_intro_proxy(String name, int limit);

    @Message(
            "A conversation you marked sensitive is open only to your care team. In an emergency, a clinician outside it may open it under emergency access, giving a reason; such visits are marked below, and the practice's compliance officers review every one.")
    String access_sensitive_note();

    @Message("This list is not complete.")
    String access_incomplete_title();

    @Message(
            "For a time the practice switched off recording who opened messages; the rows below say when. Openings in that time are not listed.")
    String access_incomplete_text();

    @Message("Visits to the conversations")
    String access_caption();

    @Message("When")
    String col_when();

    @Message("Who")
    String col_who();

    @Message("Role")
    String col_role();

    @Message("What")
    String col_what();

    @Message("Nobody at the practice has opened these messages yet.")
    String access_none();

    @Message("Nobody at the practice opened these messages while the practice recorded it.")
    String access_none_recorded();

    @Message("Opened emergency access to your restricted conversations")
    String access_opened_emergency();

    @Message("Emergency access: {reason}")
    String access_emergency(String reason);

    @Message("Under emergency access")
    String access_under_emergency();

    @Message("Under emergency access ({reason})")
    String access_under_emergency_because(String reason);

    @Message("reason not recorded")
    String access_reason_not_recorded();

    @Message("Connected record system")
    String access_system();

    @Message("A staff member")
    String access_staff_member();

    @Message("Connected system")
    String access_role_system();

    @Message("downloaded {#if files == 1}1 file{#else}{files} files{/if}")
    String access_downloaded(int files);

    @Message("opened, and downloaded {#if files == 1}1 file{#else}{files} files{/if}")
    String access_opened_downloaded(int files);

    @Message("the practice")
    String access_the_practice();

    @Message("Since {when} {who} has not recorded who opened messages.")
    String access_unrecorded_since(String when, String who);

    @Message("From {from} to {to} {who} did not record who opened messages.")
    String access_unrecorded_between(String from, String to, String who);
}
