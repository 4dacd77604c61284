package dev.bluepost.measurement;

import java.util.Arrays;
import java.util.stream.Collectors;

/** RFC 4180 CSV cells; a cell that a spreadsheet would run as a formula is prefixed with a quote. */
final class Csv {

    private Csv() {}

    static String row(Object... cells) {
        return Arrays.stream(cells)
                        .map(c -> escape(c == null ? "" : String.valueOf(c)))
                        .collect(Collectors.joining(","))
                + "\r\n";
    }

    static String escape(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?\\d+(\\.\\d+)?")) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
