package dev.bluepost.fhir;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When the JSON a client sent can be stored as is instead of encoding the parsed resource again.
 * Encoding with HAPI is the most expensive step of storing a resource (a bulk import spends more
 * time on it than on parsing); for a resource whose JSON is already in the form Bluepost stores —
 * references literal {@code Type/id}, nothing HAPI would drop or rewrite — the sent text is
 * equivalent as {@code jsonb} to what encoding would produce (same members, same values, same
 * array order; only whitespace and member order may differ, which {@code jsonb} does not keep).
 * Anything this class cannot vouch for is left to HAPI: the check only ever answers "reuse" for
 * content it understands completely, and "encode" otherwise (which is always correct).
 *
 * <p>{@link #read} parses with Jackson as HAPI does (decimals as written, trailing content
 * refused), and HAPI's strict parse then reads that same tree ({@code FhirJson#parse(Source, Class)})
 * and decides whether the resource is valid.
 */
public final class StoredJson {

    private static final Pattern RELATIVE = Pattern.compile("[A-Z][A-Za-z]+/[A-Za-z0-9.\\-]{1,64}");

    private static final JsonMapper EXACT =
            JsonMapper.builder()
                    .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .enable(
                            DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
                            DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .build();

    /** As HAPI reads JSON (its {@code JacksonStructure}): exact decimals, a leading {@code +} allowed, duplicate members last wins. */
    private static final JsonMapper LENIENT =
            JsonMapper.builder()
                    .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .enable(
                            DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
                            DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
                    .build();

    /**
     * JSON as received: its text and its tree; {@code exact} is false when the text had duplicate
     * members or numbers with a leading {@code +} (HAPI accepts both; neither is ever stored as sent).
     */
    public record Source(String text, JsonNode tree, boolean exact) {}

    private StoredJson() {}

    /** Parses JSON text; empty when it is not JSON at all. */
    public static Optional<Source> read(String text) {
        try {
            return Optional.of(new Source(text, EXACT.readTree(text), true));
        } catch (JsonProcessingException duplicateOrInvalid) {
            try {
                // duplicate members are legal JSON; such a text is parsed but never stored as sent
                return Optional.of(new Source(text, LENIENT.readTree(text), false));
            } catch (JsonProcessingException invalid) {
                return Optional.empty();
            }
        }
    }

    /**
     * The JSON to store for this source: its text when it needs no change, the tree without the
     * server-owned {@code id}, {@code meta.versionId} and {@code meta.lastUpdated} when only those
     * differ; empty when the resource has to be encoded again (references to normalize, content
     * HAPI would drop or rewrite, or anything this check does not know).
     */
    public static Optional<String> storable(Source source) {
        if (source == null
                || !source.exact()
                || !(source.tree() instanceof ObjectNode root)
                || !reusable(root)) {
            return Optional.empty();
        }
        boolean serverOwned = root.has("id");
        JsonNode meta = root.get("meta");
        if (meta != null && (meta.has("versionId") || meta.has("lastUpdated"))) {
            serverOwned = true;
        }
        if (!serverOwned) {
            return Optional.of(source.text());
        }
        ObjectNode stored = root.deepCopy();
        stored.remove("id");
        if (stored.get("meta") instanceof ObjectNode storedMeta) {
            storedMeta.remove("versionId");
            storedMeta.remove("lastUpdated");
            if (storedMeta.isEmpty()) {
                stored.remove("meta");
            }
        }
        try {
            return Optional.of(EXACT.writeValueAsString(stored));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether every member is one HAPI keeps as written: no empty or null values (dropped), no
     * narrative (XHTML is re-serialized), no contained resources (HAPI may rewrite or drop them),
     * no primitive extensions ({@code _x}, aligned with nulls), no decimals (written from their
     * numeric value), no strings with surrounding white space, and every {@code reference} already
     * in the stored form (see {@link #storedForm}).
     */
    private static boolean reusable(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                if (node.isEmpty()) {
                    return false;
                }
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String name = field.getKey();
                    if (name.isEmpty()
                            || name.charAt(0) == '_'
                            || name.equals("contained")
                            || name.equals("div")
                            || name.equals("text") && field.getValue().isObject()
                            || name.equals("fhir_comments")) {
                        return false;
                    }
                    if (name.equals("reference") && !storedForm(field.getValue())) {
                        return false;
                    }
                    if (!reusable(field.getValue())) {
                        return false;
                    }
                }
                return true;
            }
            case ARRAY -> {
                if (node.isEmpty()) {
                    return false;
                }
                for (JsonNode element : node) {
                    if (!reusable(element)) {
                        return false;
                    }
                }
                return true;
            }
            case STRING -> {
                String value = node.textValue();
                return !value.isEmpty()
                        && !Character.isWhitespace(value.charAt(0))
                        && !Character.isWhitespace(value.charAt(value.length() - 1));
            }
            case NUMBER -> {
                return node.isIntegralNumber();
            }
            case BOOLEAN -> {
                return true;
            }
            default -> {
                return false; // null, binary, POJO, missing
            }
        }
    }

    /**
     * A {@code reference} value that neither normalization nor HAPI's encoder would change: a
     * relative literal {@code Type/id} (a Bluepost id in its canonical form, or another server's
     * id). Absolute, versioned, local ({@code #}), conditional and {@code urn:} references are left to HAPI.
     */
    private static boolean storedForm(JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        String reference = value.textValue();
        Optional<Ref> bluepost = Ref.parse(reference);
        return bluepost.isPresent()
                ? bluepost.get().value().equals(reference)
                : RELATIVE.matcher(reference).matches();
    }
}
