package dev.bluepost.triage;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the staff pages (queue, conversation workspace, new message, batch replies, unread
 * messages, the admin's triage pages), in English: {@code {staff:…}} in templates,
 * {@code ReaderLanguage.messages(StaffMessages.class)} for words composed in Java ({@link StaffWords}).
 * Spanish is in {@code messages/staff_es.properties}.
 */
@MessageBundle(value = "staff", locale = "en")
public interface StaffMessages {

    // ---- queue
    @Message("Queue")
    String queue_title();

    @Message("Serve me the next one")
    String next();

    @Message("New message to a patient")
    String new_message();

    @Message("Unread by patients")
    String unread_link();

    @Message("Updates appear here as messages arrive.")
    String live_waiting();

    @Message("Live: new messages appear without reloading.")
    String live_on();

    @Message("Queue updated at")
    String live_updated();

    @Message("Live updates paused; reload the page.")
    String live_paused();

    @Message("Reconnecting…")
    String live_reconnecting();

    @Message("A message is due for an answer soon.")
    String live_sla_warning();

    @Message("A message is overdue: it was escalated to the on-call pool.")
    String live_sla_breached();

    @Message(
            "{messages} {#if messages == 1}message is{#else}messages are{/if} still being sorted (oldest {oldest}). They appear here as soon as they are sorted; urgent messages are sorted first.")
    String backlog(long messages, String oldest);

    @Message("Queues")
    String pools_label();

    @Message("All")
    String pool_all();

    @Message("Mine")
    String pool_mine();

    @Message("{count} waiting")
    String pool_count(long count);

    @Message("Filter and sort")
    String filters();

    @Message("Priority")
    String priority();

    @Message("Type")
    String type();

    @Message("Tag")
    String tag();

    @Message("Sort")
    String sort();

    @Message("Any")
    String any();

    @Message("Most urgent first")
    String sort_urgent();

    @Message("Answer due first")
    String sort_due();

    @Message("Oldest first")
    String sort_received();

    @Message("Apply")
    String apply();

    @Message("Nothing is waiting in this queue.")
    String nothing_next();

    @Message("Conversations waiting for an answer, one row each")
    String queue_caption();

    @Message("Select")
    String col_select();

    @Message("Patient")
    String col_patient();

    @Message("Subject")
    String col_subject();

    @Message("Waiting")
    String col_waiting();

    @Message("Answer due")
    String col_due();

    @Message("For")
    String col_for();

    @Message("Status")
    String col_status();

    @Message("Action")
    String col_action();

    @Message("No open messages. New ones appear here without reloading.")
    String queue_empty();

    @Message("Select the conversation with {name}")
    String select_conversation(String name);

    @Message("{count} messages")
    String messages_count(int count);

    @Message("born {date}")
    String born(String date);

    @Message("since {when}")
    String since(String when);

    @Message("Claim")
    String claim();

    @Message("Release")
    String release();

    @Message("Answer the selected conversations with a template")
    String batch_legend();

    @Message(
            "Each conversation gets one reply of its own, one-to-one with its patient. You see every reply before it is sent.")
    String batch_hint();

    @Message("Template")
    String template();

    @Message("Preview replies")
    String batch_preview();

    // ---- waiting times and answer-due states
    @Message("{minutes} min")
    String wait_minutes(long minutes);

    @Message("{hours} h {minutes} min")
    String wait_hours(long hours, long minutes);

    @Message("{days} {#if days == 1}day{#else}days{/if}")
    String wait_days(long days);

    @Message("On time")
    String sla_on_time();

    @Message("Due soon")
    String sla_due_soon();

    @Message("Overdue")
    String sla_overdue();

    @Message("No due time")
    String sla_none();

    // ---- statuses, priorities, types, tags
    @Message("Waiting")
    String status_requested();

    @Message("Assigned")
    String status_accepted();

    @Message("Being answered")
    String status_in_progress();

    @Message("Done")
    String status_completed();

    @Message("Cancelled")
    String status_cancelled();

    @Message("Routine")
    String priority_routine();

    @Message("Urgent")
    String priority_urgent();

    @Message("As soon as possible")
    String priority_asap();

    @Message("Emergency")
    String priority_stat();

    @Message("Possible emergency")
    String tag_red_flag();

    @Message("Refill")
    String tag_refill();

    @Message("Due soon")
    String tag_sla_warning();

    @Message("Overdue, escalated")
    String tag_sla_breached();

    @Message("{name} (pool)")
    String pool_owner(String name);

    // ---- confirmations
    @Message("Reply sent.")
    String done_sent();

    @Message("Correction sent.")
    String done_corrected();

    @Message("Conversation closed. The patient can start a new message.")
    String done_closed();

    @Message("You claimed this conversation.")
    String done_claimed();

    @Message("Conversation released to its queue.")
    String done_released();

    @Message("Conversation reassigned.")
    String done_assigned();

    @Message("Conversation routed to the provider.")
    String done_routed();

    @Message("Note added.")
    String done_note();

    @Message("Macro done: reply sent.")
    String done_macro();

    @Message("Message retracted. Write the correction below.")
    String done_retracted();

    @Message("The kept reply was discarded.")
    String done_draft_discarded();

    @Message("Message sent.")
    String done_started();

    // ---- the conversation workspace
    @Message("Conversation")
    String thread_title();

    @Message("Back to the queue")
    String back_to_queue();

    @Message("Patient")
    String patient();

    @Message("Open")
    String open();

    @Message("Closed")
    String closed();

    @Message("Sensitive: care team only, hidden from family members and caregivers")
    String sensitive();

    @Message(
            "You are reading this restricted conversation under emergency access, in force until {until}. Every conversation you open is recorded and reviewed by the practice's compliance officers.")
    String emergency_banner(String until);

    @Message("Nobody else has this conversation open.")
    String viewers_none();

    @Message("Also here:")
    String viewers_also();

    @Message("replying")
    String viewers_replying();

    @Message("Messages")
    String messages_heading();

    @Message("automatic reply")
    String automatic_reply();

    @Message("correction")
    String correction();

    @Message("written under emergency access")
    String under_emergency();

    @Message("Retracted.")
    String retracted();

    @Message("Attachments")
    String attachments();

    @Message("Retract this message")
    String retract_summary();

    @Message("Why are you retracting it? The patient sees the reason.")
    String retract_reason();

    @Message("Retract")
    String retract();

    @Message("This conversation")
    String item_heading();

    @Message("With")
    String item_owner();

    @Message("Answer due")
    String item_due();

    @Message("Tags")
    String item_tags();

    @Message("Reply to the patient")
    String reply_heading();

    @Message("Send a correction")
    String correction_heading();

    @Message("Start from a template")
    String start_from_template();

    @Message("Use template")
    String use_template();

    @Message("Reply")
    String reply_label();

    @Message("Correction")
    String correction_label();

    @Message("Send")
    String send();

    @Message("Your unsent reply is back.")
    String draft_back();

    @Message(
            "It was kept as a draft ({when}) before you were signed out for inactivity. Send it, or discard it.")
    String draft_kept(String when);

    @Message("Discard the kept reply")
    String discard_draft();

    @Message("Choose the attachments again.")
    String files_again();

    @Message("Files are not kept when the form is shown again.")
    String files_again_why();

    @Message("Actions")
    String actions_heading();

    @Message("Assign")
    String assign_heading();

    @Message("Reassign to")
    String reassign_to();

    @Message("Reassign")
    String reassign();

    @Message("Macro: reply, set the status and assign in one step")
    String macro_heading();

    @Message("Reply with")
    String macro_template();

    @Message("Then")
    String macro_then();

    @Message("Mark answered, keep the conversation open")
    String macro_answered();

    @Message("Keep it waiting, being answered")
    String macro_in_progress();

    @Message("Close the conversation")
    String macro_close();

    @Message("And assign to")
    String macro_assign();

    @Message("Leave as is")
    String macro_leave();

    @Message("Me")
    String macro_me();

    @Message("Run macro")
    String macro_run();

    @Message("Route to a provider")
    String route_heading();

    @Message("Provider")
    String route_to();

    @Message("Note for the provider (staff only)")
    String route_note();

    @Message("Route")
    String route();

    @Message("Close the conversation")
    String close_heading();

    @Message(
            "Closing completes the waiting items. The patient can start a new message but cannot reply here.")
    String close_hint();

    @Message("Close conversation")
    String close();

    @Message("Close this conversation now?")
    String close_question();

    @Message("Yes, close it")
    String close_yes();

    @Message("This conversation is closed. The patient can start a new message.")
    String closed_notice();

    @Message("It was closed by a clinician under emergency access.")
    String closed_under_emergency();

    @Message("Internal notes")
    String notes_heading();

    @Message("Staff only; never shown to the patient.")
    String notes_hint();

    @Message("No notes yet.")
    String notes_none();

    @Message("Add a note")
    String note_label();

    @Message("Add note")
    String add_note();

    @Message("What the triage rules did")
    String rule_log();

    @Message("When")
    String col_when();

    @Message("Rule")
    String col_rule();

    @Message("Outcome")
    String col_outcome();

    @Message("Why / what")
    String col_detail();

    @Message("version {version}")
    String rule_version(int version);

    @Message("Acted")
    String outcome_fired();

    @Message("Did not apply")
    String outcome_not_matched();

    @Message("Not run: an earlier rule stopped")
    String outcome_skipped();

    @Message("Due-soon warning")
    String outcome_sla_warning();

    @Message("Overdue: escalated")
    String outcome_sla_breached();

    // ---- new message to a patient
    @Message("New message to a patient")
    String compose_title();

    @Message("Choose…")
    String choose();

    @Message("Message type")
    String message_type();

    @Message("Message")
    String message_label();

    @Message("Choose a patient of the practice.")
    String choose_patient();

    // ---- batch replies
    @Message("Batch reply")
    String batch_title();

    @Message("Preview: {template}")
    String batch_preview_heading(String template);

    @Message(
            "Each conversation gets one reply of its own, one-to-one with its patient, as shown. Nothing is sent until you send.")
    String batch_preview_hint();

    @Message("Reply sent to {count} {#if count == 1}patient{#else}patients{/if}.")
    String batch_sent(long count);

    @Message("{count} not sent (listed below with the reason).")
    String batch_failed(long count);

    @Message("Batch reply sent")
    String batch_sent_heading();

    @Message("Reply")
    String col_reply();

    @Message("Result")
    String col_result();

    @Message("Sent")
    String sent();

    @Message("Not sent:")
    String not_sent();

    @Message("Send {count} {#if count == 1}reply{#else}replies{/if}")
    String batch_send(int count);

    // ---- unread by patients
    @Message("Messages patients have not opened")
    String unread_title();

    @Message(
            "The care team's messages sent more than {days} days ago that neither the patient nor a family member or caregiver has opened. Patients who chose e-mail notifications are reminded.")
    String unread_hint(int days);

    @Message("From")
    String col_from();

    @Message("Sent")
    String col_sent();

    @Message("Nothing unread: patients have opened every message older than {days} days.")
    String unread_none(int days);

    // ---- the admin's triage pages
    @Message("Triage rules")
    String rules_title();

    @Message("Where you are")
    String rules_breadcrumb();

    @Message("Practice")
    String rules_practice();

    @Message("Sections of this page")
    String rules_sections();

    @Message("Rules")
    String rules_heading();

    @Message(
            "Rules run in this order on every patient message (never on automatic replies). A rule that says stop ends the run. Editing a rule keeps its earlier versions.")
    String rules_intro();

    @Message("New rule")
    String rules_new();

    @Message("New rule: no staff reply by the due time")
    String rules_new_no_reply();

    @Message("New rule: a reply the patient has not read")
    String rules_new_unread();

    @Message("Order")
    String rules_order();

    @Message("Version")
    String rules_version();

    @Message("State")
    String rules_state();

    @Message("Enabled")
    String rules_enabled();

    @Message("Disabled")
    String rules_disabled();

    @Message("Move {name} up")
    String rules_move_up(String name);

    @Message("Move {name} down")
    String rules_move_down(String name);

    @Message("Disable")
    String rules_disable();

    @Message("Enable")
    String rules_enable();

    @Message("Automatic replies and staff templates")
    String texts_heading();

    @Message(
            "Two kinds of text, kept apart: automatic replies are sent by the rules above in the practice's own automatic voice (a rule's reply names one); staff templates are what staff start a reply, a macro or a batch reply from, in a person's voice, signed by whoever sends them. Each can have a Spanish text: patients whose language is Spanish get it.")
    String texts_intro();

    @Message("Placeholders:")
    String texts_placeholders();

    @Message(
            "Use the same placeholders in both languages. The after-hours one is a sentence saying the office is closed and when it opens (empty while it is open).")
    String texts_placeholders_hint();

    @Message("Name")
    String texts_name();

    @Message("Kind")
    String texts_kind();

    @Message("Text in English")
    String texts_english();

    @Message("Text in Spanish")
    String texts_spanish();

    @Message("Automatic reply")
    String texts_automatic();

    @Message("Staff template")
    String texts_staff();

    @Message("None: Spanish readers get the English text")
    String texts_no_spanish();

    @Message("Staff template (a person sends it)")
    String texts_kind_staff();

    @Message("Automatic reply (rules send it)")
    String texts_kind_automatic();

    @Message("An existing name of the same kind replaces that text.")
    String texts_name_hint();

    @Message("Text in Spanish (optional)")
    String texts_spanish_label();

    @Message(
            "Patients whose language is Spanish get this text; without it they get the English one.")
    String texts_spanish_hint();

    @Message("Save")
    String save();

    @Message("Business hours and holidays")
    String hours_heading();

    @Message("Opens")
    String hours_opens();

    @Message("Closes")
    String hours_closes();

    @Message("Open days")
    String hours_days();

    @Message("Save hours")
    String hours_save();

    @Message("Holidays")
    String holidays_heading();

    @Message(
            "Holidays are the days your staff cannot work: triage skips them, and so does the Meaningful Use timeliness rule (online access within 4 business days of a visit's information).")
    String holidays_help();

    @Message("Remove")
    String remove();

    @Message("Yes, remove it")
    String remove_yes();

    @Message("Remove the holiday on {day}? Triage counts that day as a working day again.")
    String holiday_remove_question(String day);

    @Message("Holiday (closed all day)")
    String holiday_day();

    @Message("Name")
    String holiday_name();

    @Message("Add holiday")
    String holiday_add();

    @Message("Response-time targets")
    String sla_heading();

    @Message(
            "In business minutes on the hours above. The most specific target applies (pool and priority, then pool, then priority, then any). Items are marked due soon before the target is missed and, when it is missed, overdue and at least urgent.")
    String sla_intro();

    @Message("Pool")
    String sla_pool();

    @Message("First response")
    String sla_first();

    @Message("Next response")
    String sla_next();

    @Message("Warning before")
    String sla_warning();

    @Message("{count} min")
    String minutes(int count);

    @Message(
            "Remove this target? Messages it covers then follow the next most specific target, or none.")
    String sla_remove_question();

    @Message("Any pool")
    String sla_any_pool();

    @Message("A removed pool")
    String sla_removed_pool();

    @Message("First response (business minutes)")
    String sla_first_label();

    @Message("Next response (business minutes)")
    String sla_next_label();

    @Message("Warn this many minutes before")
    String sla_warning_label();

    @Message("Save target")
    String sla_save();

    @Message("Edit rule")
    String rule_edit();

    @Message("New rule")
    String rule_new();

    @Message("Events:")
    String rule_events_hint();

    @Message(
            "The last two are checked by a job; each fires once per item and due time, or once per reply. A dry run shows whether the conditions hold for past messages.")
    String rule_events_more();

    @Message("Dry run over the last (messages)")
    String rule_dry_count();

    @Message("Dry run (changes nothing)")
    String rule_dry_run();

    @Message("Dry run")
    String rule_dry_heading();

    @Message("Looked at {count} messages. Nothing was sent or changed.")
    String rule_dry_summary(int count);

    @Message("Received")
    String rule_received();

    @Message("Fires")
    String rule_fires();

    @Message("Why")
    String rule_why();

    @Message("Would do")
    String rule_would_do();

    @Message("Yes")
    String yes();

    @Message("No")
    String no();

    @Message("Versions")
    String rule_versions();

    @Message("Version {version}, {at}, by {by}")
    String rule_version_line(int version, String at, String by);

    @Message("Current")
    String rule_current();

    @Message("Rule saved.")
    String done_rule_saved();

    @Message("Rule moved.")
    String done_rule_moved();

    @Message("Rule enabled.")
    String done_rule_enabled();

    @Message("Rule disabled.")
    String done_rule_disabled();

    @Message("Text saved.")
    String done_template_saved();

    @Message("Business hours saved.")
    String done_hours_saved();

    @Message("Holiday added.")
    String done_holiday_added();

    @Message("Holiday removed.")
    String done_holiday_removed();

    @Message("Response-time target saved.")
    String done_sla_saved();

    @Message("Response-time target removed.")
    String done_sla_removed();
}
