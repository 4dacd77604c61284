package dev.bluepost.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IJsonLikeParser;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bluepost.platform.errors.BluepostException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * Parsing and writing FHIR JSON with HAPI. Incoming resources are parsed strictly (an unknown
 * element is an error, not silently dropped); parser messages are cleaned of HAPI codes and Java
 * names before they reach a client.
 */
@ApplicationScoped
public class FhirJson {

    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d+:\\s*");
    private static final Pattern JAVA_NAME =
            Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Za-z_$][\\w$]*");

    private final FhirContext context;

    public FhirJson(FhirContext context) {
        this.context = context;
    }

    public FhirContext context() {
        return context;
    }

    /** Parses a resource of any type; 400 when the text is not FHIR JSON. */
    public Resource parse(String body) {
        if (body == null || body.isBlank()) {
            throw BluepostException.malformed(
                    "The request has no body; a FHIR resource in JSON was expected.");
        }
        IBaseResource parsed;
        try {
            parsed = strictParser().parseResource(body);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw BluepostException.malformed(
                    "The body is not a valid FHIR R4 JSON resource: " + clean(e.getMessage()));
        }
        if (!(parsed instanceof Resource resource)) {
            throw BluepostException.malformed("The body is not a FHIR R4 resource.");
        }
        return resource;
    }

    public <R extends Resource> R parse(String body, Class<R> type) {
        Resource resource = parse(body);
        if (!type.isInstance(resource)) {
            throw BluepostException.malformed(
                    "Expected a "
                            + type.getSimpleName()
                            + " but the body is a "
                            + resource.fhirType()
                            + ".");
        }
        return type.cast(resource);
    }

    /**
     * Parses a resource from JSON Jackson has already read ({@link StoredJson#read}), as strictly
     * as {@link #parse(String, Class)} and with the same messages: HAPI reads the same tree it
     * would have built from the text, without parsing the text a second time. A source whose text
     * had duplicate members is parsed from the text.
     */
    public <R extends Resource> R parse(StoredJson.Source source, Class<R> type) {
        if (!source.exact() || !(source.tree() instanceof ObjectNode object)) {
            return parse(source.text(), type);
        }
        JacksonStructure structure = new JacksonStructure();
        structure.setNativeObject(object);
        IBaseResource parsed;
        try {
            parsed = ((IJsonLikeParser) strictParser()).parseResource(structure);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            throw BluepostException.malformed(
                    "The body is not a valid FHIR R4 JSON resource: " + clean(e.getMessage()));
        }
        if (!(parsed instanceof Resource resource)) {
            throw BluepostException.malformed("The body is not a FHIR R4 resource.");
        }
        if (!type.isInstance(resource)) {
            throw BluepostException.malformed(
                    "Expected a "
                            + type.getSimpleName()
                            + " but the body is a "
                            + resource.fhirType()
                            + ".");
        }
        return type.cast(resource);
    }

    /** Parses JSON this server wrote itself (stored resources), leniently. */
    public <R extends Resource> R parseStored(String json, Class<R> type) {
        return context.newJsonParser().parseResource(type, json);
    }

    public String write(IBaseResource resource, boolean pretty) {
        return context.newJsonParser().setPrettyPrint(pretty).encodeResourceToString(resource);
    }

    public String write(IBaseResource resource) {
        return write(resource, false);
    }

    private IParser strictParser() {
        return context.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    }

    static String clean(String message) {
        if (message == null) {
            return "unreadable content";
        }
        String text = HAPI_CODE.matcher(message).replaceAll("");
        text = JAVA_NAME.matcher(text).replaceAll("(internal type)");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
