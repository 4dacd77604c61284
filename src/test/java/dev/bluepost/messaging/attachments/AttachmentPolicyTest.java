package dev.bluepost.messaging.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.messaging.MessagingConfig;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.testing.SampleFiles;
import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttachmentPolicyTest {

    private final AttachmentPolicy policy =
            new AttachmentPolicy(config(1024 * 1024, 3, 2 * 1024 * 1024));

    @Test
    void shouldAcceptImagesAndPdfsWithSanitizedNames() {
        List<AttachmentPolicy.CheckedAttachment> checked =
                policy.check(
                        List.of(
                                new NewAttachment("../knee.jpg", "image/jpeg", SampleFiles.jpeg()),
                                new NewAttachment("rash", null, SampleFiles.png()),
                                new NewAttachment(
                                        "labs.pdf",
                                        "application/octet-stream",
                                        SampleFiles.pdf("labs"))));
        assertThat(checked)
                .extracting(AttachmentPolicy.CheckedAttachment::fileName)
                .containsExactly("knee.jpg", "rash.png", "labs.pdf");
        assertThat(checked)
                .extracting(AttachmentPolicy.CheckedAttachment::type)
                .containsExactly(FileType.JPEG, FileType.PNG, FileType.PDF);
    }

    @Test
    void shouldRefuseExecutablesArchivesAndMarkupAs415() {
        for (byte[] bad :
                List.of(
                        SampleFiles.windowsExecutable(),
                        SampleFiles.elfExecutable(),
                        SampleFiles.shellScript(),
                        SampleFiles.zipBomb(),
                        SampleFiles.html(),
                        SampleFiles.svg())) {
            assertThatThrownBy(
                            () ->
                                    policy.check(
                                            List.of(
                                                    new NewAttachment(
                                                            "photo.jpg", "image/jpeg", bad))))
                    .isInstanceOfSatisfying(
                            AttachmentProblem.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED_MEDIA_TYPE);
                                assertThat(e.reason())
                                        .isEqualTo(AttachmentProblem.Reason.NOT_ACCEPTED);
                                assertThat(e.field()).contains("files");
                                assertThat(e.getMessage())
                                        .contains("cannot be attached")
                                        .doesNotContain("photo");
                            });
        }
    }

    @Test
    void shouldRefuseEmptyOversizedTooManyAndTooMuch() {
        assertRefused(
                List.of(new NewAttachment("a.pdf", null, new byte[0])),
                ErrorKind.BUSINESS_RULE,
                AttachmentProblem.Reason.EMPTY,
                "The attachment is empty (0 bytes)");
        assertRefused(
                List.of(new NewAttachment("a.pdf", null, new byte[1024 * 1024 + 1])),
                ErrorKind.PAYLOAD_TOO_LARGE,
                AttachmentProblem.Reason.TOO_LARGE,
                "the limit is 1 MB per file");
        assertRefused(
                Collections.nCopies(4, new NewAttachment("a.png", null, SampleFiles.png())),
                ErrorKind.BUSINESS_RULE,
                AttachmentProblem.Reason.TOO_MANY,
                "at most 3 attachments");
        byte[] big = new byte[900 * 1024];
        assertRefused(
                List.of(
                        new NewAttachment("a", null, big),
                        new NewAttachment("b", null, big),
                        new NewAttachment("c", null, big)),
                ErrorKind.PAYLOAD_TOO_LARGE,
                AttachmentProblem.Reason.TOO_MUCH,
                "the limit is 2 MB per message");
    }

    @Test
    void shouldRefuseNamesAndDeclaredTypesThatContradictTheContent() {
        assertRefused(
                List.of(new NewAttachment("report.pdf", null, SampleFiles.png())),
                ErrorKind.BUSINESS_RULE,
                AttachmentProblem.Reason.NAMED_AS_TYPE,
                "named as a PDF document (.pdf) but its content is a PNG image");
        assertRefused(
                List.of(new NewAttachment("photo.jpg", null, SampleFiles.pdf("x"))),
                ErrorKind.BUSINESS_RULE,
                AttachmentProblem.Reason.NAMED_AS_TYPE,
                "Rename it to end in .pdf");
        assertRefused(
                List.of(new NewAttachment("invoice.exe", null, SampleFiles.pdf("x"))),
                ErrorKind.BUSINESS_RULE,
                AttachmentProblem.Reason.NAMED_AS_EXTENSION,
                "is named as a .exe file (.exe) but its content is a PDF document");
        assertRefused(
                List.of(new NewAttachment("scan", "image/png", SampleFiles.pdf("x"))),
                ErrorKind.BUSINESS_RULE,
                AttachmentProblem.Reason.DECLARED_AS,
                "declared as image/png but its content is a PDF document");
    }

    @Test
    void shouldRefusePdfsWithActiveContentOrThatCannotBeChecked() {
        assertRefused(
                List.of(
                        new NewAttachment(
                                "a.pdf", null, SampleFiles.pdfWithJavaScript("/JavaScript"))),
                ErrorKind.BUSINESS_RULE,
                AttachmentProblem.Reason.PDF_ACTIVE,
                "contains JavaScript");
        assertRefused(
                List.of(
                        new NewAttachment(
                                "a.pdf", null, SampleFiles.pdfWithUncheckableObjectStream())),
                ErrorKind.BUSINESS_RULE,
                AttachmentProblem.Reason.PDF_UNCHECKABLE,
                "could not be checked");
    }

    @Test
    void shouldNameFilesByPositionOnly() {
        assertThatThrownBy(
                        () ->
                                policy.check(
                                        List.of(
                                                new NewAttachment(
                                                        "ok.png", null, SampleFiles.png()),
                                                new NewAttachment(
                                                        "hiv-results.pdf",
                                                        null,
                                                        SampleFiles.png()))))
                .isInstanceOfSatisfying(
                        AttachmentProblem.class, e -> assertThat(e.position()).isEqualTo(2))
                .hasMessageStartingWith("Attachment 2 ")
                .hasMessageNotContaining("hiv");
    }

    @Test
    void shouldFormatSizesForPeople() {
        assertThat(AttachmentPolicy.formatSize(840)).isEqualTo("840 bytes");
        assertThat(AttachmentPolicy.formatSize(120 * 1024)).isEqualTo("120 KB");
        assertThat(AttachmentPolicy.formatSize(10 * 1024 * 1024)).isEqualTo("10 MB");
        assertThat(AttachmentPolicy.formatSize(10 * 1024 * 1024 + 1)).isEqualTo("10.1 MB");
    }

    private void assertRefused(
            List<NewAttachment> files,
            ErrorKind kind,
            AttachmentProblem.Reason reason,
            String message) {
        assertThatThrownBy(() -> policy.check(files))
                .isInstanceOfSatisfying(
                        AttachmentProblem.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(kind);
                            assertThat(e.reason()).isEqualTo(reason);
                            assertThat(e.field()).contains("files");
                            assertThat(e.getMessage()).contains(message);
                        });
    }

    private static MessagingConfig config(long maxBytes, int maxCount, long maxTotal) {
        MessagingConfig.Attachments attachments =
                new MessagingConfig.Attachments() {
                    @Override
                    public MemorySize maxBytes() {
                        return new MemorySize(BigInteger.valueOf(maxBytes));
                    }

                    @Override
                    public int maxCount() {
                        return maxCount;
                    }

                    @Override
                    public MemorySize maxTotalBytes() {
                        return new MemorySize(BigInteger.valueOf(maxTotal));
                    }
                };
        return new MessagingConfig() {
            @Override
            public int maxTextBytes() {
                return 65536;
            }

            @Override
            public int replyBusinessDays() {
                return 2;
            }

            @Override
            public int replyWindowDays() {
                return 45;
            }

            @Override
            public int unreadReminderDays() {
                return 2;
            }

            @Override
            public java.time.Duration emergencyAccessDuration() {
                return java.time.Duration.ofHours(1);
            }

            @Override
            public Attachments attachments() {
                return attachments;
            }
        };
    }
}
