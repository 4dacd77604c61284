package dev.bluepost.fhir;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.anEp;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.Test;

/**
 * "The same message delivered twice is stored once" (docs/fhir.md §3): a Communication whose identifier
 * is already stored answers the stored message (200, its real location), with or without
 * ifNoneExist, alone or in a transaction; two entries of one Bundle with one identifier are refused
 * (409) before anything is written.
 */
@QuarkusTest
class FhirMessageIdentityIT {

    @Test
    void shouldAnswerTheStoredMessageWhenATransactionRepeatsItsIdentifierWithoutIfNoneExist() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        Communication message = aMessage(patient, ep, "delivered by a transaction twice");
        String stored = Api.create(message);

        Bundle again = transaction();
        again.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(message.copy())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication");
        String location =
                fhir().body(Fhir.json(again))
                        .post("/fhir")
                        .then()
                        .statusCode(200)
                        .body("entry[0].response.status", equalTo("200 OK"))
                        .body("entry[0].resource.id", equalTo(stored))
                        .extract()
                        .path("entry[0].response.location");
        // the location names a message that exists
        fhir().get("/fhir/" + location.substring(0, location.indexOf("/_history")))
                .then()
                .statusCode(200)
                .body("id", equalTo(stored));
        fhir().get("/fhir/Communication?subject=" + patient).then().body("total", is(1));
    }

    @Test
    void shouldRefuseTwoEntriesOfOneTransactionWithOneIdentifierAndStoreNothing() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        Communication first = aMessage(patient, ep, "first text");
        Communication second = aMessage(patient, ep, "second text");
        second.setIdentifier(first.getIdentifier());

        Bundle bundle = transaction();
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(first)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication");
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(second)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication");
        fhir().body(Fhir.json(bundle))
                .post("/fhir")
                .then()
                .statusCode(409)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("conflict"))
                .body("issue[0].diagnostics", startsWith("Bundle entry 1 (Communication)"))
                .body("issue[0].diagnostics", containsString("entry 0"));
        fhir().get("/fhir/Communication?subject=" + patient).then().body("total", is(0));
    }

    @Test
    void shouldRefuseTwoEntriesWithOneIdentifierEvenWhenBothAskIfNoneExist() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        Communication first = aMessage(patient, ep, "first text");
        Communication second = aMessage(patient, ep, "second text");
        second.setIdentifier(first.getIdentifier());
        String criterion =
                "identifier="
                        + first.getIdentifierFirstRep().getSystem()
                        + "|"
                        + first.getIdentifierFirstRep().getValue();

        Bundle bundle = transaction();
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(first)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication")
                .setIfNoneExist(criterion);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(second)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication")
                .setIfNoneExist(criterion);
        fhir().body(Fhir.json(bundle))
                .post("/fhir")
                .then()
                .statusCode(409)
                .body("issue[0].diagnostics", startsWith("Bundle entry 1 (Communication)"))
                .body("issue[0].diagnostics", containsString("entry 0"));
        fhir().get("/fhir/Communication?subject=" + patient).then().body("total", is(0));
    }

    @Test
    void shouldRefuseTwoEntriesWithOneIdentifierAlsoWhenItIsAlreadyStored() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        Communication message = aMessage(patient, ep, "already stored");
        String stored = Api.create(message);

        Bundle bundle = transaction();
        for (int i = 0; i < 2; i++) {
            bundle.addEntry()
                    .setFullUrl("urn:uuid:" + UUID.randomUUID())
                    .setResource(message.copy())
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Communication");
        }
        fhir().body(Fhir.json(bundle))
                .post("/fhir")
                .then()
                .statusCode(409)
                .body(
                        "issue[0].diagnostics",
                        startsWith(
                                "Bundle entry 1 (Communication): repeats the identifier of entry 0"));
        fhir().get("/fhir/Communication?subject=" + patient)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(stored));
    }

    private static Bundle transaction() {
        return new Bundle().setType(Bundle.BundleType.TRANSACTION);
    }
}
