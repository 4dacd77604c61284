package dev.bluepost.encounters.feed;

/**
 * Rows in PostgreSQL {@code COPY}'s text format: columns separated by tabs, rows by newlines,
 * {@code \N} for null, and backslash, tab, newline and carriage return escaped with a backslash.
 */
final class CopyText {

    private CopyText() {}

    /** Appends one row. */
    static void row(StringBuilder out, String... columns) {
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            field(out, columns[i]);
        }
        out.append('\n');
    }

    private static void field(StringBuilder out, String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0, n = value.length(); i < n; i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

    /** A PostgreSQL array literal of these strings, every element quoted ({@code {"a","b"}}). */
    static String array(String[] values) {
        StringBuilder out = new StringBuilder(2 + values.length * 32).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            String value = values[i];
            for (int j = 0, n = value.length(); j < n; j++) {
                char ch = value.charAt(j);
                if (ch == '"' || ch == '\\') {
                    out.append('\\');
                }
                out.append(ch);
            }
            out.append('"');
        }
        return out.append('}').toString();
    }
}
