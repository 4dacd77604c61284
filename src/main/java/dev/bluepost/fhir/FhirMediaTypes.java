package dev.bluepost.fhir;

/** The media types of the FHIR API (JSON only; plain application/json is accepted too). */
public final class FhirMediaTypes {
    public static final String FHIR_JSON = "application/fhir+json";
    public static final String FHIR_JSON_UTF8 = "application/fhir+json;charset=utf-8";
    public static final String JSON = "application/json";

    private FhirMediaTypes() {}
}
