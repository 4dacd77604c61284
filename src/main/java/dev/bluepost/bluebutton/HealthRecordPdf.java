package dev.bluepost.bluebutton;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import dev.bluepost.messaging.PatientMessages;
import dev.bluepost.messaging.ThreadPresenter;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The patient's record as a PDF (OpenPDF, as the attestation worksheet: docs/adr/0017): the same
 * content as the printable page — the visit documents, then every conversation with its messages
 * and the attachments each one carries (name, type and size).
 */
final class HealthRecordPdf {

    private static final Font TITLE = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 15);
    private static final Font HEADING = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 12);
    private static final Font SUBHEADING = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10);
    private static final Font BODY = FontFactory.getFont(FontFactory.HELVETICA, 10);
    private static final Font META = FontFactory.getFont(FontFactory.HELVETICA, 9);

    /** One visit document as listed: its title and when it became available, in words. */
    record DocumentLine(String title, String available) {}

    /** One thread as printed: its heading, the line under it, its messages. */
    record ThreadBlock(String heading, String meta, List<ThreadPresenter.Line> lines) {}

    private HealthRecordPdf() {}

    static byte[] render(
            String patientName,
            String generated,
            List<DocumentLine> documents,
            List<ThreadBlock> threads,
            PatientMessages p,
            BlueButtonMessages b) {
        Document document = new Document(PageSize.LETTER, 54, 54, 54, 54);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            com.lowagie.text.pdf.PdfWriter.getInstance(document, out);
            document.addTitle(p.print_title(patientName));
            document.open();
            document.add(new Paragraph(p.print_title(patientName), TITLE));
            document.add(new Paragraph(p.printed_on(generated), META));
            document.add(heading(b.documents_heading()));
            if (documents.isEmpty()) {
                document.add(new Paragraph(b.documents_none(), BODY));
            }
            for (DocumentLine line : documents) {
                document.add(
                        new Paragraph(
                                "• "
                                        + line.title()
                                        + " — "
                                        + b.document_available(line.available()),
                                BODY));
            }
            document.add(heading(b.messages_heading()));
            if (threads.isEmpty()) {
                document.add(new Paragraph(p.print_none(), BODY));
            }
            for (ThreadBlock thread : threads) {
                Paragraph title = new Paragraph(thread.heading(), SUBHEADING);
                title.setSpacingBefore(10);
                document.add(title);
                document.add(new Paragraph(thread.meta(), META));
                for (ThreadPresenter.Line line : thread.lines()) {
                    Paragraph meta = new Paragraph(line.sender() + " · " + line.when(), SUBHEADING);
                    meta.setSpacingBefore(6);
                    document.add(meta);
                    if (line.retracted() != null) {
                        document.add(
                                new Paragraph(p.retracted_label() + " " + line.retracted(), META));
                    }
                    document.add(new Paragraph(line.text() == null ? "" : line.text(), BODY));
                    if (!line.files().isEmpty()) {
                        document.add(new Paragraph(b.attachments() + ":", META));
                        for (ThreadPresenter.FileLine file : line.files()) {
                            document.add(
                                    new Paragraph(
                                            "  • " + file.name() + " (" + file.description() + ")",
                                            META));
                        }
                    }
                }
            }
            document.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("could not render the health record PDF", e);
        }
        return out.toByteArray();
    }

    private static Paragraph heading(String text) {
        Paragraph heading = new Paragraph(text, HEADING);
        heading.setSpacingBefore(14);
        heading.setSpacingAfter(4);
        return heading;
    }
}
