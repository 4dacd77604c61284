package dev.bluepost.fhir;

import static dev.bluepost.testing.Api.fhir;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.bluepost.testing.Fhir;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * The integrator's path of docs/fhir.md (§2, §9): a system client gets a token and loads a transaction
 * Bundle (practice, location, EP, patient, encounter, communication) with urn:uuid references and
 * ifNoneExist; searches find everything; the message's Task appears (through the real broker).
 */
@QuarkusTest
class FhirTransactionIT {

    @Test
    void shouldLoadTransactionBundleAndFindEverythingBySearch() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String npi = dev.bluepost.testing.Builders.validNpi();
        Instant visit = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String bundle =
                """
                {
                  "resourceType": "Bundle",
                  "type": "transaction",
                  "entry": [
                    {"fullUrl": "urn:uuid:11111111-0000-4000-8000-%1$s0001",
                     "resource": {"resourceType": "Organization", "identifier": [{"system": "urn:test:org", "value": "org-%1$s"}],
                       "name": "Lakeside Clinic %1$s",
                       "extension": [{"url": "https://fhir.bluepost.dev/StructureDefinition/time-zone", "valueCode": "America/Chicago"}]},
                     "request": {"method": "POST", "url": "Organization", "ifNoneExist": "identifier=urn:test:org|org-%1$s"}},
                    {"fullUrl": "urn:uuid:11111111-0000-4000-8000-%1$s0002",
                     "resource": {"resourceType": "Location", "name": "Lakeside Main",
                       "managingOrganization": {"reference": "urn:uuid:11111111-0000-4000-8000-%1$s0001"},
                       "address": {"district": "Cook", "state": "IL"},
                       "extension": [{"url": "https://fhir.bluepost.dev/StructureDefinition/cehrt-equipped", "valueBoolean": true}]},
                     "request": {"method": "POST", "url": "Location"}},
                    {"fullUrl": "urn:uuid:11111111-0000-4000-8000-%1$s0003",
                     "resource": {"resourceType": "Practitioner",
                       "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "%2$s"}],
                       "name": [{"family": "Lake", "given": ["Lena"]}]},
                     "request": {"method": "POST", "url": "Practitioner", "ifNoneExist": "identifier=http://hl7.org/fhir/sid/us-npi|%2$s"}},
                    {"fullUrl": "urn:uuid:11111111-0000-4000-8000-%1$s0004",
                     "resource": {"resourceType": "Patient", "identifier": [{"system": "urn:test:mrn", "value": "mrn-%1$s"}],
                       "name": [{"family": "Shore", "given": ["Sam"]}], "birthDate": "1980-04-02",
                       "managingOrganization": {"reference": "urn:uuid:11111111-0000-4000-8000-%1$s0001"}},
                     "request": {"method": "POST", "url": "Patient", "ifNoneExist": "identifier=urn:test:mrn|mrn-%1$s"}},
                    {"fullUrl": "urn:uuid:11111111-0000-4000-8000-%1$s0005",
                     "resource": {"resourceType": "Encounter", "status": "finished",
                       "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                       "subject": {"reference": "urn:uuid:11111111-0000-4000-8000-%1$s0004"},
                       "participant": [{"type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PPRF"}]}],
                                        "individual": {"reference": "urn:uuid:11111111-0000-4000-8000-%1$s0003"}}],
                       "period": {"start": "%3$s"},
                       "location": [{"location": {"reference": "urn:uuid:11111111-0000-4000-8000-%1$s0002"}}],
                       "serviceProvider": {"reference": "urn:uuid:11111111-0000-4000-8000-%1$s0001"}},
                     "request": {"method": "POST", "url": "Encounter"}},
                    {"fullUrl": "urn:uuid:11111111-0000-4000-8000-%1$s0006",
                     "resource": {"resourceType": "Communication", "status": "completed",
                       "identifier": [{"system": "urn:test:msg", "value": "msg-%1$s"}],
                       "category": [{"coding": [{"system": "https://fhir.bluepost.dev/CodeSystem/message-category", "code": "medical-question"}]}],
                       "subject": {"reference": "urn:uuid:11111111-0000-4000-8000-%1$s0004"},
                       "sender": {"reference": "urn:uuid:11111111-0000-4000-8000-%1$s0004"},
                       "recipient": [{"reference": "urn:uuid:11111111-0000-4000-8000-%1$s0003"}],
                       "payload": [{"contentString": "Is my lab work back yet?"}]},
                     "request": {"method": "POST", "url": "Communication", "ifNoneExist": "identifier=urn:test:msg|msg-%1$s"}}
                  ]
                }"""
                        .formatted(suffix, npi, visit.toString());

