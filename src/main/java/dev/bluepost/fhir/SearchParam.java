package dev.bluepost.fhir;

import java.util.List;

/**
 * One search parameter of a request: {@code name[:modifier]=v1,v2}. The values are alternatives
 * (OR); repeating a parameter combines them with AND.
 */
public record SearchParam(String name, String modifier, List<String> values) {

    public boolean hasModifier(String expected) {
        return expected.equals(modifier);
    }
}
