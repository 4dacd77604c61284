package dev.bluepost.messaging.attachments;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Looks for active content in a PDF without rendering it: the names {@code /JavaScript} and
 * {@code /JS} (scripts), {@code /Launch} (an action that starts a program), {@code /EmbeddedFile(s)}
 * (files hidden inside, which would bypass the type check) and {@code /RichMedia} (Flash).
 *
 * <p>Names are read as PDF tokens, with {@code #xx} escapes decoded, so {@code /J#61vaScript} is
 * found too. Dictionaries inside compressed object streams ({@code /Type /ObjStm}) are inflated —
 * Flate only, with a bound on the inflated size — and scanned the same way. A PDF whose object
 * streams cannot be read (another filter, encryption, damage, or more than the bound) is reported
 * as {@link Result#UNCHECKABLE}: what cannot be checked is not accepted.
 *
 * <p>Limits (documented in docs/security.md): the bytes of page content streams are not inflated,
 * so a name that appears only there is not seen (names there are not actions); comments and
 * strings that spell such a name give a false refusal, which errs on the safe side.
 */
public final class PdfActiveContent {

    /** Total bytes that object streams of one PDF may inflate to. */
    static final int MAX_INFLATED = 16 * 1024 * 1024;

    /** Active content a PDF may carry, as the refusal says it (the English here; pages word it from {@link dev.bluepost.messaging.ThreadMessages}). */
    public enum Active {
        JAVASCRIPT("JavaScript"),
        LAUNCH("an action that starts a program"),
        EMBEDDED_FILES("embedded files"),
        RICH_MEDIA("rich media (Flash)");

        private final String english;

        Active(String english) {
            this.english = english;
        }

        public String english() {
            return english;
        }
    }

    private static final Map<String, Active> ACTIVE =
            Map.of(
                    "JavaScript",
                    Active.JAVASCRIPT,
                    "JS",
                    Active.JAVASCRIPT,
                    "Launch",
                    Active.LAUNCH,
                    "EmbeddedFile",
                    Active.EMBEDDED_FILES,
                    "EmbeddedFiles",
                    Active.EMBEDDED_FILES,
                    "RichMedia",
                    Active.RICH_MEDIA);
    private static final Set<String> FLATE = Set.of("FlateDecode", "Fl");
    private static final Set<String> FILTERS =
            Set.of(
                    "FlateDecode",
                    "Fl",
                    "ASCIIHexDecode",
                    "AHx",
                    "ASCII85Decode",
                    "A85",
                    "LZWDecode",
                    "LZW",
                    "RunLengthDecode",
                    "RL",
                    "CCITTFaxDecode",
                    "CCF",
                    "DCTDecode",
                    "DCT",
                    "JBIG2Decode",
                    "JPXDecode",
                    "Crypt");

    /** What was found: nothing, active content (with what it is), or a PDF that could not be checked. */
    public record Result(Active found, boolean uncheckable) {
        public static final Result CLEAN = new Result(null, false);
        public static final Result UNCHECKABLE = new Result(null, true);

        public boolean clean() {
            return found == null && !uncheckable;
        }

        /** The active content found, in English ("JavaScript"); null when none was. */
        public String active() {
            return found == null ? null : found.english();
        }
    }

    private PdfActiveContent() {}

    public static Result check(byte[] pdf) {
        Scan top = scan(pdf, 0, pdf.length);
        if (top.active != null) {
            return new Result(top.active, false);
        }
        int inflated = 0;
        for (int at : top.objectStreams) {
            Optional<byte[]> content = objectStreamContent(pdf, at, MAX_INFLATED - inflated);
            if (content.isEmpty()) {
                return Result.UNCHECKABLE;
            }
            inflated += content.get().length;
            Scan inner = scan(content.get(), 0, content.get().length);
            if (inner.active != null) {
                return new Result(inner.active, false);
            }
        }
        return Result.CLEAN;
    }

    private record Scan(Active active, java.util.List<Integer> objectStreams) {}

    /** Reads every name token; stops at the first active one. Records where {@code /ObjStm} names are. */
    private static Scan scan(byte[] b, int from, int to) {
        java.util.List<Integer> objectStreams = new java.util.ArrayList<>();
        int i = from;
        while (i < to) {
            if (b[i] != '/') {
                i++;
                continue;
            }
            int start = i;
            StringBuilder name = new StringBuilder();
            i++;
            while (i < to && isRegular(b[i])) {
                if (b[i] == '#' && i + 2 < to && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                    name.append((char) (hex(b[i + 1]) * 16 + hex(b[i + 2])));
                    i += 3;
                } else {
                    name.append((char) (b[i] & 0xFF));
                    i++;
                }
                if (name.length() > 127) {
                    break;
                }
            }
            String n = name.toString();
            Active active = ACTIVE.get(n);
            if (active != null) {
                return new Scan(active, objectStreams);
            }
            if (n.equals("ObjStm")) {
                objectStreams.add(start);
            }
        }
        return new Scan(null, objectStreams);
    }

    /**
     * The decoded data of the object stream whose dictionary contains the name at {@code at}: the
     * dictionary runs from the preceding {@code obj} keyword to the {@code stream} keyword.
     */
    private static Optional<byte[]> objectStreamContent(byte[] b, int at, int budget) {
        int dictStart = lastIndexOf(b, "obj", at);
        int keyword = indexOf(b, "stream", at);
        if (dictStart < 0 || keyword < 0) {
            return Optional.empty();
        }
        int data = keyword + "stream".length();
        if (data < b.length && b[data] == '\r') {
            data++;
        }
        if (data < b.length && b[data] == '\n') {
            data++;
        }
        int end = indexOf(b, "endstream", data);
        if (end < 0) {
            return Optional.empty();
        }
        java.util.Set<String> filters = new java.util.HashSet<>();
        for (String name : names(b, dictStart, keyword)) {
            if (FILTERS.contains(name)) {
                filters.add(name);
            }
        }
        if (filters.isEmpty()) {
            return end - data <= budget
                    ? Optional.of(java.util.Arrays.copyOfRange(b, data, end))
                    : Optional.empty();
        }
        if (!FLATE.containsAll(filters)) {
            return Optional.empty();
        }
        return inflate(b, data, end - data, budget);
    }

    private static java.util.List<String> names(byte[] b, int from, int to) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = from; i < to; i++) {
            if (b[i] == '/') {
                int j = i + 1;
                while (j < to && isRegular(b[j])) {
                    j++;
                }
                names.add(
                        new String(
                                b, i + 1, j - i - 1, java.nio.charset.StandardCharsets.ISO_8859_1));
                i = j - 1;
            }
        }
        return names;
    }

    private static Optional<byte[]> inflate(byte[] b, int offset, int length, int budget) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, offset, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return Optional.empty(); // truncated, or not Flate data (e.g. encrypted)
                }
                out.write(buffer, 0, n);
                if (out.size() > budget) {
                    return Optional.empty(); // a decompression bomb, or simply too much to check
                }
            }
            return Optional.of(out.toByteArray());
        } catch (DataFormatException e) {
            return Optional.empty();
        } finally {
            inflater.end();
        }
    }

    private static boolean isRegular(byte c) {
        return switch (c) {
            case 0, 9, 10, 12, 13, 32, '(', ')', '<', '>', '[', ']', '{', '}', '/', '%' -> false;
            default -> true;
        };
    }

    private static int hex(byte c) {
        return Character.digit((char) (c & 0xFF), 16);
    }

    private static int indexOf(byte[] b, String s, int from) {
        byte[] p = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        outer:
        for (int i = Math.max(0, from); i <= b.length - p.length; i++) {
            for (int k = 0; k < p.length; k++) {
                if (b[i + k] != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, String s, int before) {
        byte[] p = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        outer:
        for (int i = Math.min(before, b.length) - p.length; i >= 0; i--) {
            for (int k = 0; k < p.length; k++) {
                if (b[i + k] != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
