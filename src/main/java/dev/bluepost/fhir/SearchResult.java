package dev.bluepost.fhir;

import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/** One page of matches and the total number of matches. */
public record SearchResult<R extends Resource>(List<R> page, long total) {
}
