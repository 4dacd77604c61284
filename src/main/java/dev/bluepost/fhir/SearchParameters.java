package dev.bluepost.fhir;

import dev.bluepost.platform.errors.BluepostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * The one reading of a search's parameters against what its type declares
 * ({@link FhirResourceHandler#searchParameters()}), for every search: the REST search, transaction
 * GET entries and conditional criteria ({@code ifNoneExist}, conditional PUT and references).
 *
 * <ul>
 *   <li>a parameter the type does not declare → 400;</li>
 *   <li>a modifier the parameter does not implement ({@link SearchParameterInfo#supports}) → 400,
 *       never ignored (an ignored {@code :not} would answer the opposite of the question);</li>
 *   <li>reference values: an absolute URL becomes {@code Type/id} when it is this server's and is
 *       refused (400) when it is another server's ({@link FhirReferences}); a type modifier
 *       ({@code subject:Patient=123}) is applied to the values ({@code Patient/123}) and removed, and
 *       a value naming another type is refused.</li>
 * </ul>
 * What reaches a handler therefore carries only modifiers it implements: {@code :not} on tokens
 * ({@link HqlSearch#anyOf}), {@code :exact}/{@code :contains} on strings.
 */
public final class SearchParameters {

    private SearchParameters() {}

    public static SearchQuery check(
            FhirResourceHandler<?> handler, SearchQuery query, Optional<String> ownBase) {
        Map<String, SearchParameterInfo> declared = new LinkedHashMap<>();
        handler.searchParameters().forEach(p -> declared.put(p.name(), p));
        List<SearchParam> checked = new ArrayList<>(query.params().size());
        for (SearchParam param : query.params()) {
            SearchParameterInfo info = declared.get(param.name());
            if (info == null) {
                throw BluepostException.malformed(
                        "Search parameter '"
                                + param.name()
                                + "' is not supported for "
                                + handler.type()
                                + "; see GET /fhir/metadata.");
            }
            if (param.modifier() != null && !info.supports(param.modifier())) {
                throw BluepostException.malformed(
                        "The modifier :"
                                + param.modifier()
                                + " is not supported for the "
                                + info.type().toCode()
                                + " parameter '"
                                + param.name()
                                + "' of "
                                + handler.type()
                                + " (it takes "
                                + info.modifierSummary()
                                + ").");
            }
            checked.add(
                    info.type() == SearchParamType.REFERENCE ? reference(param, ownBase) : param);
        }
        return new SearchQuery(List.copyOf(checked), query.count(), query.offset());
    }

    /** A reference parameter's values as {@code Type/id} (or a bare id), its type modifier applied. */
    private static SearchParam reference(SearchParam param, Optional<String> ownBase) {
        String type = param.modifier();
        List<String> values = new ArrayList<>(param.values().size());
        for (String raw : param.values()) {
            String value =
                    FhirReferences.localize(
                            raw, ownBase, () -> "The search value of '" + param.name() + "'");
            if (type != null) {
                int slash = value.indexOf('/');
                if (slash < 0) {
                    value = type + "/" + value;
                } else if (!value.startsWith(type + "/")) {
                    throw BluepostException.malformed(
                            param.name()
                                    + ":"
                                    + type
                                    + " takes "
                                    + type
                                    + " ids, but a value names a "
                                    + (SearchParameterInfo.isResourceType(value.substring(0, slash))
                                            ? value.substring(0, slash)
                                            : "another type")
                                    + ".");
                }
            }
            values.add(value);
        }
        return new SearchParam(param.name(), null, List.copyOf(values));
    }
}
