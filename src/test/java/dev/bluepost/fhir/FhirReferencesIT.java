package dev.bluepost.fhir;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Absolute references: one to this server's own base URL is read as {@code Type/id}; one to any
 * other server is refused (400), never read as a local resource with the same id.
 */
@QuarkusTest
class FhirReferencesIT {

    private static final String ELSEWHERE = "https://ehr.example/fhir/";

    @Test
    void shouldRefuseAReferenceToAnotherServerInsteadOfReadingItAsALocalOne() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));

        Encounter visit =
                aVisit(
                        ELSEWHERE + patient,
                        ep,
                        null,
                        practice,
                        Instant.parse("2025-03-03T15:00:00Z"));
        refused(Api.post(visit).then(), "Encounter.subject");
        Communication message = aMessage(patient, ELSEWHERE + ep, "to a doctor on another server");
        refused(Api.post(message).then(), "Communication.recipient");
        Patient withGp = aPatient(practice);
        withGp.addGeneralPractitioner(new Reference(ELSEWHERE + ep));
        refused(Api.post(withGp).then(), "Patient.generalPractitioner");
        Patient linked = aPatient(ELSEWHERE + practice);
        refused(Api.post(linked).then(), "Patient.managingOrganization");

        fhir().get("/fhir/Encounter?subject=" + patient).then().body("total", is(0));
        fhir().get("/fhir/Communication?subject=" + patient).then().body("total", is(0));
    }

    @Test
    void shouldReadAReferenceToThisServersOwnBaseAsTypeAndId() {
        String base = ownBase();
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));

        String visit =
                Api.create(
                        aVisit(
                                base + patient,
                                base + ep + "/_history/1",
                                null,
                                base + practice,
                                Instant.parse("2025-03-03T15:00:00Z")));
        fhir().get("/fhir/Encounter/" + visit)
                .then()
                .statusCode(200)
                .body("subject.reference", equalTo(patient))
                .body("serviceProvider.reference", equalTo(practice));
        String message = Api.create(aMessage(base + patient, base + ep, "to this server's doctor"));
        fhir().get("/fhir/Communication/" + message)
                .then()
                .body("recipient[0].reference", equalTo(ep));

        fhir().get("/fhir/Encounter?subject=" + base + patient)
                .then()
                .statusCode(200)
                .body("total", is(1));
        fhir().get("/fhir/Encounter?subject=" + ELSEWHERE + patient)
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("another server"));
    }

    @Test
    void shouldRefuseAReferenceToAnotherServerInATransactionEntry() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(
                        aVisit(patient, ep, null, practice, Instant.parse("2025-03-03T15:00:00Z")))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Encounter");
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(aMessage(patient, ELSEWHERE + ep, "in a transaction"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication");
        fhir().body(Fhir.json(bundle))
                .post("/fhir")
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", startsWith("Bundle entry 1 (Communication)"))
                .body("issue[0].diagnostics", containsString("another server"));
        fhir().get("/fhir/Encounter?subject=" + patient).then().body("total", is(0));

        // an absolute fullUrl of another system is only a name inside the Bundle: references to it
        // are rewritten
        String fullUrl = ELSEWHERE + "Patient/ehr-123";
        Bundle named = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        named.addEntry()
                .setFullUrl(fullUrl)
                .setResource(aPatient(practice))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        named.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(
                        aVisit(fullUrl, ep, null, practice, Instant.parse("2025-03-03T15:00:00Z")))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Encounter");
        fhir().body(Fhir.json(named))
                .post("/fhir")
                .then()
                .statusCode(200)
                .body("entry[1].resource.subject.reference", startsWith("Patient/"));
    }

    /** This server's FHIR base as it names itself in a Location header. */
    private static String ownBase() {
        String location = Api.post(aPractice()).then().statusCode(201).extract().header("Location");
        String base = location.substring(0, location.indexOf("/fhir/") + "/fhir/".length());
        assertThat(base).startsWith("http");
        return base;
    }

    private static void refused(
            io.restassured.response.ValidatableResponse response, String field) {
        response.statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("invalid"))
                .body("issue[0].diagnostics", containsString(field))
                .body("issue[0].diagnostics", containsString("another server"));
    }
}
