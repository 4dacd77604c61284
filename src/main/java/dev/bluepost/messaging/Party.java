package dev.bluepost.messaging;

import java.util.UUID;

/** A sender or recipient of a message: its FHIR type (Patient, RelatedPerson, Practitioner, CareTeam, Device) and id. */
public record Party(String type, UUID id) {

    public static final String PATIENT = "Patient";
    public static final String RELATED_PERSON = "RelatedPerson";
    public static final String PRACTITIONER = "Practitioner";
    public static final String CARE_TEAM = "CareTeam";
    public static final String DEVICE = "Device";

    public static Party parse(String reference) {
        int slash = reference.indexOf('/');
        return new Party(
                reference.substring(0, slash), UUID.fromString(reference.substring(slash + 1)));
    }

    public String reference() {
        return type + "/" + id;
    }

    public boolean is(String expectedType) {
        return type.equals(expectedType);
    }
}
