package dev.bluepost.platform.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine-readable access matrix, {@code docs/access-matrix.csv}: one row per endpoint (JAX-RS
 * method and path template) and sample request, one column per kind of caller, each cell
 * {@code allow}, {@code deny} or {@code own} (reaches the endpoint but sees only its own data: the
 * home patient's ids never appear in the answer). docs/security.md carries the same table,
 * generated from this file ({@link #markdown()}; {@code AccessMatrixDocTest} keeps them equal).
 */
record AccessMatrix(List<String> callers, List<Row> rows) {

    static final Path FILE = Path.of("docs/access-matrix.csv");
    static final String BEGIN =
            "<!-- access-matrix:begin (generated from docs/access-matrix.csv; do not edit by hand) -->";
    static final String END = "<!-- access-matrix:end -->";

    record Row(
            String method, String path, String sample, String form, Map<String, String> expected) {

        String key() {
            return method + " " + path;
        }
    }

    static AccessMatrix read() throws IOException {
        List<String> lines =
                Files.readAllLines(FILE, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.isBlank() && !l.startsWith("#"))
                        .toList();
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        if (!header.subList(0, 4).equals(List.of("method", "path", "sample", "form"))) {
            throw new IllegalStateException(
                    "access-matrix.csv must start with method,path,sample,form");
        }
        List<String> callers = header.subList(4, header.size());
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) {
                throw new IllegalStateException(
                        "access-matrix.csv: wrong number of cells in: " + line);
            }
            Map<String, String> expected = new TreeMap<>();
            for (int i = 0; i < callers.size(); i++) {
                String value = cells[i + 4].trim();
                if (!List.of("allow", "deny", "own").contains(value)) {
                    throw new IllegalStateException(
                            "access-matrix.csv: '"
                                    + value
                                    + "' is not allow, deny or own in: "
                                    + line);
                }
                expected.put(callers.get(i), value);
            }
            rows.add(
                    new Row(
                            cells[0].trim(),
                            cells[1].trim(),
                            cells[2].trim(),
                            cells[3].trim(),
                            expected));
        }
        return new AccessMatrix(List.copyOf(callers), List.copyOf(rows));
    }

    /** The table as docs/security.md shows it, between {@link #BEGIN} and {@link #END}. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("| endpoint | sample request |");
        callers.forEach(c -> md.append(' ').append(c.replace('_', ' ')).append(" |"));
        md.append('\n').append("|---|---|");
        callers.forEach(c -> md.append("---|"));
        md.append('\n');
        for (Row row : rows) {
            md.append("| `")
                    .append(row.key())
                    .append("` | `")
                    .append(row.sample())
                    .append(row.form().isEmpty() ? "" : " ← " + row.form())
                    .append("` |");
            callers.forEach(c -> md.append(' ').append(symbol(row.expected().get(c))).append(" |"));
            md.append('\n');
        }
        return md.toString();
    }

    private static String symbol(String value) {
        return switch (value) {
            case "allow" -> "allow";
            case "own" -> "own only";
            default -> "–";
        };
    }
}