        String response =
                fhir().body(bundle)
                        .post("/fhir")
                        .then()
                        .statusCode(200)
                        .body("resourceType", equalTo("Bundle"))
                        .body("type", equalTo("transaction-response"))
                        .body("entry.response.status", hasItem(startsWith("201")))
                        .extract()
                        .asString();
        Bundle result = Fhir.parse(response, Bundle.class);
        String practice = location(result, 0);
        String location = location(result, 1);
        String ep = location(result, 2);
        String patient = location(result, 3);
        String encounter = location(result, 4);
        String message = location(result, 5);

        fhir().get("/fhir/Organization?identifier=urn:test:org|org-" + suffix)
                .then()
                .statusCode(200)
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(id(practice)));
        fhir().get("/fhir/Location?organization=" + practice)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.managingOrganization.reference", equalTo(practice));
        fhir().get("/fhir/Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|" + npi)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(id(ep)));
        fhir().get("/fhir/Patient?identifier=mrn-" + suffix).then().body("total", is(1));
        fhir().get("/fhir/Encounter?subject=" + patient)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.participant[0].individual.reference", equalTo(ep))
                .body("entry[0].resource.location[0].location.reference", equalTo(location));
        fhir().get("/fhir/Communication?subject=" + patient)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(id(message)))
                .body(
                        "entry[0].resource.payload[0].contentString",
                        equalTo("Is my lab work back yet?"))
                .body("entry[0].resource.recipient[0].reference", equalTo(ep));
        fhir().get("/fhir/Communication?recipient=" + ep).then().body("total", is(1));
        fhir().get(
                        "/fhir/Communication?sender="
                                + patient
                                + "&sent=ge"
                                + visit.minus(1, ChronoUnit.DAYS).toString().substring(0, 10))
                .then()
                .body("total", is(1));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=" + message)
                                        .then()
                                        .statusCode(200)
                                        .body("total", is(1))
                                        .body("entry[0].resource.for.reference", equalTo(patient))
                                        .body("entry[0].resource.owner.reference", equalTo(ep))
                                        .body("entry[0].resource.status", equalTo("requested")));

        // posting the same Bundle again creates nothing new: every ifNoneExist matches
        fhir().body(
                        bundle.replace(
                                        "\"url\": \"Location\"}",
                                        "\"url\": \"Location\", \"ifNoneExist\": \"organization="
                                                + practice
                                                + "\"}")
                                .replace(
                                        "\"url\": \"Encounter\"}",
                                        "\"url\": \"Encounter\", \"ifNoneExist\": \"subject="
                                                + patient
                                                + "\"}"))
                .post("/fhir")
                .then()
                .statusCode(200)
                .body("entry.response.status", org.hamcrest.Matchers.everyItem(startsWith("200")));
        fhir().get("/fhir/Communication?subject=" + patient).then().body("total", is(1));
        fhir().get("/fhir/Task?focus=" + message).then().body("total", is(1));
    }

    private static String location(Bundle response, int index) {
        String location = response.getEntry().get(index).getResponse().getLocation();
        String[] parts = location.split("/");
        return parts[0] + "/" + parts[1];
    }

    private static String id(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
