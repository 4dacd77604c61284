package dev.bluepost.messaging.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.testing.SampleFiles;
import org.junit.jupiter.api.Test;

class PdfActiveContentTest {

    @Test
    void shouldPassAPlainPdf() {
        assertThat(PdfActiveContent.check(SampleFiles.pdf("Lab results")).clean()).isTrue();
    }

    @Test
    void shouldFindJavaScriptEvenWhenItsNameIsEscaped() {
        assertThat(PdfActiveContent.check(SampleFiles.pdfWithJavaScript("/JavaScript")).active())
                .isEqualTo("JavaScript");
        assertThat(PdfActiveContent.check(SampleFiles.pdfWithJavaScript("/J#61vaScript")).active())
                .isEqualTo("JavaScript");
    }

    @Test
    void shouldFindLaunchActions() {
        assertThat(PdfActiveContent.check(SampleFiles.pdfWithLaunchAction()).active())
                .contains("starts a program");
        assertThat(PdfActiveContent.check(SampleFiles.pdfWithLaunchAction()).found())
                .isEqualTo(PdfActiveContent.Active.LAUNCH);
    }

    @Test
    void shouldFindJavaScriptInsideCompressedObjectStreams() {
        assertThat(PdfActiveContent.check(SampleFiles.pdfWithJavaScriptInObjectStream()).active())
                .isEqualTo("JavaScript");
    }

    @Test
    void shouldReportObjectStreamsItCannotReadAsUncheckable() {
        assertThat(
                        PdfActiveContent.check(SampleFiles.pdfWithUncheckableObjectStream())
                                .uncheckable())
                .isTrue();
    }

    @Test
    void shouldNotMistakeLongerNamesForActiveOnes() {
        byte[] pdf = SampleFiles.pdf("x");
        String text =
                new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .replace("/Helvetica", "/JSFont /LaunchPad /JavaScripture");
        assertThat(
                        PdfActiveContent.check(
                                        text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                                .clean())
                .isTrue();
    }
}
