package dev.bluepost.messaging;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
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
    public record CheckedAttachment(String fileName, FileType type, byte[] content) {
    }

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
            throw BluepostException.businessRule("A message can carry at most " + maxCount() + " attachments; this one has "
                    + sizes.size() + ". Send the others in another message.");
        }
        long total = 0;
        for (int i = 0; i < sizes.size(); i++) {
            long size = sizes.get(i);
            if (size == 0) {
                throw BluepostException.businessRule(which(i, sizes.size()) + " is empty (0 bytes). Choose the file again, "
                        + "or another file.");
            }
            if (size > maxBytes()) {
                throw BluepostException.tooLarge(which(i, sizes.size()) + " is " + formatSize(size) + "; the limit is "
                        + formatSize(maxBytes()) + " per file. Attach a smaller file (a photo can be taken at a lower resolution).");
            }
            total += size;
        }
        if (total > maxTotalBytes()) {
            throw BluepostException.tooLarge("The attachments add up to " + formatSize(total) + "; the limit is "
                    + formatSize(maxTotalBytes()) + " per message. Send some of them in another message.");
        }
    }

    /** Checks every file; returns them ready to store, or throws (422, 413 or 415) for the first one that fails. */
    public List<CheckedAttachment> check(List<NewAttachment> files) {
        if (files == null || files.isEmpty()) {
            return List.of();
        }
        checkSizes(files.stream().map(f -> f.content() == null ? 0L : (long) f.content().length).toList());
        List<CheckedAttachment> checked = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            NewAttachment file = files.get(i);
            String which = which(i, files.size());
            FileSniffer.Sniffed sniffed = FileSniffer.sniff(file.content());
            if (!sniffed.accepted()) {
                throw new BluepostException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, which + " is " + sniffed.refusedAs()
                        + ", which cannot be attached. Attach JPEG or PNG images and PDF documents only "
                        + "(what a file is was checked from its content, not its name).");
            }
            FileType type = sniffed.type();
            Optional<String> extension = FileNames.knownExtension(file.fileName());
            if (extension.isPresent() && !type.hasExtension(extension.get())) {
                String named = FileType.byExtension(extension.get()).map(t -> "named as a " + t.label())
                        .orElse("named as a ." + extension.get() + " file");
                throw BluepostException.businessRule(which + " is " + named + " (." + extension.get() + ") but its content is a "
                        + type.label() + ". Rename it to end in ." + type.extension() + ", or choose the right file.");
            }
            String declared = FileType.bare(file.declaredType());
            if (!declared.isEmpty() && !declared.equals("application/octet-stream") && !type.isMediaType(declared)) {
                throw BluepostException.businessRule(which + " is declared as " + declared.replaceAll("[^a-z0-9.+/-]", "")
                        + " but its content is a " + type.label() + " (" + type.mediaType() + ").");
            }
            if (type == FileType.PDF) {
                PdfActiveContent.Result pdf = PdfActiveContent.check(file.content());
                if (pdf.active() != null) {
                    throw BluepostException.businessRule(which + " is a PDF document that contains " + pdf.active()
                            + ", which is not accepted. Print it to a new PDF (\u201cSave as PDF\u201d) and attach that.");
                }
                if (pdf.uncheckable()) {
                    throw BluepostException.businessRule(which + " is a PDF document that could not be checked for active "
                            + "content (it may be damaged or password-protected). Save it as a new PDF without a password "
                            + "and attach that.");
                }
            }
            checked.add(new CheckedAttachment(FileNames.sanitize(file.fileName(), type), type, file.content()));
        }
        return checked;
    }

    private static String which(int index, int count) {
        return count == 1 ? "The attachment" : "Attachment " + (index + 1);
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
