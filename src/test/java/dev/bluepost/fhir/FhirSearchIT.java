package dev.bluepost.fhir;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aProxy;
import static dev.bluepost.testing.Builders.anEp;
import static dev.bluepost.testing.Builders.sentAt;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;

/** Search semantics integrators rely on: modifiers, paging, POST _search, idempotent message delivery. */
@QuarkusTest
class FhirSearchIT {

    @Test
    void shouldSearchStringsByPrefixContainsAndExactCaseSensitively() {
        String practice = "Organization/" + Api.create(aPractice());
        String family = "Zyx" + UUID.randomUUID().toString().substring(0, 6);
        var patient = aPatient(practice);
        patient.getNameFirstRep().setFamily(family);
        Api.create(patient);

        fhir().get("/fhir/Patient?family=" + family.substring(0, 5).toLowerCase())
                .then()
                .body("total", is(1));
        fhir().get("/fhir/Patient?family:contains=" + family.substring(2).toUpperCase())
                .then()
                .body("total", is(1));
        fhir().get("/fhir/Patient?family:exact=" + family).then().body("total", is(1));
        fhir().get("/fhir/Patient?family:exact=" + family.toLowerCase())
                .then()
                .body("total", is(0));
        fhir().get("/fhir/Patient?family:not=" + family)
                .then()
                .statusCode(400)
                .body("issue[0].diagnostics", containsString(":not"));
        fhir().get("/fhir/Patient?organization:Organization=" + practice.substring(13))
                .then()
                .body("total", is(1));
    }

    @Test
    void shouldPageWithCountOffsetAndNextLinks() {
        String practice = "Organization/" + Api.create(aPractice());
        for (int i = 0; i < 3; i++) {
            Api.create(aPatient(practice));
        }
        fhir().get("/fhir/Patient?organization=" + practice + "&_count=2")
                .then()
                .body("total", is(3))
                .body("entry", hasSize(2))
                .body("link.find { it.relation == 'next' }.url", containsString("_offset=2"));
        fhir().get("/fhir/Patient?organization=" + practice + "&_count=2&_offset=2")
                .then()
                .body("entry", hasSize(1));
    }

    @Test
    void shouldSearchByPostedForm() {
        String practice = "Organization/" + Api.create(aPractice());
        Api.create(aPatient(practice));
        fhir().contentType("application/x-www-form-urlencoded")
                .formParam("organization", practice)
                .post("/fhir/Patient/_search")
                .then()
                .statusCode(200)
                .body("total", is(1));
    }

    @Test
    void shouldStoreTheSameMessageOnceWhenDeliveredTwice() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        Communication message = aMessage(patient, ep, "delivered twice");

        String first = Api.create(message);
        fhir().body(Fhir.json(message))
                .post("/fhir/Communication")
                .then()
                .statusCode(200)
                .body("id", equalTo(first));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(message)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication");
        fhir().body(Fhir.json(bundle))
                .post("/fhir")
                .then()
                .statusCode(200)
                .body("entry[0].response.status", equalTo("200 OK"))
                .body("entry[0].response.location", containsString(first));
        fhir().get("/fhir/Communication?subject=" + patient).then().body("total", is(1));
    }

    @Test
    void shouldSearchCommunicationsBySenderRecipientPartOfAndSent() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        String otherEp = "Practitioner/" + Api.create(anEp(practice));
        Communication question = aMessage(patient, ep, "first of the thread");
        question.setSentElement(new DateTimeType("2025-04-01T09:00:00Z"));
        String first = Api.create(question);
        Communication answer = aMessage(patient, patient, "the answer");
        answer.setSender(new Reference(ep));
        answer.addPartOf(new Reference("Communication/" + first));
        answer.addInResponseTo(new Reference("Communication/" + first));
        answer.setSentElement(new DateTimeType("2025-04-02T09:00:00Z"));
        String second = Api.create(answer);
        Api.create(
                sentAt(
                        aMessage(patient, otherEp, "another thread"),
                        java.time.Instant.parse("2025-05-01T09:00:00Z")));

        fhir().get("/fhir/Communication?sender=" + patient).then().body("total", is(2));
        fhir().get("/fhir/Communication?sender=" + ep)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(second));
        fhir().get("/fhir/Communication?recipient=" + ep)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(first));
        fhir().get("/fhir/Communication?recipient=" + patient).then().body("total", is(1));
        fhir().get("/fhir/Communication?part-of=Communication/" + first)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(second));
        fhir().get(
                        "/fhir/Communication?subject="
                                + patient
                                + "&sent=ge2025-04-02T00:00:00Z&sent=lt2025-05-01")
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(second));
        fhir().get("/fhir/Communication?subject=" + patient + "&sent=2025-04")
                .then()
                .body("total", is(2));
    }

    @Test
    void shouldKeepSystemClientTimesAndReadDateOnlyPeriodEndsAsWholeDays() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        Communication migrated = aMessage(patient, ep, "from the old portal");
        migrated.setSentElement(new DateTimeType("2025-03-01T14:30:00-05:00"));
        migrated.setReceivedElement(new DateTimeType("2025-03-01T14:31:00-05:00"));
        String id = Api.create(migrated);
        fhir().get("/fhir/Communication/" + id)
                .then()
                .body("sent", equalTo("2025-03-01T19:30:00Z"))
                .body("received", equalTo("2025-03-01T19:31:00Z"));
        fhir().get("/fhir/Communication?received=2025-03-01&subject=" + patient)
                .then()
                .body("total", is(1));

        RelatedPerson proxy = aProxy(patient);
        proxy.setPeriod(
                new Period()
                        .setStartElement(new DateTimeType("2020-01-01"))
                        .setEndElement(new DateTimeType("2099-12-31")));
        String proxyId = Api.create(proxy);
        fhir().get("/fhir/RelatedPerson/" + proxyId)
                .then()
                .body("period.end", equalTo("2099-12-31"));
    }
}
