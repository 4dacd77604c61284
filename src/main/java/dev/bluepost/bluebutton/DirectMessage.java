package dev.bluepost.bluebutton;

import dev.bluepost.crypto.DirectSmime;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MIME structure of a Direct message (Applicability Statement for Secure Health Transport;
 * docs/adr/0046), built by hand around Bouncy Castle's CMS bytes ({@link DirectSmime}):
 * <pre>
 * message: application/pkcs7-mime; smime-type=enveloped-data   (encrypted to the recipient)
 *   └ multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256
 *       ├ multipart/mixed: text/plain (a short note) + the file (FHIR Bundle or the visit document)
 *       └ application/pkcs7-signature (detached, the practice's certificate)
 * </pre>
 * Every part is base64 with CRLF line ends, so the signed bytes survive any relay unchanged.
 */
final class DirectMessage {

    /** One file sent: its name, MIME type and bytes. */
    record File(String name, String contentType, byte[] content) {}

    /** A received message opened: the signed entity's parts and whether its signature verified. */
    record Opened(boolean signatureValid, X509Certificate signer, List<File> parts) {}

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final Base64.Encoder MIME =
            Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));

    private DirectMessage() {}

    /** The whole message (headers and body) signed by the practice and encrypted to the recipient's certificate. */
    static byte[] build(
            String from,
            String to,
            String subject,
            String note,
            File file,
            DirectSmime.Identity practice,
            X509Certificate recipient) {
        byte[] content = content(note, file);
        byte[] signature = DirectSmime.sign(content, practice);
        String signedBoundary = "signed-" + UUID.randomUUID();
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        write(
                signed,
                "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\""
                        + signedBoundary
                        + "\"\r\n\r\n");
        write(signed, "--" + signedBoundary + "\r\n");
        signed.writeBytes(content);
        write(signed, "\r\n--" + signedBoundary + "\r\n");
        write(
                signed,
                "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n");
        write(signed, MIME.encodeToString(signature) + "\r\n");
        write(signed, "--" + signedBoundary + "--\r\n");
        byte[] enveloped = DirectSmime.encrypt(signed.toByteArray(), recipient);

        ByteArrayOutputStream message = new ByteArrayOutputStream();
        String domain = from.substring(from.indexOf('@') + 1);
        write(
                message,
                "From: <"
                        + from
                        + ">\r\n"
                        + "To: <"
                        + to
                        + ">\r\n"
                        + "Subject: "
                        + subject
                        + "\r\n"
                        + "Date: "
                        + DATE.format(ZonedDateTime.now(ZoneOffset.UTC))
                        + "\r\n"
                        + "Message-ID: <"
                        + UUID.randomUUID()
                        + "@"
                        + domain
                        + ">\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n"
                        + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n");
        write(message, MIME.encodeToString(enveloped) + "\r\n");
        return message.toByteArray();
    }

    /** The signed content: multipart/mixed with the note and the file, both base64 (ends without a line break). */
    private static byte[] content(String note, File file) {
        String boundary = "mixed-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n");
        write(
                out,
                "--"
                        + boundary
                        + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        write(out, MIME.encodeToString(note.getBytes(StandardCharsets.UTF_8)) + "\r\n");
        write(
                out,
                "--"
                        + boundary
                        + "\r\nContent-Type: "
                        + file.contentType()
                        + "; name=\""
                        + file.name()
                        + "\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\""
                        + file.name()
                        + "\"\r\n\r\n");
        write(out, MIME.encodeToString(file.content()) + "\r\n");
        write(out, "--" + boundary + "--");
        return out.toByteArray();
    }

    /**
     * Opens a received message: decrypts it with the recipient's key, checks the detached signature
     * against the practice's certificate and returns the parts of the signed content. Throws
     * IllegalArgumentException when the structure is not a Direct message.
     */
    static Opened open(byte[] message, DirectSmime.Identity recipient, X509Certificate practice) {
        Entity outer = Entity.parse(message);
        if (!outer.contentType().toLowerCase(Locale.ROOT).startsWith("application/pkcs7-mime")) {
            throw new IllegalArgumentException("not an S/MIME enveloped message");
        }
        byte[] signedBytes =
                DirectSmime.decrypt(Base64.getMimeDecoder().decode(outer.body()), recipient);
        Entity signed = Entity.parse(signedBytes);
        String boundary = signed.parameter("boundary");
        if (!signed.contentType().toLowerCase(Locale.ROOT).startsWith("multipart/signed")
                || boundary == null) {
            throw new IllegalArgumentException("not a signed multipart");
        }
        List<byte[]> parts = split(signed.body(), boundary);
        if (parts.size() != 2) {
            throw new IllegalArgumentException("a signed multipart has two parts");
        }
        Entity signature = Entity.parse(parts.get(1));
        DirectSmime.Verification verification =
                DirectSmime.verify(
                        parts.get(0), Base64.getMimeDecoder().decode(signature.body()), practice);
        Entity content = Entity.parse(parts.get(0));
        List<File> files = new ArrayList<>();
        String mixed = content.parameter("boundary");
        for (byte[] part : mixed == null ? List.of(parts.get(0)) : split(content.body(), mixed)) {
            Entity entity = Entity.parse(part);
            String name = entity.parameter("name");
            files.add(
                    new File(
                            name,
                            entity.contentType().split(";")[0].trim(),
                            Base64.getMimeDecoder().decode(entity.body())));
        }
        return new Opened(verification.valid(), verification.signer(), files);
    }

    /** The parts of a multipart body: the bytes between the delimiter lines (without the CRLF before a delimiter). */
    static List<byte[]> split(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        List<byte[]> parts = new ArrayList<>();
        int start = text.startsWith(delimiter) ? 0 : text.indexOf("\r\n" + delimiter);
        if (start < 0) {
            return parts;
        }
        int cursor = text.indexOf("\r\n", start + (start == 0 ? 0 : 2)) + 2;
        while (true) {
            int next = text.indexOf("\r\n" + delimiter, cursor);
            if (next < 0) {
                break;
            }
            parts.add(text.substring(cursor, next).getBytes(StandardCharsets.ISO_8859_1));
            int after = next + 2 + delimiter.length();
            if (text.startsWith("--", after)) {
                break;
            }
            cursor = text.indexOf("\r\n", after) + 2;
        }
        return parts;
    }

    /** A MIME entity: its headers (unfolded) and its body bytes. */
    record Entity(String contentType, byte[] body, String rawContentType) {

        static Entity parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String headers = end < 0 ? text : text.substring(0, end);
            byte[] body =
                    end < 0
                            ? new byte[0]
                            : text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
            String type = "text/plain";
            for (String header :
                    headers.replace("\r\n ", " ").replace("\r\n\t", " ").split("\r\n")) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    type = header.substring("content-type:".length()).trim();
                }
            }
            return new Entity(type, body, type);
        }

        String parameter(String name) {
            Matcher m =
                    Pattern.compile(
                                    ";\\s*" + name + "=(\"([^\"]*)\"|[^;\\s]+)",
                                    Pattern.CASE_INSENSITIVE)
                            .matcher(rawContentType);
            return m.find() ? (m.group(2) != null ? m.group(2) : m.group(1)) : null;
        }
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
