package dev.bluepost.bluebutton;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the patient's download and transmit pages (the history page, the send page, the
 * printable page and the PDF), in the reader's language. {@code {bluebutton:…}} in templates;
 * Spanish in {@code messages/bluebutton_es.properties}.
 */
@MessageBundle(value = "bluebutton", locale = "en")
public interface BlueButtonMessages {

    @Message("{#if documents == 1}1 visit document{#else}{documents} visit documents{/if}.")
    String documents_summary(int documents);

    @Message(
            "The file has everything you can see here: your messages with their attachments, your visit documents, and the care team members and practice they mention. It uses FHIR, a standard format other providers and health apps can read.")
    String fhir_hint();

    @Message("PDF")
    String pdf();

    @Message("The same as the printable page, as a PDF file to keep or to send yourself.")
    String pdf_hint();

    @Message("Send a copy to someone else")
    String send_heading();

    @Message(
            "Send your health information to another provider, a health app or a person you choose.")
    String send_hint();

    @Message("Send a copy")
    String send_link();

    @Message("What you sent")
    String sent_heading();

    @Message("You have not sent your health information to anyone yet.")
    String sent_none();

    @Message("What you sent, newest first")
    String sent_caption();

    @Message("What")
    String col_what();

    @Message("To")
    String col_to();

    @Message("How")
    String col_how();

    @Message("When")
    String col_when();

    @Message("Outcome")
    String col_outcome();

    @Message("Everything: messages, attachments and visit documents")
    String what_record();

    @Message("Visit document: {title}")
    String what_document(String title);

    @Message("A visit document")
    String what_document_gone();

    @Message("Direct secure message")
    String how_direct();

    @Message("Ordinary e-mail")
    String how_email();

    @Message("Sent")
    String outcome_sent();

    @Message("Not sent: the receiving system refused it. Check the address and try again.")
    String outcome_relay_refused();

    @Message("Not sent: the secure messaging service could not be reached. Try again later.")
    String outcome_relay_unreachable();

    @Message("Not sent: the mail server did not accept it. Try again later.")
    String outcome_mail_refused();

    @Message("Sent. It is listed under \"What you sent\".")
    String sent_done();

    @Message("It was not sent. The reason is listed under \"What you sent\".")
    String sent_failed();

    // the send page

    @Message("Send your health information")
    String send_title();

    @Message(
            "Send a copy of your health information to another provider, a health app or a person you choose. We record what you send, to whom and when; only you see the address.")
    String send_intro();

    @Message("What to send")
    String field_what();

    @Message("Address to send to")
    String field_address();

    @Message("Send by Direct secure message")
    String direct_heading();

    @Message(
            "Direct is the secure way providers and health apps exchange health information. The copy is signed by your practice and locked so that only the receiver can open it.")
    String direct_hint();

    @Message(
            "A Direct address looks like an e-mail address, for example referrals@direct.clinic.example. Ask the receiver for theirs.")
    String direct_address_hint();

    @Message("Send securely")
    String direct_submit();

    @Message(
            "Your practice has not set up Direct secure messaging, so you can only send by ordinary e-mail.")
    String direct_unavailable();

    @Message("Send by ordinary e-mail")
    String email_heading();

    @Message("Use this only when the receiver has no Direct address.")
    String email_hint();

    @Message("Send by e-mail")
    String email_open();

    @Message(
            "E-mail is not secure. Once it leaves Bluepost, your health information can be read by anyone who can open that mailbox and by the e-mail services it passes through. We cannot take it back.")
    String email_warning();

    @Message("I understand, send it by e-mail")
    String email_confirm();

    @Message("Back to download and send")
    String back();

    // refusals

    @Message("Enter the address to send to.")
    String error_address_missing();

    @Message("Enter an address like name@example.org.")
    String error_address_format();

    @Message(
            "We cannot send securely to this Direct address: your practice has no trusted certificate for it. Check the address with the receiver, or ask your practice to add it.")
    String error_no_certificate();

    @Message("Your practice has not set up Direct secure messaging.")
    String error_direct_unavailable();

    @Message("Confirm that you understand e-mail is not secure before sending.")
    String error_confirm();

    @Message("Choose what to send.")
    String error_what();

    @Message("There is nothing to send yet: you have no messages or visit documents.")
    String error_nothing();

    // the printable page and the PDF

    @Message("Attachments")
    String attachments();

    @Message("Visit documents")
    String documents_heading();

    @Message("No visit documents.")
    String documents_none();

    @Message("Available {date}")
    String document_available(String date);

    @Message("Messages")
    String messages_heading();

    @Message("Health information sent at a patient's request")
    String mail_subject();

    @Message(
            "This is a copy of health information that a patient asked Bluepost to send to you. The file is attached.")
    String mail_note();

    @Message(
            "Not confirmed: the sending was interrupted. Ask the recipient whether it arrived, or send it again.")
    String outcome_unconfirmed();
}
