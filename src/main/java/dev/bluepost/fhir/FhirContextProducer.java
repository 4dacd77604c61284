package dev.bluepost.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one HAPI FHIR R4 context (expensive to build, thread-safe). */
@ApplicationScoped
public class FhirContextProducer {

    @Produces
    @Singleton
    FhirContext fhirContext() {
        FhirContext context = FhirContext.forR4Cached();
        context.getParserOptions().setStripVersionsFromReferences(false);
        return context;
    }
}
