package dev.bluepost.messaging.attachments;

import dev.bluepost.platform.errors.BluepostException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Files from a page's multipart form. The HTTP layer has written each part to a temporary file
 * (deleted when the request ends); their sizes are checked before any is read into memory, and
 * the bytes then go through {@link AttachmentPolicy} like any other client's.
 */
public final class Uploads {

    /** The {@code accept} attribute of the file inputs (a hint for the browser's picker; the server checks the bytes). */
    public static final String ACCEPT = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf";

    private Uploads() {}

    /** The parts that carry a chosen file: an empty file input still sends a part, with no name and no bytes. */
    public static List<FileUpload> chosen(List<FileUpload> parts) {
        if (parts == null) {
            return List.of();
        }
        return parts.stream()
                .filter(p -> !((p.fileName() == null || p.fileName().isEmpty()) && p.size() == 0))
                .toList();
    }

    /** Checks count and sizes, then reads the files. */
    public static List<NewAttachment> read(List<FileUpload> files, AttachmentPolicy policy) {
        policy.checkSizes(files.stream().map(FileUpload::size).toList());
        List<NewAttachment> attachments = new ArrayList<>();
        for (FileUpload file : files) {
            try {
                attachments.add(
                        new NewAttachment(
                                file.fileName(),
                                file.contentType(),
                                Files.readAllBytes(file.uploadedFile())));
            } catch (IOException e) {
                throw new UncheckedIOException("an uploaded part could not be read", e);
            }
        }
        return attachments;
    }

    /** Refusals a form shows next to the re-filled fields (the rest go to the error page). */
    public static boolean isFormError(BluepostException e) {
        int status = e.kind().status();
        return status == 422 || status == 413 || status == 415;
    }
}
