package dev.bluepost.messaging.attachments;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * File names as a client sends them are untrusted text: they can carry paths ({@code ../../etc/passwd},
 * {@code C:\x\y.pdf}), control characters, right-to-left overrides that make {@code gpj.exe} look
 * like {@code exe.jpg}, names Windows reserves ({@code CON}, {@code NUL}, …) and any length. A
 * sanitized name keeps the readable part of the last path segment and ends with an extension of
 * the type detected from the bytes.
 */
public final class FileNames {

    /** Longest sanitized name, in code points (extension included). */
    static final int MAX_LENGTH = 120;

    /**
     * Extensions of well-known file types: a name ending in one of these that does not match the
     * detected type is refused ({@code report.pdf} that is a PNG, {@code scan.exe} that is a PDF).
     * Anything else after the last dot ({@code Dr.Smith}) is part of the name.
     */
    private static final Set<String> KNOWN_EXTENSIONS =
            Set.of(
                    "jpg", "jpeg", "jpe", "jfif", "png", "pdf", "gif", "bmp", "tif", "tiff", "webp",
                    "heic", "heif", "svg", "ico", "doc", "docx", "docm", "xls", "xlsx", "xlsm",
                    "ppt", "pptx", "odt", "ods", "rtf", "txt", "csv", "xml", "json", "htm", "html",
                    "xhtml", "mht", "js", "mjs", "vbs", "ps1", "bat", "cmd", "com", "exe", "msi",
                    "dll", "scr", "lnk", "jar", "apk", "app", "dmg", "pkg", "sh", "py", "zip", "gz",
                    "tgz", "7z", "rar", "tar", "bz2", "xz", "iso", "img", "mp3", "mp4", "mov",
                    "avi", "wav", "eml", "msg");

    private static final Set<String> RESERVED =
            Set.of(
                    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6",
                    "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
                    "lpt8", "lpt9");

    private FileNames() {}

    /** The declared name's extension when it is a well-known one (lower case), for the mismatch check. */
    public static Optional<String> knownExtension(String declared) {
        String name = lastSegment(declared == null ? "" : declared).strip();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String ext = name.substring(dot + 1).strip().toLowerCase(Locale.ROOT);
        return KNOWN_EXTENSIONS.contains(ext) ? Optional.of(ext) : Optional.empty();
    }

    /** A safe name for a file of the detected type; never blank, at most {@link #MAX_LENGTH} code points. */
    public static String sanitize(String declared, FileType type) {
        String name =
                Normalizer.normalize(
                        lastSegment(declared == null ? "" : declared), Normalizer.Form.NFC);
        StringBuilder clean = new StringBuilder();
        name.codePoints()
                .forEach(
                        cp -> {
                            int kind = Character.getType(cp);
                            if (kind == Character.CONTROL
                                    || kind == Character.FORMAT
                                    || kind == Character.LINE_SEPARATOR
                                    || kind == Character.PARAGRAPH_SEPARATOR
                                    || kind == Character.SURROGATE
                                    || kind == Character.PRIVATE_USE
                                    || kind == Character.UNASSIGNED
                                    || cp == 0xFFFD) {
                                return; // invisible or unsafe: RTL overrides (U+202E), zero-width
                                // characters, BOM, NUL, …
                            }
                            if ("<>:\"/\\|?*".indexOf(cp) >= 0) {
                                clean.append('_');
                            } else if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                                clean.append(' ');
                            } else {
                                clean.appendCodePoint(cp);
                            }
                        });
        String collapsed = clean.toString().replaceAll(" {2,}", " ");
        String base = collapsed;
        int dot = collapsed.lastIndexOf('.');
        if (dot >= 0 && type.hasExtension(collapsed.substring(dot + 1).strip())) {
            base = collapsed.substring(0, dot);
        }
        base = trimDotsAndSpaces(base);
        String firstPart = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
        if (RESERVED.contains(firstPart.strip().toLowerCase(Locale.ROOT))) {
            base = "file-" + base;
        }
        if (base.isEmpty()) {
            base = "attachment";
        }
        String extension =
                "."
                        + (dot >= 0 && type.hasExtension(collapsed.substring(dot + 1).strip())
                                ? collapsed.substring(dot + 1).strip().toLowerCase(Locale.ROOT)
                                : type.extension());
        int room = MAX_LENGTH - extension.length();
        if (base.codePointCount(0, base.length()) > room) {
            base = trimDotsAndSpaces(base.substring(0, base.offsetByCodePoints(0, room)));
        }
        return base + extension;
    }

    /**
     * The {@code Content-Disposition} header for a download (RFC 6266): an ASCII fallback name and
     * the UTF-8 name in {@code filename*}.
     */
    public static String contentDisposition(String sanitized) {
        StringBuilder ascii = new StringBuilder();
        sanitized
                .codePoints()
                .forEach(
                        cp ->
                                ascii.append(
                                        cp >= 0x20
                                                        && cp < 0x7F
                                                        && cp != '"'
                                                        && cp != '\\'
                                                        && cp != '%'
                                                ? (char) cp
                                                : '_'));
        StringBuilder encoded = new StringBuilder();
        for (byte b : sanitized.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    private static String lastSegment(String name) {
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return cut >= 0 ? name.substring(cut + 1) : name;
    }

    private static String trimDotsAndSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == '.' || s.charAt(start) == ' ')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(start, end);
    }
}
