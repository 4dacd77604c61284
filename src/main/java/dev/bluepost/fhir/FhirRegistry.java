package dev.bluepost.fhir;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Resource;

/** The resource types the FHIR API serves, each with the handler of the feature that owns it. */
@ApplicationScoped
public class FhirRegistry {

    private final Map<String, FhirResourceHandler<?>> handlers = new TreeMap<>();

    public FhirRegistry(@Any Instance<FhirResourceHandler<?>> all) {
        for (FhirResourceHandler<?> handler : all) {
            FhirResourceHandler<?> previous = handlers.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for " + handler.type());
            }
        }
    }

    @SuppressWarnings("unchecked")
    public <R extends Resource> FhirResourceHandler<R> handler(String type) {
        FhirResourceHandler<?> handler = handlers.get(type);
        if (handler == null) {
            throw new BluepostException(
                    ErrorKind.NOT_FOUND,
                    "Resource type '"
                            + type
                            + "' is not served by this server; "
                            + "see GET /fhir/metadata.");
        }
        return (FhirResourceHandler<R>) handler;
    }

    public Collection<FhirResourceHandler<?>> all() {
        return handlers.values();
    }
}
