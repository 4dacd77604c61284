package dev.bluepost.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.util.IModelVisitor;
import dev.bluepost.platform.errors.BluepostException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;

/**
 * Absolute references. Bluepost's resources are named {@code Type/id}; an absolute URL is read as
 * one of them only when it starts with this server's own base ({@link FhirBase}), and is then
 * rewritten to {@code Type/id}. An absolute URL of any other server is refused (400): it names
 * another server's resource, and must never be read as a local one that happens to have the same
 * id. Without a base (work outside a REST request) every absolute reference is refused.
 * Transaction {@code fullUrl}s are resolved before this check, so a Bundle may still name its
 * entries by any URL.
 */
@ApplicationScoped
public class FhirReferences {

    private static final Pattern ABSOLUTE =
            Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]*://.*", Pattern.DOTALL);

    private final FhirJson json;
    private final FhirBase base;

    public FhirReferences(FhirJson json, FhirBase base) {
        this.json = json;
        this.base = base;
    }

    /** {@link #localize(IBaseResource, Optional)} with the current request's base. */
    public void localize(IBaseResource resource) {
        localize(resource, base.current());
    }

    /**
     * Rewrites every absolute reference of {@code resource} (contained resources and extensions
     * included) that starts with {@code ownBase} to the relative form; a 400 naming the element for
     * the first one that does not.
     */
    public void localize(IBaseResource resource, Optional<String> ownBase) {
        json.context()
                .newTerser()
                .visit(
                        resource,
                        new IModelVisitor() {
                            @Override
                            public void acceptElement(
                                    IBaseResource owner,
                                    IBase element,
                                    List<String> path,
                                    BaseRuntimeChildDefinition child,
                                    BaseRuntimeElementDefinition<?> definition) {
                                if (element instanceof Reference reference
                                        && reference.hasReference()) {
                                    reference.setReference(
                                            localize(
                                                    reference.getReference(),
                                                    ownBase,
                                                    () ->
                                                            resource.fhirType()
                                                                    + "."
                                                                    + String.join(".", path)));
                                }
                            }
                        });
    }

    /** The current request's base, for callers that check references one at a time (search values). */
    public Optional<String> currentBase() {
        return base.current();
    }

    public static boolean isAbsolute(String reference) {
        return reference != null && ABSOLUTE.matcher(reference.trim()).matches();
    }

    /**
     * {@code reference} as Bluepost reads it: unchanged unless absolute; relative when it starts with
     * {@code ownBase}; otherwise a 400 saying that {@code where} (an element or parameter name, never
     * the value) refers to another server.
     */
    public static String localize(
            String reference, Optional<String> ownBase, java.util.function.Supplier<String> where) {
        if (!isAbsolute(reference)) {
            return reference;
        }
        String text = reference.trim();
        if (ownBase.isPresent()
                && isUnder(text, ownBase.get())
                && text.length() > ownBase.get().length()) {
            return text.substring(ownBase.get().length());
        }
        throw BluepostException.malformed(
                ownBase.map(
                                b ->
                                        where.get()
                                                + " refers to a resource on another server; references name this server's resources, "
                                                + "as Type/id or "
                                                + b
                                                + "Type/id.")
                        .orElseGet(
                                () ->
                                        where.get()
                                                + " is an absolute URL, which is read as a resource on another server here; "
                                                + "references name this server's resources as Type/id."));
    }

    /** Whether {@code url} lies under {@code base}: scheme and host compared without case, the path exactly. */
    static boolean isUnder(String url, String base) {
        int schemeEnd = base.indexOf("://");
        int pathStart = schemeEnd < 0 ? -1 : base.indexOf('/', schemeEnd + 3);
        if (pathStart < 0) {
            return false;
        }
        return url.length() >= base.length()
                && url.substring(0, pathStart)
                        .toLowerCase(Locale.ROOT)
                        .equals(base.substring(0, pathStart).toLowerCase(Locale.ROOT))
                && url.startsWith(base.substring(pathStart), pathStart);
    }
}
