package dev.bluepost.fhir;

import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * A supported search parameter, as announced in the CapabilityStatement, with the modifiers it
 * implements. {@link SearchParameters} refuses a parameter or modifier not declared here, so a
 * handler never sees a modifier it would have to ignore. By default a token takes {@code :not}, a
 * string {@code :exact} and {@code :contains}, a reference a resource type ({@code subject:Patient});
 * a date takes none.
 */
public record SearchParameterInfo(
        String name, SearchParamType type, String documentation, Set<String> modifiers) {

    public static final String NOT = "not";
    public static final String EXACT = "exact";
    public static final String CONTAINS = "contains";

    public SearchParameterInfo {
        modifiers = Set.copyOf(modifiers);
    }

    public static SearchParameterInfo token(String name, String doc) {
        return new SearchParameterInfo(name, SearchParamType.TOKEN, doc, Set.of(NOT));
    }

    public static SearchParameterInfo reference(String name, String doc) {
        return new SearchParameterInfo(name, SearchParamType.REFERENCE, doc, Set.of());
    }

    public static SearchParameterInfo date(String name, String doc) {
        return new SearchParameterInfo(name, SearchParamType.DATE, doc, Set.of());
    }

    public static SearchParameterInfo string(String name, String doc) {
        return new SearchParameterInfo(name, SearchParamType.STRING, doc, Set.of(EXACT, CONTAINS));
    }

    /** The same parameter implementing only {@code modifiers} (none when empty). */
    public SearchParameterInfo withModifiers(String... modifiers) {
        return new SearchParameterInfo(name, type, documentation, Set.of(modifiers));
    }

    /** Whether {@code modifier} is implemented: a declared one, or a resource type on a reference parameter. */
    public boolean supports(String modifier) {
        return modifiers.contains(modifier)
                || (type == SearchParamType.REFERENCE && isResourceType(modifier));
    }

    /** What the parameter accepts after its name, for error messages and the CapabilityStatement. */
    public String modifierSummary() {
        String declared =
                modifiers.stream().sorted().map(m -> ":" + m).collect(Collectors.joining(", "));
        if (type == SearchParamType.REFERENCE) {
            return declared.isEmpty()
                    ? "a resource type (e.g. :Patient)"
                    : declared + " or a resource type (e.g. :Patient)";
        }
        return declared.isEmpty() ? "no modifier" : declared;
    }

    static boolean isResourceType(String modifier) {
        return modifier != null && modifier.matches("[A-Z][A-Za-z]{1,63}");
    }
}
