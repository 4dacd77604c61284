package dev.bluepost.messaging.emergency;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the emergency ("break-glass") access pages in English: the restricted conversation a
 * clinician may open in an emergency, and the compliance officer's review. {@code {breakglass:…}} in
 * templates; Spanish in {@code messages/breakglass_es.properties}.
 */
@MessageBundle(value = "breakglass", locale = "en")
public interface EmergencyAccessMessages {

    // the restricted conversation
    @Message("Restricted conversation")
    String restricted_title();

    @Message(
            "{patient} marked this conversation sensitive. Only the patient's care team for it (the clinicians and pools it was written to or handed to) may open it.")
    String restricted_notice(String patient);

    @Message("Emergency access")
    String emergency_heading();

    @Message(
            "If the patient needs urgent care and the information may be in this conversation, you may open the patient's restricted conversations now. Emergency access lasts a limited time, every conversation you open is recorded in the audit log, and the practice's compliance officers are told and review it.")
    String emergency_text();

    @Message("Why do you need emergency access?")
    String reason_legend();

    @Message("Open emergency access")
    String open();

    @Message(
            "Open emergency access to this patient's restricted conversations? Your name, the reason and every conversation you open are recorded, and the compliance officers review it.")
    String open_question();

    @Message("Yes, open emergency access")
    String open_confirm();

    @Message("Ask a clinician on the patient's care team. Emergency access is for clinicians only.")
    String not_clinician();

    @Message("Back to the queue")
    String back_to_queue();

    // reasons
    @Message("Life-threatening emergency")
    String reason_life_threatening();

    @Message("Urgent care; the patient cannot be asked")
    String reason_unable_to_consent();

    @Message("Urgent care; the patient's care team cannot be reached")
    String reason_care_team_unavailable();

    // the review
    @Message("Emergency access review")
    String review_title();

    @Message(
            "Every emergency (\"break-glass\") access a clinician of this practice opened to a patient's restricted conversations, with its reason and time limit. Each conversation opened under it is in the")
    String review_intro();

    @Message("audit report")
    String review_audit_link();

    @Message("Review each access: was it appropriate?")
    String review_ask();

    @Message("Review saved: the access was marked appropriate. The review is in the audit report.")
    String saved_appropriate();

    @Message(
            "Review saved: the access was marked inappropriate. The review is in the audit report.")
    String saved_inappropriate();

    @Message("Review saved. It is in the audit report.")
    String saved();

    @Message("{count} not reviewed yet (all periods).")
    String unreviewed(long count);

    @Message("Period")
    String period_label();

    @Message("Opened from")
    String from();

    @Message("to")
    String to();

    @Message("Show")
    String show();

    @Message("Emergency accesses opened in the period, newest first")
    String caption();

    @Message("Opened")
    String col_opened();

    @Message("Clinician")
    String col_clinician();

    @Message("Patient")
    String col_patient();

    @Message("Reason")
    String col_reason();

    @Message("Until")
    String col_until();

    @Message("Review")
    String col_review();

    @Message("in force")
    String in_force();

    @Message("Appropriate")
    String appropriate();

    @Message("Inappropriate")
    String inappropriate();

    @Message("Mark appropriate")
    String mark_appropriate();

    @Message("Mark inappropriate")
    String mark_inappropriate();

    @Message(
            "Mark {clinician}'s emergency access to {patient}'s conversations as appropriate? A review cannot be changed afterwards.")
    String appropriate_question(String clinician, String patient);

    @Message("Yes, it was appropriate")
    String appropriate_confirm();

    @Message(
            "Mark {clinician}'s emergency access to {patient}'s conversations as inappropriate? A review cannot be changed afterwards; follow the practice's policy for a possible privacy breach.")
    String inappropriate_question(String clinician, String patient);

    @Message("Yes, it was inappropriate")
    String inappropriate_confirm();

    @Message("No emergency access in this period.")
    String none();

    // refusals (ThreadAccess, EmergencyAccessService, EmergencyAccessPage): the English is the
    // APIs' detail too
    @Message("Choose the reason for the emergency access.")
    String error_choose_reason();

    @Message("This conversation is open to you; emergency access is not needed.")
    String error_not_needed();

    @Message("Only a clinician may open emergency access to a patient's messages.")
    String error_clinician_only();

    @Message("Choose whether the emergency access was appropriate or not.")
    String error_choose_outcome();

    @Message("An emergency access is reviewed by someone other than the person who opened it.")
    String error_review_own();

    @Message("This emergency access has been reviewed already.")
    String error_reviewed_already();

    @Message("Emergency accesses are reviewed by the practice's compliance officers.")
    String error_reviewers();

    @Message("The period ends before it starts: choose a 'to' date on or after the 'from' date.")
    String error_period_backwards();

    /** The period's first date field, as the date refusals name it. */
    @Message("from")
    String field_from();

    @Message("to")
    String field_to();

    @Message("Give the '{name}' date as YYYY-MM-DD.")
    String error_date_missing(String name);

    @Message("The '{name}' date must be a date as YYYY-MM-DD.")
    String error_date_format(String name);
}
