package dev.bluepost.directory.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.HumanName;

/** The display form of FHIR names (the official name first, else the first usable one). */
final class FhirNames {

    private FhirNames() {}

    static HumanName preferred(List<HumanName> names) {
        return names.stream()
                .filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
                .findFirst()
                .orElse(
                        names.stream()
                                .filter(n -> n.hasFamily() || n.hasGiven() || n.hasText())
                                .findFirst()
                                .orElse(null));
    }

    static String display(List<HumanName> names) {
        HumanName name = preferred(names);
        if (name == null) {
            return null;
        }
        if (name.hasText()) {
            return name.getText().trim();
        }
        String text =
                (name.getGivenAsSingleString() + " " + (name.hasFamily() ? name.getFamily() : ""))
                        .trim();
        return text.isEmpty() ? null : text;
    }

    static String family(List<HumanName> names) {
        HumanName name = preferred(names);
        return name != null && name.hasFamily() ? name.getFamily() : null;
    }
}
