package dev.bluepost.messaging.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void shouldStripPaths() {
        assertThat(FileNames.sanitize("../../etc/passwd", FileType.PDF)).isEqualTo("passwd.pdf");
        assertThat(FileNames.sanitize("C:\\x\\y.pdf", FileType.PDF)).isEqualTo("y.pdf");
        assertThat(FileNames.sanitize("/home/me/scan.PDF", FileType.PDF)).isEqualTo("scan.pdf");
    }

    @Test
    void shouldRemoveControlAndBidiCharacters() {
        // "photo<RLO>gpj.exe" displays as "photoexe.jpg"
        assertThat(FileNames.sanitize("photo\u202Egpj.exe", FileType.JPEG))
                .isEqualTo("photogpj.exe.jpg");
        assertThat(FileNames.sanitize("a\u0000b\u0007c\r\n.png", FileType.PNG))
                .isEqualTo("abc.png");
        assertThat(FileNames.sanitize("zero\u200Bwidth\uFEFF.pdf", FileType.PDF))
                .isEqualTo("zerowidth.pdf");
    }

    @Test
    void shouldReplaceCharactersWindowsForbidsAndTrimDots() {
        assertThat(FileNames.sanitize("what?*<is>|this\".pdf", FileType.PDF))
                .isEqualTo("what___is__this_.pdf");
        assertThat(FileNames.sanitize("...hidden.", FileType.PNG)).isEqualTo("hidden.png");
        assertThat(FileNames.sanitize("  lots   of   space  .jpg", FileType.JPEG))
                .isEqualTo("lots of space.jpg");
    }

    @Test
    void shouldAvoidReservedDeviceNames() {
        assertThat(FileNames.sanitize("CON.pdf", FileType.PDF)).isEqualTo("file-CON.pdf");
        assertThat(FileNames.sanitize("nul", FileType.PNG)).isEqualTo("file-nul.png");
        assertThat(FileNames.sanitize("lpt1.txt.pdf", FileType.PDF)).isEqualTo("file-lpt1.txt.pdf");
    }

    @Test
    void shouldKeepAnExtensionOfTheDetectedTypeAndLimitLength() {
        assertThat(FileNames.sanitize("IMG_0042.JPEG", FileType.JPEG)).isEqualTo("IMG_0042.jpeg");
        assertThat(FileNames.sanitize("Dr.Smith letter", FileType.PDF))
                .isEqualTo("Dr.Smith letter.pdf");
        assertThat(FileNames.sanitize(null, FileType.PDF)).isEqualTo("attachment.pdf");
        assertThat(FileNames.sanitize("", FileType.PNG)).isEqualTo("attachment.png");
        String longName = FileNames.sanitize("\uD83D\uDE00".repeat(300) + ".png", FileType.PNG);
        assertThat(longName.codePointCount(0, longName.length())).isEqualTo(FileNames.MAX_LENGTH);
        assertThat(longName).endsWith(".png");
        assertThat(Character.isSurrogate(longName.charAt(longName.length() - 5))).isTrue();
        assertThat(longName.codePoints().filter(cp -> cp == 0xFFFD)).isEmpty();
    }

    @Test
    void shouldNormalizeUnicodeAndKeepReadableNames() {
        assertThat(FileNames.sanitize("Re\u0301sultats d\u2019analyse.pdf", FileType.PDF))
                .isEqualTo("R\u00e9sultats d\u2019analyse.pdf");
        assertThat(FileNames.sanitize("\u5065\u5eb7\u8a3a\u65ad.pdf", FileType.PDF))
                .isEqualTo("\u5065\u5eb7\u8a3a\u65ad.pdf");
    }

    @Test
    void shouldTellKnownExtensionsFromDotsInNames() {
        assertThat(FileNames.knownExtension("report.PDF")).contains("pdf");
        assertThat(FileNames.knownExtension("invoice.exe")).contains("exe");
        assertThat(FileNames.knownExtension("Dr.Smith")).isEmpty();
        assertThat(FileNames.knownExtension("noextension")).isEmpty();
        assertThat(FileNames.knownExtension(null)).isEmpty();
    }

    @Test
    void shouldEncodeContentDispositionForAnyName() {
        assertThat(FileNames.contentDisposition("r\u00e9sultat \"1\".pdf"))
                .isEqualTo(
                        "attachment; filename=\"r_sultat _1_.pdf\"; filename*=UTF-8''r%C3%A9sultat%20%221%22.pdf");
    }
}
