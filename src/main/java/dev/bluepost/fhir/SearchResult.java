package dev.bluepost.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * One page of matches, the total number of matches, and warnings about matches left out of the
 * page (e.g. a stored message that failed its integrity check); the searchset Bundle carries the
 * warnings as an OperationOutcome entry with {@code search.mode = outcome}.
 */
public record SearchResult<R extends Resource>(List<R> page, long total, List<String> warnings) {

    public SearchResult(List<R> page, long total) {
        this(page, total, List.of());
    }
}
