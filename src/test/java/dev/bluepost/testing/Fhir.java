package dev.bluepost.testing;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** FHIR JSON for tests, with HAPI's model (the same library the server uses). */
public final class Fhir {

    public static final FhirContext CONTEXT = FhirContext.forR4Cached();

    private Fhir() {}

    public static String json(IBaseResource resource) {
        return CONTEXT.newJsonParser().encodeResourceToString(resource);
    }

    public static <T extends IBaseResource> T parse(String json, Class<T> type) {
        return CONTEXT.newJsonParser().parseResource(type, json);
    }
}
