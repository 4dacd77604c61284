package dev.bluepost.fhir;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
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

    /**
     * Adds {@code (c1 or c2 …)} built from each alternative value of a parameter; with {@code :not}
     * the opposite, where a resource without a value (a criterion that is null, not false) also
     * matches, as FHIR's {@code :not} asks. {@link SearchParameters} lets {@code :not} through only
     * to token parameters.
     */
    public HqlSearch anyOf(SearchParam param, Function<String, String> clauseForValue) {
        String any = String.join(" or ", param.values().stream().map(clauseForValue).toList());
        if (param.hasModifier(SearchParameterInfo.NOT)) {
            return and("(case when (" + any + ") then 1 else 0 end) = 0");
        }
        return and(any);
    }

    public String where() {
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    /**
     * The query's page of the {@code entity} rows (alias {@code e}) that match, in {@code orderBy}
     * order, and how many match in all ({@link SearchPage}).
     */
    public <E> SearchPage<E> page(
            EntityManager em, Class<E> entity, String orderBy, SearchQuery query) {
        // the entity's HQL name (its @Entity(name)), which need not be its class's simple name
        String from = " from " + em.getMetamodel().entity(entity).getName() + " e" + where();
        return SearchPage.of(
                query,
                () -> bound(em.createQuery("select count(e)" + from, Long.class)).getSingleResult(),
                (offset, limit) ->
                        bound(em.createQuery("select e" + from + " order by " + orderBy, entity))
                                .setFirstResult(offset)
                                .setMaxResults(limit)
                                .getResultList());
    }

    private <T> TypedQuery<T> bound(TypedQuery<T> query) {
        parameters.forEach(query::setParameter);
        return query;
    }
}
