package dev.bluepost.messaging.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.testing.SampleFiles;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileSnifferTest {

    @Test
    void shouldRecognizeJpegPngAndPdfFromTheirBytes() {
        assertThat(FileSniffer.sniff(SampleFiles.jpeg()).type()).isEqualTo(FileType.JPEG);
        assertThat(FileSniffer.sniff(SampleFiles.png()).type()).isEqualTo(FileType.PNG);
        assertThat(FileSniffer.sniff(SampleFiles.pdf("x")).type()).isEqualTo(FileType.PDF);
    }

    @Test
    void shouldRefuseExecutablesAndSayWhatTheyAre() {
        assertThat(FileSniffer.sniff(SampleFiles.windowsExecutable()).refused())
                .isEqualTo(FileSniffer.Refused.WINDOWS_PROGRAM);
        assertThat(FileSniffer.sniff(SampleFiles.windowsExecutable()).refusedAs())
                .contains("Windows program");
        assertThat(FileSniffer.sniff(SampleFiles.elfExecutable()).refusedAs())
                .contains("Linux program");
        assertThat(FileSniffer.sniff(SampleFiles.shellScript()).refusedAs()).contains("script");
        assertThat(
                        FileSniffer.sniff(
                                        new byte[] {
                                            (byte) 0xCF,
                                            (byte) 0xFA,
                                            (byte) 0xED,
                                            (byte) 0xFE,
                                            7,
                                            0,
                                            0,
                                            1
                                        })
                                .refusedAs())
                .contains("macOS program");
    }

    @Test
    void shouldRefuseArchivesIncludingZipBombs() {
        assertThat(FileSniffer.sniff(SampleFiles.zipBomb()).refusedAs()).contains("ZIP archive");
        assertThat(FileSniffer.sniff(new byte[] {0x1F, (byte) 0x8B, 8, 0}).refusedAs())
                .contains("gzip");
        assertThat(
                        FileSniffer.sniff(
                                        new byte[] {
                                            '7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C, 0
                                        })
                                .refusedAs())
                .contains("7-Zip");
        assertThat(
                        FileSniffer.sniff(
                                        "Rar!\u001A\u0007\u0000"
                                                .getBytes(StandardCharsets.ISO_8859_1))
                                .refusedAs())
                .contains("RAR");
    }

    @Test
    void shouldRefuseMarkupThatCanCarryScripts() {
        assertThat(FileSniffer.sniff(SampleFiles.html()).refusedAs()).contains("web page");
        assertThat(FileSniffer.sniff(SampleFiles.svg()).refusedAs()).contains("SVG");
        assertThat(
                        FileSniffer.sniff(
                                        "\uFEFF  <svg onload=alert(1)>"
                                                .getBytes(StandardCharsets.UTF_8))
                                .accepted())
                .isFalse();
    }

    @Test
    void shouldRefuseUnknownContentAndBareSignatures() {
        assertThat(
                        FileSniffer.sniff("just some text".getBytes(StandardCharsets.US_ASCII))
                                .refusedAs())
                .isEqualTo("not a JPEG or PNG image or a PDF document");
        assertThat(FileSniffer.sniff(new byte[0]).accepted()).isFalse();
        byte[] signatureOnly = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 1, 2, 3};
        assertThat(FileSniffer.sniff(signatureOnly).refusedAs()).contains("damaged PNG");
        assertThat(FileSniffer.sniff(" %PDF-1.7".getBytes(StandardCharsets.US_ASCII)).accepted())
                .isFalse();
    }
}
