package dev.bluepost.fhir;

/** An extended operation ({@code $name}) a feature offers on a resource type, for the CapabilityStatement. */
public interface FhirOperationDefinition {

    String resourceType();

    /** Without the dollar sign, e.g. {@code evaluate-measure}. */
    String name();

    String definitionUrl();
}
