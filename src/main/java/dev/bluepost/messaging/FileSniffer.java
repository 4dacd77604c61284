package dev.bluepost.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells what a file is from its first bytes, never from its name or the type a client declares.
 * Only JPEG, PNG and PDF are accepted; for everything else the result says what it looks like
 * (a Windows program, a ZIP archive, a web page …) so that the refusal can say so plainly.
 */
public final class FileSniffer {

    /** What the bytes are: an accepted type, or a description of a refused kind. */
    public record Sniffed(FileType type, String refusedAs) {

        public boolean accepted() {
            return type != null;
        }

        static Sniffed accepted(FileType type) {
            return new Sniffed(type, null);
        }

        static Sniffed refused(String what) {
            return new Sniffed(null, what);
        }
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private FileSniffer() {
    }

    public static Sniffed sniff(byte[] b) {
        if (b.length >= 3 && u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) {
            return Sniffed.accepted(FileType.JPEG);
        }
        if (startsWith(b, 0, PNG)) {
            // the IHDR chunk must come first (length 13): a bare signature on other data is not a PNG
            return b.length >= 16 && ascii(b, 12, "IHDR") && u(b, 8) == 0 && u(b, 9) == 0 && u(b, 10) == 0 && u(b, 11) == 13
                    ? Sniffed.accepted(FileType.PNG) : Sniffed.refused("a damaged PNG image");
        }
        if (ascii(b, 0, "%PDF-")) {
            return Sniffed.accepted(FileType.PDF);
        }
        return Sniffed.refused(refusedKind(b).orElse("not a JPEG or PNG image or a PDF document"));
    }

    private static Optional<String> refusedKind(byte[] b) {
        if (ascii(b, 0, "MZ")) {
            return Optional.of("a Windows program");
        }
        if (u(b, 0) == 0x7F && ascii(b, 1, "ELF")) {
            return Optional.of("a Linux program");
        }
        if (ascii(b, 0, "#!")) {
            return Optional.of("a script (a program)");
        }
        if (b.length >= 4) {
            int magic = (u(b, 0) << 24) | (u(b, 1) << 16) | (u(b, 2) << 8) | u(b, 3);
            if (magic == 0xFEEDFACE || magic == 0xFEEDFACF || magic == 0xCEFAEDFE || magic == 0xCFFAEDFE) {
                return Optional.of("a macOS program");
            }
            if (magic == 0xCAFEBABE) {
                return Optional.of("a macOS or Java program");
            }
            if (magic == 0xD0CF11E0) {
                return Optional.of("an older Microsoft Office file (which can carry macros)");
            }
        }
        if (ascii(b, 0, "dex\n")) {
            return Optional.of("an Android program");
        }
        if (ascii(b, 0, "PK\u0003\u0004") || ascii(b, 0, "PK\u0005\u0006") || ascii(b, 0, "PK\u0007\u0008")) {
            return Optional.of("a ZIP archive (compressed files, which includes Word and Excel files)");
        }
        if (u(b, 0) == 0x1F && u(b, 1) == 0x8B) {
            return Optional.of("a gzip archive (compressed data)");
        }
        if (startsWith(b, 0, new byte[]{'7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C})) {
            return Optional.of("a 7-Zip archive (compressed files)");
        }
        if (ascii(b, 0, "Rar!\u001A\u0007")) {
            return Optional.of("a RAR archive (compressed files)");
        }
        if (ascii(b, 0, "BZh")) {
            return Optional.of("a bzip2 archive (compressed data)");
        }
        if (startsWith(b, 0, new byte[]{(byte) 0xFD, '7', 'z', 'X', 'Z', 0})) {
            return Optional.of("an xz archive (compressed data)");
        }
        if (startsWith(b, 0, new byte[]{0x28, (byte) 0xB5, 0x2F, (byte) 0xFD})) {
            return Optional.of("a Zstandard archive (compressed data)");
        }
        if (ascii(b, 0, "MSCF")) {
            return Optional.of("a Windows cabinet archive");
        }
        if (ascii(b, 257, "ustar")) {
            return Optional.of("a tar archive");
        }
        if (looksLikeMarkup(b)) {
            return Optional.of("a web page, SVG or XML document (which can carry scripts)");
        }
        return Optional.empty();
    }

    /** HTML, SVG, XML: the first non-blank character (after a UTF-8 byte order mark) is '<'. */
    private static boolean looksLikeMarkup(byte[] b) {
        int i = startsWith(b, 0, new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}) ? 3 : 0;
        while (i < b.length && i < 1024 && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        if (i >= b.length || b[i] != '<') {
            return false;
        }
        String head = new String(b, i, Math.min(64, b.length - i), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype") || head.startsWith("<html") || head.startsWith("<svg") || head.startsWith("<?xml")
                || head.startsWith("<script") || head.startsWith("<head") || head.startsWith("<body") || head.startsWith("<!--")
                || head.startsWith("<iframe") || head.startsWith("<a ") || head.startsWith("<img") || head.startsWith("<div");
    }

    private static int u(byte[] b, int i) {
        return i < b.length ? b[i] & 0xFF : -1;
    }

    private static boolean ascii(byte[] b, int offset, String s) {
        return startsWith(b, offset, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean startsWith(byte[] b, int offset, byte[] prefix) {
        if (b.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
