package dev.bluepost.audit;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the audit pages (the audit report, the chain verification, the audit settings) in English:
 * {@code {audit:…}} in templates. Spanish is in {@code messages/audit_es.properties}.
 */
@MessageBundle(value = "audit", locale = "en")
public interface AuditMessages {

    @Message("Audit report")
    String report_title();

    @Message(
            "Every recorded action in this practice: sign-ins and sign-outs, reads, searches, creates, changes, retractions, exports, downloads and prints of patient information, login, role and key changes, emergency access and changes of the audit settings. Times and days are in the practice's time zone. The log cannot be changed afterwards: each entry is chained to the one before it.")
    String report_intro();

    @Message("Verify the chain")
    String verify_link();

    @Message("Filter the audit report")
    String filter_label();

    @Message("From")
    String from();

    @Message("To")
    String to();

    @Message("Action")
    String action();

    @Message("Any")
    String any();

    @Message("Outcome")
    String outcome();

    @Message("Succeeded")
    String outcome_success();

    @Message("Failed or refused")
    String outcome_failure();

    @Message("Who (user name)")
    String actor();

    @Message("Role")
    String role();

    @Message("Patient (id)")
    String patient_id();

    @Message("More filters")
    String more_filters();

    @Message("App or system client (client id)")
    String client();

    @Message("On behalf of (patient id)")
    String on_behalf_of();

    @Message("Kind of record")
    String resource_type();

    @Message("Record id")
    String resource_id();

    @Message("From (IP address)")
    String ip();

    @Message("Reason code")
    String reason();

    @Message("Request id")
    String request();

    @Message("Sort by")
    String sort_by();

    @Message("Order")
    String order();

    @Message("Newest or largest first")
    String descending();

    @Message("Oldest or smallest first")
    String ascending();

    @Message("Show")
    String show();

    @Message("{total} entries · page {page} of {pages}")
    String total(long total, int page, int pages);

    @Message("Download as CSV")
    String export_csv();

    @Message("Audit entries; choose a column heading to sort by it")
    String caption();

    @Message("Details")
    String details();

    @Message("Details of entry {sequence}")
    String details_of(long sequence);

    @Message("No entries match.")
    String none();

    @Message("Pages")
    String pages_label();

    @Message("Previous page")
    String previous();

    @Message("Next page")
    String next();

    // columns
    @Message("When")
    String col_time();

    @Message("Entry no.")
    String col_sequence();

    @Message("Who")
    String col_actor();

    @Message("Roles")
    String col_roles();

    @Message("App or system client")
    String col_client();

    @Message("On behalf of")
    String col_on_behalf_of();

    @Message("What")
    String col_action();

    @Message("Kind of record")
    String col_resource_type();

    @Message("Record id")
    String col_resource_id();

    @Message("Patient")
    String col_patient();

    @Message("Outcome")
    String col_outcome();

    @Message("Reason code")
    String col_reason();

    @Message("From (IP address)")
    String col_ip();

    @Message("Request id")
    String col_request();

    // actions
    @Message("Signed in")
    String action_login();

    @Message("Sign-in refused")
    String action_login_failed();

    @Message("Signed out")
    String action_logout();

    @Message("Opened")
    String action_read();

    @Message("Searched")
    String action_search();

    @Message("Created")
    String action_create();

    @Message("Changed")
    String action_update();

    @Message("Retracted")
    String action_retract();

    @Message("Exported")
    String action_export();

    @Message("Downloaded")
    String action_download();

    @Message("Printed")
    String action_print();

    @Message("Encryption keys rotated")
    String action_key_rotation();

    @Message("Integrity check failed")
    String action_integrity_failure();

    @Message("Role changed")
    String action_role_change();

    @Message("Emergency access opened")
    String action_emergency_access();

    @Message("Audit recording switched")
    String action_audit_recording();

    // kinds of record
    @Message("conversation")
    String type_thread();

    @Message("message")
    String type_communication();

    @Message("patient")
    String type_patient();

    @Message("login")
    String type_login();

    @Message("session")
    String type_session();

