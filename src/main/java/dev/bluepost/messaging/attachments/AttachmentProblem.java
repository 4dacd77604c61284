package dev.bluepost.messaging.attachments;

import dev.bluepost.messaging.ThreadMessages;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.Language;
import java.util.Optional;

/**
 * A file a message may not carry ({@link AttachmentPolicy}). The exception's message is the English that the
 * JSON and FHIR APIs answer and the log records; a page shows the {@link Reason} on the form's {@code files}
 * field, in the reader's language ({@link ThreadMessages}). A file is named by its position, never by its
 * name (a file name can be PHI). Worded here, without the running application, so that the policy's plain
 * unit tests see the same English as its clients.
 */
public final class AttachmentProblem extends BluepostException {

    /** The form field every attachment refusal is about. */
    public static final String FIELD = "files";

    /** Why the file (or the files together) was refused. */
    public enum Reason {
        TOO_MANY,
        EMPTY,
        TOO_LARGE,
        TOO_MUCH,
        NOT_ACCEPTED,
        NAMED_AS_TYPE,
        NAMED_AS_EXTENSION,
        DECLARED_AS,
        PDF_ACTIVE,
        PDF_UNCHECKABLE
    }

    private final Reason reason;

    /** 1-based position of the file; 0 when it is the message's only file. */
    private final int position;

    private final long amount;
    private final long limit;
    private final FileType type;
    private final FileType namedType;
    private final String extension;
    private final String declared;
    private final FileSniffer.Refused refused;
    private final PdfActiveContent.Active active;

    private AttachmentProblem(
            ErrorKind kind,
            String english,
            Reason reason,
            int position,
            long amount,
            long limit,
            FileType type,
            FileType namedType,
            String extension,
            String declared,
            FileSniffer.Refused refused,
            PdfActiveContent.Active active) {
        super(kind, english);
        this.reason = reason;
        this.position = position;
        this.amount = amount;
        this.limit = limit;
        this.type = type;
        this.namedType = namedType;
        this.extension = extension;
        this.declared = declared;
        this.refused = refused;
        this.active = active;
    }

    private static AttachmentProblem of(
            ErrorKind kind, String english, Reason reason, int position) {
        return new AttachmentProblem(
                kind, english, reason, position, 0, 0, null, null, null, null, null, null);
    }

