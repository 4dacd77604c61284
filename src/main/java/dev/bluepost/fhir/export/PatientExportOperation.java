package dev.bluepost.fhir.export;

import dev.bluepost.fhir.FhirOperationDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code Patient/$export} in the CapabilityStatement ({@code Group/$export} is declared by the Group handler). */
@ApplicationScoped
public class PatientExportOperation implements FhirOperationDefinition {

    @Override
    public String resourceType() {
        return "Patient";
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String definitionUrl() {
        return "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";
    }
}
