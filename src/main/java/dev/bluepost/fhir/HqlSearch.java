package dev.bluepost.fhir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the WHERE clause of a search from criteria over the entity alias {@code e}, with every
 * value bound as a parameter (never concatenated into the query).
 */
public final class HqlSearch {

    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();

    /** Binds a value and returns its placeholder ({@code :p0}, {@code :p1}, …). */
    public String bind(Object value) {
        String name = "p" + parameters.size();
        parameters.put(name, value);
        return ":" + name;
    }

    public HqlSearch and(String clause) {
        clauses.add("(" + clause + ")");
        return this;
    }

    /** Adds {@code (c1 or c2 …)} built from each alternative value of a parameter. */
    public HqlSearch anyOf(List<String> values, Function<String, String> clauseForValue) {
        List<String> alternatives = values.stream().map(clauseForValue).toList();
        return and(String.join(" or ", alternatives));
    }

    public String where() {
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    public Map<String, Object> parameters() {
        return parameters;
    }
}