    static AttachmentProblem tooMany(int max, int count) {
        return new AttachmentProblem(
                ErrorKind.BUSINESS_RULE,
                "A message can carry at most "
                        + max
                        + " attachments; this one has "
                        + count
                        + ". Send the others in another message.",
                Reason.TOO_MANY,
                0,
                count,
                max,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static AttachmentProblem empty(int position) {
        return of(
                ErrorKind.BUSINESS_RULE,
                which(position) + " is empty (0 bytes). Choose the file again, or another file.",
                Reason.EMPTY,
                position);
    }

    static AttachmentProblem tooLarge(int position, long size, long max) {
        return new AttachmentProblem(
                ErrorKind.PAYLOAD_TOO_LARGE,
                which(position)
                        + " is "
                        + AttachmentPolicy.formatSize(size)
                        + "; the limit is "
                        + AttachmentPolicy.formatSize(max)
                        + " per file. Attach a smaller file (a photo can be taken "
                        + "at a lower resolution).",
                Reason.TOO_LARGE,
                position,
                size,
                max,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static AttachmentProblem tooMuch(long total, long max) {
        return new AttachmentProblem(
                ErrorKind.PAYLOAD_TOO_LARGE,
                "The attachments add up to "
                        + AttachmentPolicy.formatSize(total)
                        + "; the limit is "
                        + AttachmentPolicy.formatSize(max)
                        + " per message. Send some of them in another message.",
                Reason.TOO_MUCH,
                0,
                total,
                max,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static AttachmentProblem notAccepted(int position, FileSniffer.Refused refused) {
        return new AttachmentProblem(
                ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                which(position)
                        + " is "
                        + refused.english()
                        + ", which cannot be attached. Attach JPEG or PNG images and PDF documents only "
                        + "(what a file is was checked from its content, not its name).",
                Reason.NOT_ACCEPTED,
                position,
                0,
                0,
                null,
                null,
                null,
                null,
                refused,
                null);
    }

    /** A name ending in a well-known extension ({@code namedType} when it is one of the accepted types) that the content contradicts. */
    static AttachmentProblem named(
            int position, String extension, FileType namedType, FileType type) {
        String named =
                namedType != null
                        ? "named as a " + namedType.label()
                        : "named as a ." + extension + " file";
        return new AttachmentProblem(
                ErrorKind.BUSINESS_RULE,
                which(position)
                        + " is "
                        + named
                        + " (."
                        + extension
                        + ") but its content is a "
                        + type.label()
                        + ". Rename it to end in ."
                        + type.extension()
                        + ", or choose the right file.",
                namedType != null ? Reason.NAMED_AS_TYPE : Reason.NAMED_AS_EXTENSION,
                position,
                0,
                0,
                type,
                namedType,
                extension,
                null,
                null,
                null);
    }

    /** {@code declared}: the declared media type, already reduced to safe characters. */
    static AttachmentProblem declared(int position, String declared, FileType type) {
        return new AttachmentProblem(
                ErrorKind.BUSINESS_RULE,
                which(position)
                        + " is declared as "
                        + declared
                        + " but its content is a "
                        + type.label()
                        + " ("
                        + type.mediaType()
                        + ").",
                Reason.DECLARED_AS,
                position,
                0,
                0,
                type,
                null,
                null,
                declared,
                null,
                null);
    }

    static AttachmentProblem pdfActive(int position, PdfActiveContent.Active active) {
        return new AttachmentProblem(
                ErrorKind.BUSINESS_RULE,
                which(position)
                        + " is a PDF document that contains "
                        + active.english()
                        + ", which is not accepted. Print it to a new PDF (\u201cSave as PDF\u201d) and attach that.",
                Reason.PDF_ACTIVE,
                position,
                0,
                0,
                FileType.PDF,
                null,
                null,
                null,
                null,
                active);
    }

    static AttachmentProblem pdfUncheckable(int position) {
        return of(
                ErrorKind.BUSINESS_RULE,
                which(position)
                        + " is a PDF document that could not be checked for active "
                        + "content (it may be damaged or password-protected). Save it as a new PDF without a password and attach that.",
                Reason.PDF_UNCHECKABLE,
                position);
    }

    public Reason reason() {
        return reason;
    }

    /** The refused file's position (1-based), or 0 when it was the message's only file or the refusal is about all of them. */
    public int position() {
        return position;
    }

    @Override
    public boolean translated() {
        return true;
    }

    @Override
    public Optional<String> field() {
        return Optional.of(FIELD);
    }

    @Override
    public String in(Language language) {
        ThreadMessages m = language.messages(ThreadMessages.class);
        String which = position == 0 ? m.file_the_attachment() : m.file_attachment(position);
        return switch (reason) {
            case TOO_MANY -> m.error_files_too_many((int) limit, (int) amount);
            case EMPTY -> m.error_file_empty(which);
            case TOO_LARGE ->
                    m.error_file_too_large(
                            which,
                            AttachmentPolicy.formatSize(amount),
                            AttachmentPolicy.formatSize(limit));
            case TOO_MUCH ->
                    m.error_files_too_much(
                            AttachmentPolicy.formatSize(amount),
                            AttachmentPolicy.formatSize(limit));
            case NOT_ACCEPTED -> m.error_file_not_accepted(which, kind(refused, m));
            case NAMED_AS_TYPE ->
                    m.error_file_named_as(
                            which, type(namedType, m), extension, type(type, m), type.extension());
            case NAMED_AS_EXTENSION ->
                    m.error_file_named_as(
                            which,
                            m.file_named_extension(extension),
                            extension,
                            type(type, m),
                            type.extension());
            case DECLARED_AS ->
                    m.error_file_declared_as(which, declared, type(type, m), type.mediaType());
            case PDF_ACTIVE -> m.error_file_pdf_active(which, active(active, m));
            case PDF_UNCHECKABLE -> m.error_file_pdf_uncheckable(which);
        };
    }

    private static String which(int position) {
        return position == 0 ? "The attachment" : "Attachment " + position;
    }

    private static String type(FileType type, ThreadMessages m) {
        return switch (type) {
            case JPEG -> m.file_type_jpeg();
            case PNG -> m.file_type_png();
            case PDF -> m.file_type_pdf();
        };
    }

    private static String kind(FileSniffer.Refused refused, ThreadMessages m) {
        return switch (refused) {
            case DAMAGED_PNG -> m.file_kind_damaged_png();
            case WINDOWS_PROGRAM -> m.file_kind_windows_program();
            case LINUX_PROGRAM -> m.file_kind_linux_program();
            case SCRIPT -> m.file_kind_script();
            case MACOS_PROGRAM -> m.file_kind_macos_program();
            case MACOS_OR_JAVA_PROGRAM -> m.file_kind_macos_or_java_program();
            case OLD_OFFICE_FILE -> m.file_kind_old_office_file();
            case ANDROID_PROGRAM -> m.file_kind_android_program();
            case ZIP_ARCHIVE -> m.file_kind_zip_archive();
            case GZIP_ARCHIVE -> m.file_kind_gzip_archive();
            case SEVEN_ZIP_ARCHIVE -> m.file_kind_seven_zip_archive();
            case RAR_ARCHIVE -> m.file_kind_rar_archive();
            case BZIP2_ARCHIVE -> m.file_kind_bzip2_archive();
            case XZ_ARCHIVE -> m.file_kind_xz_archive();
            case ZSTANDARD_ARCHIVE -> m.file_kind_zstandard_archive();
            case CABINET_ARCHIVE -> m.file_kind_cabinet_archive();
            case TAR_ARCHIVE -> m.file_kind_tar_archive();
            case MARKUP -> m.file_kind_markup();
            case OTHER -> m.file_kind_other();
        };
    }

    private static String active(PdfActiveContent.Active active, ThreadMessages m) {
        return switch (active) {
            case JAVASCRIPT -> m.pdf_active_javascript();
            case LAUNCH -> m.pdf_active_launch();
            case EMBEDDED_FILES -> m.pdf_active_embedded_files();
            case RICH_MEDIA -> m.pdf_active_rich_media();
        };
    }
}
