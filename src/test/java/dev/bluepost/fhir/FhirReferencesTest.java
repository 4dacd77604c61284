package dev.bluepost.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import dev.bluepost.platform.errors.BluepostException;
import java.util.Optional;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class FhirReferencesTest {

    private static final String ID = "0b4f7f1e-8d0a-4c58-9d1a-3f0e1c2b3a4d";
    private static final Optional<String> OWN = Optional.of("http://bluepost.example:8080/fhir/");

    private final FhirReferences references =
            new FhirReferences(new FhirJson(FhirContext.forR4Cached()), new FhirBase());

    @Test
    void shouldRewriteReferencesToThisServerAndKeepRelativeOnes() {
        Encounter visit = new Encounter();
        visit.setSubject(new Reference("HTTP://Bluepost.Example:8080/fhir/Patient/" + ID));
        visit.addParticipant().setIndividual(new Reference("Practitioner/" + ID));
        visit.addLocation().setLocation(new Reference("#loc"));
        references.localize(visit, OWN);
        assertThat(visit.getSubject().getReference()).isEqualTo("Patient/" + ID);
        assertThat(visit.getParticipantFirstRep().getIndividual().getReference())
                .isEqualTo("Practitioner/" + ID);
        assertThat(visit.getLocationFirstRep().getLocation().getReference()).isEqualTo("#loc");
    }

    @Test
    void shouldRefuseAReferenceToAnotherServerNamingTheElementButNotTheValue() {
        Encounter visit = new Encounter();
        visit.setSubject(new Reference("https://ehr.example/fhir/Patient/" + ID));
        assertThatThrownBy(() -> references.localize(visit, OWN))
                .isInstanceOf(BluepostException.class)
                .hasMessageContaining("Encounter.subject")
                .hasMessageContaining("another server")
                .hasMessageContaining(OWN.get())
                .hasMessageNotContaining("ehr.example");

        // another path on this host is another server too
        Patient patient = new Patient();
        patient.addGeneralPractitioner(
                new Reference("http://bluepost.example:8080/other/Practitioner/" + ID));
        assertThatThrownBy(() -> references.localize(patient, OWN))
                .hasMessageContaining("Patient.generalPractitioner");

        Practitioner practitioner = new Practitioner();
        practitioner.addExtension(
                "https://fhir.bluepost.dev/StructureDefinition/practice",
                new Reference("https://ehr.example/fhir/Organization/" + ID));
        assertThatThrownBy(() -> references.localize(practitioner, OWN))
                .hasMessageContaining("Practitioner.extension");
    }

    @Test
    void shouldRefuseEveryAbsoluteReferenceWithoutABase() {
        Encounter visit = new Encounter();
        visit.setSubject(new Reference(OWN.get() + "Patient/" + ID));
        assertThatThrownBy(() -> references.localize(visit, Optional.empty()))
                .isInstanceOf(BluepostException.class)
                .hasMessageContaining("Encounter.subject")
                .hasMessageContaining("Type/id");
        assertThat(FhirReferences.localize("Patient/" + ID, Optional.empty(), () -> "x"))
                .isEqualTo("Patient/" + ID);
        assertThat(FhirReferences.localize("urn:uuid:" + ID, Optional.empty(), () -> "x"))
                .isEqualTo("urn:uuid:" + ID);
    }
}
