package dev.bluepost.measurement;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.Threshold;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The PDF attestation worksheet of one EP for one measure and period (OpenPDF, ADR 0017), in the reader's
 * language: period, measure, numerator, denominator, percentage, threshold and result, exclusions with their
 * evidence, the CEHRT-location test, every counting choice (policy flag) in force, the period warnings, the
 * generation time and up to when the messages are counted. Counts only: no patient names.
 * <p>
 * Everything is flowed by the document (paragraphs and tables with spacing before and after, no absolute
 * positions), so a long name or a long list moves what follows instead of overlapping it.
 */
final class AttestationWorksheet {

    /** What the worksheet shows, in words already chosen for the reader. */
    record Content(
            EpMeasureReport report,
            ComplianceMessages words,
            String measureTitle,
            CompliancePage.Heading heading,
            CompliancePage.EpRow row,
            List<CompliancePage.ExclusionRow> exclusions,
            List<CompliancePage.Flag> flags,
            List<String> warnings,
            String practiceName,
            String generatedAt,
            CompliancePage.Freshness freshness) {}

    private static final Font TITLE = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 15);
    private static final Font HEADING = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 11);
    private static final Font BODY = FontFactory.getFont(FontFactory.HELVETICA, 10);
    private static final Font LABEL = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10);

    private AttestationWorksheet() {}

    static byte[] render(Content c) {
        EpMeasureReport r = c.report();
        ComplianceMessages w = c.words();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.LETTER, 54, 54, 54, 54);
        try {
            PdfWriter.getInstance(document, out);
            document.addTitle(w.pdf_title() + " " + r.measure().id() + " " + r.npi());
            document.addCreator("Bluepost");
            document.open();
            Paragraph title = new Paragraph(w.pdf_title(), TITLE);
            title.setSpacingAfter(4);
            document.add(title);
            Paragraph subtitle = new Paragraph(c.measureTitle(), BODY);
            subtitle.setSpacingAfter(10);
            document.add(subtitle);

            PdfPTable facts = table(2, new float[] {1.3f, 2.7f});
            row(facts, w.pdf_ep(), r.name() + " (" + w.npi(r.npi()) + ")");
            row(facts, w.pdf_practice(), c.practiceName());
            row(facts, w.pdf_measure(), r.measure().id() + ": " + c.measureTitle());
            row(facts, w.pdf_period(), w.pdf_period_value(c.heading().from(), c.heading().to()));
            row(facts, w.pdf_numerator(), Long.toString(r.numeratorCount()));
            row(facts, w.pdf_denominator(), Long.toString(r.denominatorCount()));
            row(facts, w.col_percent(), w.pdf_percent_value(r.percent()));
            row(facts, w.row_threshold(), c.heading().threshold());
            row(facts, w.col_result(), c.row().result());
            if (r.notAvailable() != null) {
                row(
                        facts,
                        w.row_not_available(),
                        w.not_available_reason()
                                + " "
                                + w.timely_access(
                                        r.notAvailable().timelyAccess(), r.denominatorCount()));
            }
            if (r.threshold().kind() == Threshold.Kind.FULLY_ENABLED) {
                row(facts, w.row_fully_enabled(), r.fullyEnabled() ? w.met() : w.not_met());
            }
            row(facts, w.row_office_visits(), Long.toString(r.officeVisits()));
            row(
                    facts,
                    w.row_cehrt(),
                    c.row().cehrt() + (c.row().cehrtTooLow() ? " — " + w.cehrt_too_low() : ""));
            row(facts, w.pdf_generated(), c.generatedAt());
            row(
                    facts,
                    w.row_counted_up_to(),
                    c.freshness().complete()
                            ? c.freshness().countedUpTo()
                            : w.pdf_pending(c.freshness().countedUpTo()));
            document.add(facts);

            if (!c.exclusions().isEmpty()) {
                document.add(heading(w.pdf_exclusions()));
                PdfPTable exclusions = table(3, new float[] {1.4f, 0.9f, 2.7f});
                header(exclusions, w.col_exclusion(), w.col_eligible(), w.col_evidence());
                for (CompliancePage.ExclusionRow e : c.exclusions()) {
                    exclusions.addCell(cell(e.label(), BODY));
                    exclusions.addCell(cell(e.eligible() ? w.eligible() : w.not_eligible(), BODY));
                    exclusions.addCell(cell(e.evidence(), BODY));
                }
                document.add(exclusions);
            }

            document.add(heading(w.pdf_flags()));
            PdfPTable flags = table(2, new float[] {1.6f, 2.4f});
            for (CompliancePage.Flag flag : c.flags()) {
                row(flags, flag.label(), flag.chosen());
            }
            document.add(flags);
            if (!c.warnings().isEmpty()) {
                document.add(heading(w.pdf_warnings()));
                for (String warning : c.warnings()) {
                    Paragraph p = new Paragraph("• " + warning, BODY);
                    p.setIndentationLeft(10);
                    p.setFirstLineIndent(-8);
                    p.setSpacingAfter(3);
                    document.add(p);
                }
            }
            document.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("the worksheet could not be written", e);
        }
        return out.toByteArray();
    }

    private static Paragraph heading(String text) {
        Paragraph heading = new Paragraph(text, HEADING);
        heading.setSpacingBefore(14);
        heading.setSpacingAfter(10);
        heading.setKeepTogether(true);
        return heading;
    }

    private static PdfPTable table(int columns, float[] widths) throws DocumentException {
        PdfPTable table = new PdfPTable(columns);
        table.setWidthPercentage(100);
        table.setWidths(widths);
        table.setSpacingBefore(4);
        table.setSpacingAfter(6);
        table.setHeaderRows(0);
        return table;
    }

    private static void header(PdfPTable table, String... labels) {
        for (String label : labels) {
            table.addCell(cell(label, LABEL));
        }
        table.setHeaderRows(1);
    }

    private static void row(PdfPTable table, String label, String value) {
        table.addCell(cell(label, LABEL));
        table.addCell(cell(value == null ? "" : value, BODY));
    }

    private static PdfPCell cell(String text, Font font) {
        PdfPCell cell = new PdfPCell(new Phrase(text, font));
        cell.setPadding(4);
        cell.setPaddingBottom(6);
        cell.setUseAscender(true);
        cell.setUseDescender(true);
        return cell;
    }
}
