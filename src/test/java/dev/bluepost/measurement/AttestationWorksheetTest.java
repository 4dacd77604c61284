package dev.bluepost.measurement;

import static org.assertj.core.api.Assertions.assertThat;

import com.lowagie.text.Document;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfWriter;
import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.EpMeasureReport.CehrtShare;
import dev.bluepost.measurement.engine.EpMeasureReport.Exclusion;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.measurement.engine.MeasurePolicies;
import dev.bluepost.measurement.engine.ReportingPeriod;
import dev.bluepost.measurement.engine.Threshold;
import io.quarkus.qute.i18n.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;

/**
 * The PDF attestation worksheet is laid out by the document's flow: no two words' boxes intersect on any page,
 * for a worksheet with a long name, long evidence and enough warnings to run over several pages (read back with
 * PDFBox's text positions). The checker itself is shown to find text drawn on top of other text.
 */
class AttestationWorksheetTest {

    @Test
    void shouldLayOutTheWorksheetWithoutOverlappingTextOnAnyPage() throws IOException {
        byte[] pdf = AttestationWorksheet.render(longWorksheet());
        java.nio.file.Files.write(
                java.nio.file.Path.of("target", "attestation-worksheet-long.pdf"),
                pdf); // for a look

        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages())
                    .as("the warnings run over more than one page")
                    .isGreaterThan(1);
            String text = new PDFTextStripper().getText(document);
            assertThat(text)
                    .contains(
                            "Meaningful Use attestation worksheet",
                            "Counting choices used",
                            "Exclusions",
                            "Warnings",
                            "Maria-Guadalupe Fernández-Castellanos de la Vega",
                            "Messages to a shared inbox",
                            "Only the provider it was routed or assigned to (default)",
                            "No office visits in the period")
                    .doesNotContain("poolAttribution", "NO_OFFICE_VISITS", "measures.md");
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                assertThat(overlaps(document, page))
                        .as("overlapping words on page %d", page)
                        .isEmpty();
            }
        }
    }

    @Test
    void shouldFindTextDrawnOverOtherText() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.LETTER);
        PdfWriter writer = PdfWriter.getInstance(document, out);
        document.open();
        document.add(
                new Paragraph("Text that flows", FontFactory.getFont(FontFactory.HELVETICA, 10)));
        PdfContentByte canvas = writer.getDirectContent();
        canvas.beginText();
        canvas.setFontAndSize(
                BaseFont.createFont(BaseFont.HELVETICA_BOLD, BaseFont.WINANSI, false), 11);
        canvas.showTextAligned(
                PdfContentByte.ALIGN_LEFT, "A heading placed by position", document.left(), 400, 0);
        canvas.setFontAndSize(BaseFont.createFont(BaseFont.HELVETICA, BaseFont.WINANSI, false), 10);
        canvas.showTextAligned(
                PdfContentByte.ALIGN_LEFT,
                "a table cell drawn over it",
                document.left() + 30,
                397,
                0);
        canvas.endText();
        document.close();

        try (PDDocument pdf = Loader.loadPDF(out.toByteArray())) {
            assertThat(overlaps(pdf, 1)).isNotEmpty();
        }
    }

    // ------------------------------------------------------------------

    /** A glyph on a page and the box it covers (PDF points, y grows downwards). */
    private record Box(String text, float left, float top, float right, float bottom) {

        boolean intersects(Box o) {
            float slack = 0.5f; // neighbouring letters of a word touch; that is no overlap
            return left + slack < o.right
                    && o.left + slack < right
                    && top + slack < o.bottom
                    && o.top + slack < bottom;
        }
    }

    /** Every pair of glyphs on the page whose boxes intersect (none where text flows without overlapping). */
    private static List<String> overlaps(PDDocument document, int page) throws IOException {
        List<Box> glyphs = new ArrayList<>();
        PDFTextStripper stripper =
                new PDFTextStripper() {
                    @Override
                    protected void processTextPosition(TextPosition p) {
                        if (!p.getUnicode().isBlank()) {
                            glyphs.add(
                                    new Box(
                                            p.getUnicode(),
                                            p.getXDirAdj(),
                                            p.getYDirAdj() - p.getHeightDir(),
                                            p.getXDirAdj() + p.getWidthDirAdj(),
                                            p.getYDirAdj()));
                        }
                        super.processTextPosition(p);
                    }
                };
        stripper.setSuppressDuplicateOverlappingText(false);
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        stripper.getText(document);
        assertThat(glyphs).as("text on page %d", page).isNotEmpty();
        List<String> found = new ArrayList<>();
        for (int i = 0; i < glyphs.size(); i++) {
            for (int j = i + 1; j < glyphs.size(); j++) {
                Box a = glyphs.get(i);
                Box b = glyphs.get(j);
                if (a.intersects(b)) {
                    found.add(
                            "'"
                                    + a.text()
                                    + "' at ("
                                    + a.left()
                                    + ", "
                                    + a.bottom()
                                    + ") and '"
                                    + b.text()
                                    + "' at ("
                                    + b.left()
                                    + ", "
                                    + b.bottom()
                                    + ")");
                }
            }
        }
        return found;
    }

    private static AttestationWorksheet.Content longWorksheet() {
        ComplianceMessages words = english();
        ReportingPeriod period =
                new ReportingPeriod(LocalDate.of(2014, 4, 1), LocalDate.of(2014, 6, 30));
        String longName =
                "Dr. Maria-Guadalupe Fernández-Castellanos de la Vega y Montenegro-Villanueva, MD, MPH, FAAFP";
        List<Exclusion> exclusions =
                List.of(
                        new Exclusion(
                                "NO_OFFICE_VISITS",
                                false,
                                "412 office visit(s) with the EP in the period"),
                        new Exclusion(
                                "BROADBAND",
                                false,
                                "3 of 412 encounter(s) in counties where less than 50 % of housing units have 3 Mbps "
                                        + "broadband (FCC data set as of 2014-03-31, the latest available on 2014-04-01); counties: "
                                        + "NY/Saint Lawrence County ×2; NY/Hamilton County ×1; no broadband data for: NY/Essex County, NY/Franklin County"));
        List<String> warnings = new ArrayList<>();
        for (int i = 1; i <= 70; i++) {
            warnings.add(
                    "Warning "
                            + i
                            + ": the reporting period is a calendar quarter for returning Medicare providers or any 90 "
                            + "consecutive days for first-year providers; check which applies to this provider before attesting.");
        }
        Map<UUID, EpMeasureReport.PatientEntry> none = new LinkedHashMap<>();
        EpMeasureReport report =
                new EpMeasureReport(
                        MeasureId.SM_S2,
                        period,
                        UUID.randomUUID(),
                        "1234567893",
                        longName,
                        none,
                        none,
                        none,
                        none,
                        412,
                        Threshold.moreThanPercent(5),
                        true,
                        false,
                        exclusions,
                        new CehrtShare(400, 412, true),
                        warnings,
                        MeasurePolicies.defaults().asMap(),
                        Instant.parse("2014-07-02T14:03:00Z"));
        CompliancePage.Heading heading =
                new CompliancePage.Heading(
                        CompliancePage.measureTitle(MeasureId.SM_S2, words),
                        "Apr 1, 2014 to Jun 30, 2014",
                        CompliancePage.threshold(report.threshold(), words),
                        "Apr 1, 2014",
                        "Jun 30, 2014");
        List<CompliancePage.ExclusionRow> exclusionRows =
                exclusions.stream()
                        .map(
                                e ->
                                        new CompliancePage.ExclusionRow(
                                                CompliancePage.exclusionLabel(e.code(), words),
                                                e.eligible(),
                                                e.evidence()))
                        .toList();
        return new AttestationWorksheet.Content(
                report,
                words,
                heading.measure(),
                heading,
                CompliancePage.epRow(report, words),
                exclusionRows,
                CompliancePage.flags(MeasurePolicies.defaults(), words),
                warnings,
                "Riverbend Family Medicine and Community Health Partners of the North Country, a Professional Corporation",
                "Wed, Jul 2, 2014, 10:03 AM",
                new CompliancePage.Freshness("Wed, Jul 2, 2014, 10:03 AM", true, 0));
    }

    /** The English bundle without a running application: each method answers its {@code @Message} with the arguments filled in. */
    private static ComplianceMessages english() {
        return (ComplianceMessages)
                Proxy.newProxyInstance(
                        ComplianceMessages.class.getClassLoader(),
                        new Class<?>[] {ComplianceMessages.class},
                        (proxy, method, args) -> {
                            if (method.getDeclaringClass() == Object.class) {
                                return method.invoke(proxy, args);
                            }
                            return fill(method, args);
                        });
    }

    private static String fill(Method method, Object[] args) {
        String text = method.getAnnotation(Message.class).value();
        if (args != null) {
            for (int i = 0; i < args.length; i++) {
                text =
                        text.replace(
                                "{" + method.getParameters()[i].getName() + "}",
                                String.valueOf(args[i]));
            }
        }
        return text;
    }
}
