package dev.bluepost.fhir;

import dev.bluepost.platform.errors.BluepostException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A parsed FHIR search: its parameters plus paging ({@code _count}, {@code _offset}). */
public record SearchQuery(List<SearchParam> params, int count, int offset) {

    public static final int DEFAULT_COUNT = 50;
    public static final int MAX_COUNT = 500;

    /** Result parameters that do not filter; {@code _format} and {@code _pretty} are checked by the resource. */
    private static final Set<String> CONTROL =
            Set.of("_count", "_offset", "_format", "_pretty", "_total");

    public static SearchQuery from(Map<String, List<String>> query) {
        List<SearchParam> params = new ArrayList<>();
        int count = DEFAULT_COUNT;
        int offset = 0;
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String key = entry.getKey();
            for (String raw : entry.getValue()) {
                if (key.equals("_count")) {
                    count = boundedInt(key, raw, 0, MAX_COUNT);
                } else if (key.equals("_offset")) {
                    offset = boundedInt(key, raw, 0, Integer.MAX_VALUE);
                } else if (!CONTROL.contains(key)) {
                    int colon = key.indexOf(':');
                    String name = colon < 0 ? key : key.substring(0, colon);
                    String modifier = colon < 0 ? null : key.substring(colon + 1);
                    List<String> values = splitValues(raw);
                    if (values.isEmpty()) {
                        throw BluepostException.malformed(
                                "Search parameter " + key + " has no value.");
                    }
                    params.add(new SearchParam(name, modifier, values));
                }
            }
        }
        return new SearchQuery(List.copyOf(params), count, offset);
    }

    /** Parses a query string such as {@code identifier=sys|123&name=x} (ifNoneExist, conditional references). */
    public static SearchQuery parse(String queryString) {
        Map<String, List<String>> query = new java.util.LinkedHashMap<>();
        if (queryString != null && !queryString.isBlank()) {
            for (String pair : queryString.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw BluepostException.malformed(
                            "Search criterion '" + pair + "' is not name=value.");
                }
                String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return from(query);
    }

    public boolean isEmpty() {
        return params.isEmpty();
    }

    private static int boundedInt(String name, String raw, int min, int max) {
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min) {
                throw new NumberFormatException();
            }
            return Math.min(value, max);
        } catch (NumberFormatException e) {
            throw BluepostException.malformed(
                    name + " must be a whole number of at least " + min + ".");
        }
    }

    /** Splits on commas not escaped with a backslash, and unescapes. */
    static List<String> splitValues(String raw) {
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                current.append(raw.charAt(++i));
            } else if (c == ',') {
                values.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        values.add(current.toString());
        values.removeIf(String::isBlank);
        return values;
    }
}
