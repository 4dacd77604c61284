package dev.bluepost.messaging.attachments;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells what a file is from its first bytes, never from its name or the type a client declares.
 * Only JPEG, PNG and PDF are accepted; for everything else the result says what it looks like
 * (a Windows program, a ZIP archive, a web page …) so that the refusal can say so plainly.
 */
public final class FileSniffer {

    /** What a refused file is, as the refusal says it (the English here; pages word it from {@link dev.bluepost.messaging.ThreadMessages}). */
    public enum Refused {
        DAMAGED_PNG("a damaged PNG image"),
        WINDOWS_PROGRAM("a Windows program"),
        LINUX_PROGRAM("a Linux program"),
        SCRIPT("a script (a program)"),
        MACOS_PROGRAM("a macOS program"),
        MACOS_OR_JAVA_PROGRAM("a macOS or Java program"),
        OLD_OFFICE_FILE("an older Microsoft Office file (which can carry macros)"),
        ANDROID_PROGRAM("an Android program"),
        ZIP_ARCHIVE("a ZIP archive (compressed files, which includes Word and Excel files)"),
        GZIP_ARCHIVE("a gzip archive (compressed data)"),
        SEVEN_ZIP_ARCHIVE("a 7-Zip archive (compressed files)"),
        RAR_ARCHIVE("a RAR archive (compressed files)"),
        BZIP2_ARCHIVE("a bzip2 archive (compressed data)"),
        XZ_ARCHIVE("an xz archive (compressed data)"),
        ZSTANDARD_ARCHIVE("a Zstandard archive (compressed data)"),
        CABINET_ARCHIVE("a Windows cabinet archive"),
        TAR_ARCHIVE("a tar archive"),
        MARKUP("a web page, SVG or XML document (which can carry scripts)"),
        OTHER("not a JPEG or PNG image or a PDF document");

        private final String english;

        Refused(String english) {
            this.english = english;
        }

        public String english() {
            return english;
        }
    }

    /** What the bytes are: an accepted type, or the kind of a refused file. */
    public record Sniffed(FileType type, Refused refused) {

        public boolean accepted() {
            return type != null;
        }

        /** The refused kind in English ("a Windows program"); null for an accepted file. */
        public String refusedAs() {
            return refused == null ? null : refused.english();
        }

        static Sniffed accepted(FileType type) {
            return new Sniffed(type, null);
        }

        static Sniffed refused(Refused what) {
            return new Sniffed(null, what);
        }
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private FileSniffer() {}

    public static Sniffed sniff(byte[] b) {
        if (b.length >= 3 && u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) {
            return Sniffed.accepted(FileType.JPEG);
        }
        if (startsWith(b, 0, PNG)) {
            // the IHDR chunk must come first (length 13): a bare signature on other data is not a
            // PNG
            return b.length >= 16
                            && ascii(b, 12, "IHDR")
                            && u(b, 8) == 0
                            && u(b, 9) == 0
                            && u(b, 10) == 0
                            && u(b, 11) == 13
                    ? Sniffed.accepted(FileType.PNG)
                    : Sniffed.refused(Refused.DAMAGED_PNG);
        }
        if (ascii(b, 0, "%PDF-")) {
            return Sniffed.accepted(FileType.PDF);
        }
        return Sniffed.refused(refusedKind(b).orElse(Refused.OTHER));
    }

    private static Optional<Refused> refusedKind(byte[] b) {
        if (ascii(b, 0, "MZ")) {
            return Optional.of(Refused.WINDOWS_PROGRAM);
        }
        if (u(b, 0) == 0x7F && ascii(b, 1, "ELF")) {
            return Optional.of(Refused.LINUX_PROGRAM);
        }
        if (ascii(b, 0, "#!")) {
            return Optional.of(Refused.SCRIPT);
        }
        if (b.length >= 4) {
            int magic = (u(b, 0) << 24) | (u(b, 1) << 16) | (u(b, 2) << 8) | u(b, 3);
            if (magic == 0xFEEDFACE
                    || magic == 0xFEEDFACF
                    || magic == 0xCEFAEDFE
                    || magic == 0xCFFAEDFE) {
                return Optional.of(Refused.MACOS_PROGRAM);
            }
            if (magic == 0xCAFEBABE) {
                return Optional.of(Refused.MACOS_OR_JAVA_PROGRAM);
            }
            if (magic == 0xD0CF11E0) {
                return Optional.of(Refused.OLD_OFFICE_FILE);
            }
        }
        if (ascii(b, 0, "dex\n")) {
            return Optional.of(Refused.ANDROID_PROGRAM);
        }
        if (ascii(b, 0, "PK\u0003\u0004")
                || ascii(b, 0, "PK\u0005\u0006")
                || ascii(b, 0, "PK\u0007\u0008")) {
            return Optional.of(Refused.ZIP_ARCHIVE);
        }
        if (u(b, 0) == 0x1F && u(b, 1) == 0x8B) {
            return Optional.of(Refused.GZIP_ARCHIVE);
        }
        if (startsWith(b, 0, new byte[] {'7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C})) {
            return Optional.of(Refused.SEVEN_ZIP_ARCHIVE);
        }
        if (ascii(b, 0, "Rar!\u001A\u0007")) {
            return Optional.of(Refused.RAR_ARCHIVE);
        }
        if (ascii(b, 0, "BZh")) {
            return Optional.of(Refused.BZIP2_ARCHIVE);
        }
        if (startsWith(b, 0, new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0})) {
            return Optional.of(Refused.XZ_ARCHIVE);
        }
        if (startsWith(b, 0, new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD})) {
            return Optional.of(Refused.ZSTANDARD_ARCHIVE);
        }
        if (ascii(b, 0, "MSCF")) {
            return Optional.of(Refused.CABINET_ARCHIVE);
        }
        if (ascii(b, 257, "ustar")) {
            return Optional.of(Refused.TAR_ARCHIVE);
        }
        if (looksLikeMarkup(b)) {
            return Optional.of(Refused.MARKUP);
        }
        return Optional.empty();
    }

    /** HTML, SVG, XML: the first non-blank character (after a UTF-8 byte order mark) is '<'. */
    private static boolean looksLikeMarkup(byte[] b) {
        int i = startsWith(b, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}) ? 3 : 0;
        while (i < b.length
                && i < 1024
                && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        if (i >= b.length || b[i] != '<') {
            return false;
        }
        String head =
                new String(b, i, Math.min(64, b.length - i), StandardCharsets.ISO_8859_1)
                        .toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype")
                || head.startsWith("<html")
                || head.startsWith("<svg")
                || head.startsWith("<?xml")
                || head.startsWith("<script")
                || head.startsWith("<head")
                || head.startsWith("<body")
                || head.startsWith("<!--")
                || head.startsWith("<iframe")
                || head.startsWith("<a ")
                || head.startsWith("<img")
                || head.startsWith("<div");
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
