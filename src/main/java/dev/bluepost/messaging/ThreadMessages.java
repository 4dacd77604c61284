package dev.bluepost.messaging;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of a conversation as the patient's and the staff's pages show it ({@link ThreadPresenter}):
 * who wrote a message, when, whether it was opened, message types, why replies are closed, and the
 * date patterns ({@link java.time.format.DateTimeFormatter} patterns, in the language's own order); and the
 * refusals of messaging ({@link MessageSending#said}, {@link AttachmentProblem}), whose English is also the
 * APIs' detail and the log's words, so it is kept as clients know it.
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

    @Message(
            "Our on-call team answers urgent messages around the clock, also when the office is closed: expect an answer by {when}")
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

    @Message(
            "Replies are accepted for a limited time after the last message, and that time has passed.")
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

    // refusals of a message (MessageSending, DraftService, ThreadActions): the English is the APIs'
    // detail too
    @Message("Start a new message instead.")
    String error_start_new();

    @Message("The message text is empty.")
    String error_text_empty();

    @Message(
            "The message text is {bytes} bytes; the limit is {limit} bytes. Shorten it, or send the rest as another message.")
    String error_text_too_long(int bytes, int limit);

    @Message(
            "The message text is not valid UTF-8: some of its bytes are not text. Send it again from a program that writes UTF-8.")
    String error_text_not_utf8();

    @Message("The message text contains characters that are not valid text.")
    String error_text_not_text();

    @Message(
            "The subject is not valid UTF-8: some of its bytes are not text. Send it again from a program that writes UTF-8.")
    String error_subject_not_utf8();

    @Message("The subject is longer than {max} characters.")
    String error_subject_long(int max);

    @Message("The subject must be one line of text.")
    String error_subject_one_line();

    @Message("A message needs at least one recipient.")
    String error_no_recipient();

    @Message("The recipient {recipient} is not known (or not related to the message's subject).")
    String error_recipient_unknown(String recipient);

    @Message(
            "The recipient {recipient} is not part of the patient's care team (their practice's pools and practitioners, the practitioners who saw them, or those already in the thread).")
    String error_recipient_not_care_team(String recipient);

    @Message("A patient's message goes to a practitioner or a care team (CareTeam).")
    String error_patient_message_recipient();

    @Message(
            "'{category}' is not a message category of https://fhir.bluepost.dev/CodeSystem/message-category.")
    String error_category(String category);

    @Message("Priority must be routine, urgent, asap or stat.")
    String error_priority();

    @Message("The message's subject differs from the patient of its thread.")
    String error_thread_patient();

    @Message("A correction follows a message its sender retracted in the same thread.")
    String error_correction();

    @Message("inResponseTo must name a message of the same thread.")
    String error_in_response_to();

    @Message(
            "No practice can be determined for this message: set Patient.managingOrganization, or address a CareTeam of the practice.")
    String error_no_practice();

    @Message("Staff send messages as a practitioner of their practice.")
    String error_staff_sender();

    @Message("This role cannot send messages.")
    String error_role_cannot_send();

    @Message("The sender RelatedPerson does not act for the message's subject.")
    String error_proxy_not_for_patient();

    @Message("The sender RelatedPerson's authorization is not in force at the time sent.")
    String error_proxy_authorization();

    @Message("There is nothing to save yet.")
    String error_nothing_to_save();

    @Message("Drafts belong to a person's login.")
    String error_drafts_need_login();

    @Message("Only the care team closes conversations.")
    String error_close_care_team();

    @Message("Only the patient decides which conversations are hidden from proxies.")
    String error_sensitive_patient();

    @Message("Only the sender can retract a message.")
    String error_retract_sender();

    @Message("This message was already retracted.")
    String error_retracted_already();

    @Message("Give a reason for retracting the message (at most {max} characters).")
    String error_retract_reason(int max);

    @Message("Choose the patient you are acting for first (Switch patient).")
    String error_choose_patient();

    @Message("The download is the patient's own history.")
    String error_history_own();

    // refusals of an attached file (AttachmentProblem): a file is named by its position, never by
    // its name
    @Message("The attachment")
    String file_the_attachment();

    @Message("Attachment {number}")
    String file_attachment(int number);

    @Message(
            "A message can carry at most {max} attachments; this one has {count}. Send the others in another message.")
    String error_files_too_many(int max, int count);

    @Message("{which} is empty (0 bytes). Choose the file again, or another file.")
    String error_file_empty(String which);

    @Message(
            "{which} is {size}; the limit is {limit} per file. Attach a smaller file (a photo can be taken at a lower resolution).")
    String error_file_too_large(String which, String size, String limit);

    @Message(
            "The attachments add up to {total}; the limit is {limit} per message. Send some of them in another message.")
    String error_files_too_much(String total, String limit);

    @Message(
            "{which} is {kind}, which cannot be attached. Attach JPEG or PNG images and PDF documents only (what a file is was checked from its content, not its name).")
    String error_file_not_accepted(String which, String kind);

    @Message(
            "{which} is named as {named} (.{extension}) but its content is {type}. Rename it to end in .{rename}, or choose the right file.")
    String error_file_named_as(
            String which, String named, String extension, String type, String rename);

    @Message("{which} is declared as {declared} but its content is {type} ({mediaType}).")
    String error_file_declared_as(String which, String declared, String type, String mediaType);

    @Message(
            "{which} is a PDF document that contains {active}, which is not accepted. Print it to a new PDF (\u201cSave as PDF\u201d) and attach that.")
    String error_file_pdf_active(String which, String active);

    @Message(
            "{which} is a PDF document that could not be checked for active content (it may be damaged or password-protected). Save it as a new PDF without a password and attach that.")
    String error_file_pdf_uncheckable(String which);

    @Message("a .{extension} file")
    String file_named_extension(String extension);

    @Message("a JPEG image")
    String file_type_jpeg();

    @Message("a PNG image")
    String file_type_png();

    @Message("a PDF document")
    String file_type_pdf();

    @Message("a damaged PNG image")
    String file_kind_damaged_png();

    @Message("a Windows program")
    String file_kind_windows_program();

    @Message("a Linux program")
    String file_kind_linux_program();

    @Message("a script (a program)")
    String file_kind_script();

    @Message("a macOS program")
    String file_kind_macos_program();

    @Message("a macOS or Java program")
    String file_kind_macos_or_java_program();

    @Message("an older Microsoft Office file (which can carry macros)")
    String file_kind_old_office_file();

    @Message("an Android program")
    String file_kind_android_program();

    @Message("a ZIP archive (compressed files, which includes Word and Excel files)")
    String file_kind_zip_archive();

    @Message("a gzip archive (compressed data)")
    String file_kind_gzip_archive();

    @Message("a 7-Zip archive (compressed files)")
    String file_kind_seven_zip_archive();

    @Message("a RAR archive (compressed files)")
    String file_kind_rar_archive();

    @Message("a bzip2 archive (compressed data)")
    String file_kind_bzip2_archive();

    @Message("an xz archive (compressed data)")
    String file_kind_xz_archive();

    @Message("a Zstandard archive (compressed data)")
    String file_kind_zstandard_archive();

    @Message("a Windows cabinet archive")
    String file_kind_cabinet_archive();

    @Message("a tar archive")
    String file_kind_tar_archive();

    @Message("a web page, SVG or XML document (which can carry scripts)")
    String file_kind_markup();

    @Message("not a JPEG or PNG image or a PDF document")
    String file_kind_other();

    @Message("JavaScript")
    String pdf_active_javascript();

    @Message("an action that starts a program")
    String pdf_active_launch();

    @Message("embedded files")
    String pdf_active_embedded_files();

    @Message("rich media (Flash)")
    String pdf_active_rich_media();
}
