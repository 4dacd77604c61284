package dev.bluepost.messaging.attachments;

import dev.bluepost.messaging.MessagingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a message may carry: at most {@code max-count} files, each a JPEG, PNG or PDF (detected from
 * the bytes) of 1 byte to {@code max-bytes}, together at most {@code max-total-bytes}; PDFs without
 * active content; a name whose extension and a declared type that do not contradict the content.
 * Every file is checked before anything is written. Refusals name a file by its position, never
 * by its name (a file name can be PHI, and refusals reach the log at debug level).
 */
@ApplicationScoped
public class AttachmentPolicy {

    /** A file that passed every check: its sanitized name, detected type and bytes. */
    public record CheckedAttachment(String fileName, FileType type, byte[] content) {}

    private final MessagingConfig.Attachments limits;

    public AttachmentPolicy(MessagingConfig config) {
        this.limits = config.attachments();
    }

    public long maxBytes() {
        return limits.maxBytes().asLongValue();
    }

    public long maxTotalBytes() {
        return limits.maxTotalBytes().asLongValue();
    }

    public int maxCount() {
        return limits.maxCount();
    }

    /** The count and size checks alone, for callers that know the sizes before reading the bytes. */
    public void checkSizes(List<Long> sizes) {
        if (sizes.size() > maxCount()) {
            throw AttachmentProblem.tooMany(maxCount(), sizes.size());
        }
        long total = 0;
        for (int i = 0; i < sizes.size(); i++) {
            long size = sizes.get(i);
            if (size == 0) {
                throw AttachmentProblem.empty(position(i, sizes.size()));
            }
            if (size > maxBytes()) {
                throw AttachmentProblem.tooLarge(position(i, sizes.size()), size, maxBytes());
            }
            total += size;
        }
        if (total > maxTotalBytes()) {
            throw AttachmentProblem.tooMuch(total, maxTotalBytes());
        }
    }

    /**
     * Checks every file; returns them ready to store, or throws an {@link AttachmentProblem} (422, 413 or 415) for the
     * first one that fails.
     */
    public List<CheckedAttachment> check(List<NewAttachment> files) {
        if (files == null || files.isEmpty()) {
            return List.of();
        }
        checkSizes(
                files.stream()
                        .map(f -> f.content() == null ? 0L : (long) f.content().length)
                        .toList());
        List<CheckedAttachment> checked = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            NewAttachment file = files.get(i);
            int position = position(i, files.size());
            FileSniffer.Sniffed sniffed = FileSniffer.sniff(file.content());
            if (!sniffed.accepted()) {
                throw AttachmentProblem.notAccepted(position, sniffed.refused());
            }
            FileType type = sniffed.type();
            Optional<String> extension = FileNames.knownExtension(file.fileName());
            if (extension.isPresent() && !type.hasExtension(extension.get())) {
                throw AttachmentProblem.named(
                        position,
                        extension.get(),
                        FileType.byExtension(extension.get()).orElse(null),
                        type);
            }
            String declared = FileType.bare(file.declaredType());
            if (!declared.isEmpty()
                    && !declared.equals("application/octet-stream")
                    && !type.isMediaType(declared)) {
                throw AttachmentProblem.declared(
                        position, declared.replaceAll("[^a-z0-9.+/-]", ""), type);
            }
            if (type == FileType.PDF) {
                PdfActiveContent.Result pdf = PdfActiveContent.check(file.content());
                if (pdf.found() != null) {
                    throw AttachmentProblem.pdfActive(position, pdf.found());
                }
                if (pdf.uncheckable()) {
                    throw AttachmentProblem.pdfUncheckable(position);
                }
            }
            checked.add(
                    new CheckedAttachment(
                            FileNames.sanitize(file.fileName(), type), type, file.content()));
        }
        return checked;
    }

    /** A file's position for a refusal: 0 for a message's only file ("the attachment"), else 1-based ("attachment 2"). */
    private static int position(int index, int count) {
        return count == 1 ? 0 : index + 1;
    }

    /** "840 bytes", "120 KB", "10 MB", "12.5 MB" (binary units, as the limits are configured). */
    public static String formatSize(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        if (bytes < 1024 * 1024) {
            return (bytes + 1023) / 1024 + " KB";
        }
        double mb = bytes / (1024.0 * 1024.0);
        String text = String.format(Locale.ROOT, "%.1f", Math.ceil(mb * 10) / 10);
        return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + " MB";
    }
}
