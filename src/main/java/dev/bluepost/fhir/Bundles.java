package dev.bluepost.fhir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/** Builds searchset Bundles with total, self/next/previous links and full URLs. */
public final class Bundles {

    private Bundles() {}

    public static Bundle searchset(
            String type,
            SearchResult<? extends Resource> result,
            SearchQuery query,
            String baseUrl) {
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal((int) Math.min(result.total(), Integer.MAX_VALUE));
        bundle.addLink().setRelation("self").setUrl(pageUrl(type, query, query.offset(), baseUrl));
        if (query.count() > 0 && query.offset() + query.count() < result.total()) {
            bundle.addLink()
                    .setRelation("next")
                    .setUrl(pageUrl(type, query, query.offset() + query.count(), baseUrl));
        }
        if (query.offset() > 0) {
            bundle.addLink()
                    .setRelation("previous")
                    .setUrl(
                            pageUrl(
                                    type,
                                    query,
                                    Math.max(0, query.offset() - query.count()),
                                    baseUrl));
        }
        for (Resource resource : result.page()) {
            bundle.addEntry()
                    .setFullUrl(baseUrl + type + "/" + resource.getIdElement().getIdPart())
                    .setResource(resource)
                    .getSearch()
                    .setMode(Bundle.SearchEntryMode.MATCH);
        }
        if (!result.warnings().isEmpty()) {
            OperationOutcome outcome = new OperationOutcome();
            result.warnings()
                    .forEach(
                            warning ->
                                    outcome.addIssue()
                                            .setSeverity(OperationOutcome.IssueSeverity.WARNING)
                                            .setCode(OperationOutcome.IssueType.PROCESSING)
                                            .setDiagnostics(warning));
            bundle.addEntry()
                    .setResource(outcome)
                    .getSearch()
                    .setMode(Bundle.SearchEntryMode.OUTCOME);
        }
        return bundle;
    }

    private static String pageUrl(String type, SearchQuery query, int offset, String baseUrl) {
        String params =
                query.params().stream()
                        .map(
                                p ->
                                        encode(
                                                        p.modifier() == null
                                                                ? p.name()
                                                                : p.name() + ":" + p.modifier())
                                                + "="
                                                + p.values().stream()
                                                        .map(
                                                                v ->
                                                                        encode(
                                                                                v.replace(
                                                                                                "\\",
                                                                                                "\\\\")
                                                                                        .replace(
                                                                                                ",",
                                                                                                "\\,")))
                                                        .collect(Collectors.joining(",")))
                        .collect(Collectors.joining("&"));
        String paging = "_count=" + query.count() + "&_offset=" + offset;
        return baseUrl + type + "?" + (params.isEmpty() ? paging : params + "&" + paging);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
