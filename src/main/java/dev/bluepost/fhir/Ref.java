package dev.bluepost.fhir;

import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Reference;

/**
 * A literal reference to one of Bluepost's own resources, {@code Type/id}; a version-specific
 * reference ({@code Type/id/_history/n}) is read as that form. Absolute URLs are not references
 * here: one to this server is rewritten to {@code Type/id} at the API's edge, and one to another
 * server is refused there ({@link FhirReferences}), so it is never taken for a local resource.
 */
public record Ref(String type, UUID id) {

    private static final Pattern LITERAL =
            Pattern.compile(
                    "^([A-Z][A-Za-z]+)/([A-Za-z0-9.\\-]{1,64})(?:/_history/[A-Za-z0-9.\\-]{1,64})?$");

    public static Ref of(String type, UUID id) {
        return new Ref(type, id);
    }

    public String value() {
        return type + "/" + id;
    }

    public Reference toReference() {
        return new Reference(value());
    }

    @Override
    public String toString() {
        return value();
    }

    /** Parses a literal reference; empty for anything else (including ids that are not Bluepost ids). */
    public static Optional<Ref> parse(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        Matcher m = LITERAL.matcher(reference.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Ids.parse(m.group(2)).map(id -> new Ref(m.group(1), id));
    }

    /** Whether the text has the shape of a literal reference, even with an id Bluepost never issues. */
    public static boolean looksLiteral(String reference) {
        return reference != null && LITERAL.matcher(reference.trim()).matches();
    }

    /**
     * The reference in {@code field}, which must be a literal reference to one of {@code types};
     * a 422 naming the field otherwise.
     */
    public static Ref require(Reference reference, String field, String... types) {
        return optional(reference, field, types)
                .orElseThrow(
                        () ->
                                BluepostException.businessRule(
                                        field
                                                + " is required (a reference to "
                                                + String.join(" or ", types)
                                                + ")."));
    }

    /** Like {@link #require} but empty when the field is absent. */
    public static Optional<Ref> optional(Reference reference, String field, String... types) {
        if (reference == null || !reference.hasReference()) {
            if (reference != null && reference.hasIdentifier()) {
                throw BluepostException.businessRule(
                        field
                                + " must be a literal reference (Type/id); "
                                + "logical references by identifier are resolved only in transactions as Type?identifier=…");
            }
            return Optional.empty();
        }
        String text = reference.getReference();
        Set<String> allowed = Set.of(types);
        Matcher m = LITERAL.matcher(text.trim());
        if (!m.matches() || !allowed.contains(m.group(1))) {
            throw BluepostException.businessRule(
                    field + " must reference " + String.join(" or ", types) + " as Type/id.");
        }
        Optional<Ref> ref = parse(text);
        if (ref.isEmpty()) {
            throw BluepostException.businessRule(
                    field
                            + " refers to "
                            + m.group(1)
                            + "/"
                            + m.group(2)
                            + ", which is not known.");
        }
        return ref;
    }

    public boolean isOneOf(String... types) {
        return Arrays.asList(types).contains(type);
    }
}
