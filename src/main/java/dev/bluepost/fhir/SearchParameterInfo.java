package dev.bluepost.fhir;

import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/** A supported search parameter, as announced in the CapabilityStatement. */
public record SearchParameterInfo(String name, SearchParamType type, String documentation) {

    public static SearchParameterInfo token(String name, String doc) {
        return new SearchParameterInfo(name, SearchParamType.TOKEN, doc);
    }

    public static SearchParameterInfo reference(String name, String doc) {
        return new SearchParameterInfo(name, SearchParamType.REFERENCE, doc);
    }

    public static SearchParameterInfo date(String name, String doc) {
        return new SearchParameterInfo(name, SearchParamType.DATE, doc);
    }

    public static SearchParameterInfo string(String name, String doc) {
        return new SearchParameterInfo(name, SearchParamType.STRING, doc);
    }
}