    @Message("measure report")
    String type_measure_report();

    @Message("audit log")
    String type_audit_event();

    @Message("attachment")
    String type_attachment();

    @Message("visit document")
    String type_document();

    @Message("emergency access")
    String type_emergency_access();

    @Message("work item")
    String type_task();

    @Message("internal note")
    String type_note();

    // the chain verification
    @Message("Audit log verification")
    String verify_title();

    @Message(
            "Checked {when}: every entry's fingerprint (hash) recomputed from its content and the one before it, in one snapshot of the database, for the whole installation.")
    String verify_intro(String when);

    @Message("The audit log is intact")
    String intact_heading();

    @Message("{count} entries checked; the last one is entry {head}.")
    String intact_text(long count, long head);

    @Message("The audit log is broken")
    String broken_heading();

    @Message("The first broken entry:")
    String broken_at();

    @Message("{count} entries before it are intact.")
    String broken_before(long count);

    @Message(
            "Keep this page's result and tell the security officer: entries were changed, deleted, reordered or inserted outside Bluepost.")
    String broken_advice();

    @Message(
            "Write down the last entry and its fingerprint somewhere outside the database (a ticket, write-once storage): a later verification must find the same fingerprint at the same entry.")
    String head_advice();

    @Message("Last entry")
    String head_sequence();

    @Message("Its fingerprint (SHA-256)")
    String head_hash();

    @Message("Back to the audit report")
    String back();

    // the audit settings
    @Message("Audit settings")
    String settings_title();

    @Message("Saved. The change is in the audit report.")
    String saved();

    @Message(
            "Access to patient information (opening, searching, creating, changing, retracting, exporting, downloading and printing it) is recorded.")
    String recorded();

    @Message("Access to patient information is NOT recorded.")
    String not_recorded();

    @Message("Last changed {when}.")
    String changed_at(String when);

    @Message(
            "Recording is on by default. Sign-ins, sign-outs, refused sign-ins, login, role and key changes, emergency access, integrity failures and every change of this setting are recorded whatever it says. Switching recording off may put the practice out of line with HIPAA 164.312(b); do it only on the compliance officer's written instruction.")
    String settings_hint();

    @Message("Turn recording off")
    String turn_off();

    @Message("Turn recording back on")
    String turn_on();

    @Message(
            "Stop recording who opens, searches, changes, exports and prints patient information? Until it is turned on again, patients' \"Who opened my messages\" lists will have a gap, and the gap cannot be filled afterwards.")
    String turn_off_question();

    @Message("Yes, stop recording")
    String turn_off_confirm();

    @Message(
            "Start recording access to patient information again? The gap while it was off stays visible in the report and to patients.")
    String turn_on_question();

    @Message("Yes, record it again")
    String turn_on_confirm();

    // ---- refusals
    @Message("The period's end ({to}) is before its start ({from}).")
    String error_period_reversed(String to, String from);

    @Message("Choose an action from the list.")
    String error_action();

    @Message("The outcome is success or failure.")
    String error_outcome();

    @Message("Choose a role from the list.")
    String error_role();

    @Message("'{field}' must be a date like 2026-11-23.")
    String error_date(String field);

    @Message("'{field}' must be an id (a UUID).")
    String error_id(String field);

    @Message("'{field}' may hold letters, digits and . _ : @ - only.")
    String error_code(String field);

    @Message("'{name}' is too long.")
    String error_too_long(String name);

    @Message("'page' must be a page number.")
    String error_page();

    @Message("Choose whether access to patient information is recorded (on or off).")
    String error_recording();

    @Message("Only a practice admin may switch the recording of access to patient information.")
    String error_recording_not_allowed();

    // account lifecycle actions (ADR 0040)
    @Message("Login deactivated")
    String action_deactivate();

    @Message("Login reactivated")
    String action_reactivate();

    @Message("Password reset")
    String action_password_reset();

    @Message("activation code")
    String type_activation_code();

    @Message("Sent to a third party")
    String action_transmit();

    @Message("Copy of the health record")
    String type_health_record();
}
