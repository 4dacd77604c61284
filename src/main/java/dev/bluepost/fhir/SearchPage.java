package dev.bluepost.fhir;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The paging every search shares: count the matches, then fetch one page of them at the query's
 * {@code _offset}, at most {@code _count} long (nothing when the page is empty or lies past the last
 * match). The handler maps the rows to resources ({@link SearchResult}); {@link Bundles} adds the total
 * and the next/previous links.
 */
public record SearchPage<T>(List<T> rows, long total) {

    /** Fetches {@code limit} matches from {@code offset} on, in the search's order. */
    @FunctionalInterface
    public interface Fetch<T> {
        List<T> rows(int offset, int limit);
    }

    public static <T> SearchPage<T> of(SearchQuery query, LongSupplier count, Fetch<T> fetch) {
        long total = count.getAsLong();
        if (query.count() > 0 && query.offset() < total) {
            return new SearchPage<>(fetch.rows(query.offset(), query.count()), total);
        }
        return new SearchPage<>(List.of(), total);
    }
}
