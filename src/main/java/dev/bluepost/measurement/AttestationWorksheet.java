package dev.bluepost.measurement;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import dev.bluepost.measurement.engine.EpMeasureReport;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * The PDF attestation worksheet of one EP for one measure and period (OpenPDF, ADR 0017): period,
 * measure, numerator, denominator, percentage, threshold and result, exclusions with their evidence,
 * the CEHRT-location test, every policy flag in force, the period warnings, the generation time and up to
 * when the messages are counted.
 * Counts only: no patient names.
 */
final class AttestationWorksheet {

    private AttestationWorksheet() {
    }

    static byte[] render(EpMeasureReport r, String practiceName, CompliancePage.Freshness freshness) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.LETTER, 54, 54, 54, 54);
        try {
            PdfWriter.getInstance(document, out);
            document.addTitle("Attestation worksheet " + r.measure().id() + " " + r.npi());
            document.addCreator("Bluepost");
            document.open();
            Font title = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 15);
            Font heading = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 11);
            Font body = FontFactory.getFont(FontFactory.HELVETICA, 10);
            document.add(new Paragraph("Meaningful Use attestation worksheet", title));
            document.add(new Paragraph(r.measure().title(), body));
            document.add(new Paragraph(" ", body));
            PdfPTable facts = new PdfPTable(2);
            facts.setWidthPercentage(100);
            facts.setWidths(new float[]{1.2f, 2.8f});
            cell(facts, "Eligible professional", r.name(), body);
            cell(facts, "NPI", r.npi(), body);
            cell(facts, "Practice", practiceName, body);
            cell(facts, "Measure", r.measure().id(), body);
            cell(facts, "EHR reporting period", r.period().start() + " to " + r.period().end() + " (both days included, practice time zone)", body);
            cell(facts, "Numerator", Long.toString(r.numeratorCount()), body);
            cell(facts, "Denominator", Long.toString(r.denominatorCount()), body);
            cell(facts, "Percentage", r.percent() + " (display only; met/not met by exact comparison)", body);
            cell(facts, "Threshold", r.threshold().label(), body);
            cell(facts, "Result", r.thresholdMet() ? "MET" : r.notAvailable() != null ? "NOT MET (not available)" : "NOT MET", body);
            if (r.notAvailable() != null) {
                cell(facts, "Not available", r.notAvailable().reason() + " " + r.notAvailable().timelyAccess() + " of the "
                        + r.denominatorCount() + " patients were given timely access to view and download their information (not counted).", body);
            }
            if (r.threshold().kind() == dev.bluepost.measurement.engine.Threshold.Kind.FULLY_ENABLED) {
                cell(facts, "Fully enabled", r.fullyEnabled() ? "yes" : "no", body);
            }
            cell(facts, "CEHRT locations", r.cehrt().cehrtEncounters() + " of " + r.cehrt().encounters() + " patient encounters ("
                    + r.cehrt().percent() + ")" + (r.cehrt().eligible() ? "" : " — INELIGIBLE_CEHRT_LOCATION_SHARE"), body);
            cell(facts, "Generated at", r.asOf().toString(), body);
            cell(facts, "Messages counted up to", freshness.countedUpTo() + (freshness.complete() ? ""
                    : " — " + freshness.pending() + "; print the worksheet again in a few seconds"), body);
            document.add(facts);

            document.add(new Paragraph("Exclusions (claimed by the EP at attestation, never applied automatically)", heading));
            PdfPTable exclusions = new PdfPTable(3);
            exclusions.setWidthPercentage(100);
            exclusions.setWidths(new float[]{1.3f, 0.7f, 3f});
            for (EpMeasureReport.Exclusion e : r.exclusions()) {
                exclusions.addCell(new Paragraph(e.code(), body));
                exclusions.addCell(new Paragraph(e.eligible() ? "eligible" : "not eligible", body));
                exclusions.addCell(new Paragraph(e.evidence(), body));
            }
            document.add(exclusions);

            document.add(new Paragraph("Policy flags in force", heading));
            PdfPTable flags = new PdfPTable(2);
            flags.setWidthPercentage(100);
            for (Map.Entry<String, String> flag : r.policies().entrySet()) {
                cell(flags, flag.getKey(), flag.getValue(), body);
            }
            document.add(flags);
            if (!r.warnings().isEmpty()) {
                document.add(new Paragraph("Warnings", heading));
                for (String warning : r.warnings()) {
                    document.add(new Paragraph("• " + warning, body));
                }
            }
            document.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("the worksheet could not be written", e);
        }
        return out.toByteArray();
    }

    private static void cell(PdfPTable table, String label, String value, Font font) {
        table.addCell(new Paragraph(label, font));
        table.addCell(new Paragraph(value == null ? "" : value, font));
    }
}
