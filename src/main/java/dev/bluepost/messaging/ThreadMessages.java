package dev.bluepost.messaging;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of a conversation as the patient's and the staff's pages show it ({@link ThreadPresenter}):
 * who wrote a message, when, whether it was opened, message types, why replies are closed, and the
 * date patterns ({@link java.time.format.DateTimeFormatter} patterns, in the language's own order).
 * {@code {thread:…}} in templates; Spanish in {@code messages/thread_es.properties}.
 */
@MessageBundle(value = "thread", locale = "en")
public interface ThreadMessages {

    // date patterns (java.time.format.DateTimeFormatter): "Mon, Dec 7, 2026, 9:02 AM"
    @Message("EEE, MMM d, yyyy, h:mm a")
    String pattern_date_time();

    @Message("h:mm a")
    String pattern_time();

    @Message("EEEE, MMMM d")
    String pattern_day();

    @Message("MMM d, yyyy")
    String pattern_date();

    @Message("h:mm a 'on' EEEE, MMMM d")
    String pattern_on_call();

    @Message("{from} to {to}")
    String between(String from, String to);

    // who wrote it
    @Message("You")
    String you();

    @Message("{name} (on behalf of the patient)")
    String on_behalf(String name);

    @Message("Patient")
    String sender_patient();

    @Message("Authorized representative")
    String sender_representative();

    @Message("Care team")
    String sender_care_team();

    @Message("Automatic reply")
    String sender_automatic();

    // receipts and retractions
    @Message("Opened by your care team {when}")
    String opened_by_care_team(String when);

    @Message("Not yet opened by your care team")
    String not_opened_by_care_team();

    @Message("Read by the patient {when}")
    String read_by_patient(String when);

    @Message("Not yet read by the patient")
    String not_read_by_patient();

    @Message("Retracted by the sender {when}")
    String retracted(String when);

    @Message("Retracted by the sender {when}: {reason}")
    String retracted_because(String when, String reason);

    // when to expect an answer
    @Message("Expect an answer by {day}")
    String expect_answer(String day);

    @Message("Our on-call team answers urgent messages around the clock, also when the office is closed: expect an answer by {when}")
    String expect_answer_on_call(String when);

    // attachments: "PDF document, 120 KB"
    @Message("{type}, {size}")
    String file_description(String type, String size);

    @Message("JPEG image")
    String file_jpeg();

    @Message("PNG image")
    String file_png();

    @Message("PDF document")
    String file_pdf();

    @Message("File")
    String file_other();

    // message types







    // why the patient's side may not reply
    @Message("Your care team closed this conversation.")
    String reply_closed();

    @Message("Replies are accepted for a limited time after the last message, and that time has passed.")
    String reply_window_passed();

    @Message("The clinician or team in this conversation is no longer part of your care team here.")
    String reply_not_in_care_team();

    // why a clinician opened emergency access
    @Message("Life-threatening emergency")
    String reason_life_threatening();

    @Message("Urgent care; the patient cannot be asked")
    String reason_unable_to_consent();

    @Message("Urgent care; the patient's care team cannot be reached")
    String reason_care_team_unavailable();
}
