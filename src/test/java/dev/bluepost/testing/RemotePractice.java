package dev.bluepost.testing;

import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.anEp;

import org.hl7.fhir.r4.model.Communication;

/**
 * The smallest directory a patient message needs (practice, eligible professional, patient),
 * created through the FHIR API of a {@link PackagedApp} as the system client. References are
 * {@code Type/id}.
 */
public record RemotePractice(String practice, String ep, String patient, String patientIdentifier) {

    /** Neutral text: the tests never send anything that looks like patient data. */
    public static final String TEXT = "Integration test message without patient data.";

    public static RemotePractice create(PackagedApp app) {
        String practice = app.create(aPractice());
        String ep = app.create(anEp(practice));
        var patient = aPatient(practice);
        String patientRef = app.create(patient);
        return new RemotePractice(
                practice, ep, patientRef, patient.getIdentifierFirstRep().getValue());
    }

    /** A new message from the patient to the EP (a new thread, so it becomes a queue item). */
    public Communication message() {
        return aMessage(patient, ep, TEXT);
    }

    /** The id part of a {@code Type/id} reference. */
    public static String id(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
