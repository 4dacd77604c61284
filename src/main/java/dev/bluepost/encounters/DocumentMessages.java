package dev.bluepost.encounters;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the patient's visit documents pages (list, one document), in the reader's language.
 * {@code {documents:…}} in templates; Spanish in {@code messages/documents_es.properties}.
 */
@MessageBundle(value = "documents", locale = "en")
public interface DocumentMessages {

    @Message("Your visit documents")
    String title();

    @Message(
            "Summaries and other documents your care team made available after your visits. View them here, or download a copy to keep or to give to another provider.")
    String intro();

    @Message("No visit documents yet.")
    String none();

    @Message("Visit documents, newest first")
    String caption();

    @Message("Document")
    String col_document();

    @Message("Available to your care team")
    String col_available();

    @Message("Posted for you")
    String col_posted();

    @Message("Type")
    String col_type();

    @Message("Actions")
    String col_actions();

    @Message("Download")
    String download();

    @Message("Download {title}")
    String download_named(String title);

    @Message(
            "Opening and downloading documents is recorded in your record's access history. Keep downloaded files somewhere safe: they contain your health information.")
    String note();

    @Message("All visit documents")
    String all_documents();

    @Message("Available to your care team {available} · posted for you {posted}")
    String available_posted(String available, String posted);

    @Message("This document opens in another program: download it to read it.")
    String opens_elsewhere();

    @Message("EEE, MMM d, yyyy, h:mm a")
    String pattern_date_time();

    @Message("PDF")
    String type_pdf();

    @Message("Clinical document (XML)")
    String type_xml();

    @Message("Health record file (JSON)")
    String type_json();

    @Message("Text")
    String type_text();

    @Message("{bytes} bytes")
    String size_bytes(long bytes);

    @Message("{kb} KB")
    String size_kb(long kb);

    @Message("Choose the patient you are acting for first (Switch patient).")
    String error_choose_patient();
}
