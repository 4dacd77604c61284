package dev.bluepost.messaging;

import dev.bluepost.messaging.MessageViews.AttachmentContent;
import dev.bluepost.messaging.attachments.FileNames;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

/**
 * The HTTP answer that hands a decrypted attachment to a browser or client: its detected type,
 * always as a download ({@code Content-Disposition: attachment} with the sanitized name), never
 * sniffed into something else, never cached.
 */
public final class AttachmentDownloads {

    private AttachmentDownloads() {}

    public static Response of(AttachmentContent file) {
        return Response.ok(file.content())
                .type(file.attachment().contentType())
                .header(
                        "Content-Disposition",
                        FileNames.contentDisposition(file.attachment().fileName()))
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .tag(new EntityTag("1", true))
                .build();
    }
}
