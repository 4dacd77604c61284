package dev.bluepost.fhir;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPool;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.bluepost.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * Search modifiers: the ones the server implements give their FHIR meaning on every type
 * ({@code :not} on tokens, {@code :exact}/{@code :contains} on strings, a type on references);
 * any other is refused with 400 and an OperationOutcome, never ignored.
 */
@QuarkusTest
class FhirSearchModifiersIT {

    @Inject FhirRegistry registry;

    @Test
    void shouldFindEveryOtherValueWithNotIncludingResourcesWithoutAValue() {
        String practice = "Organization/" + Api.create(aPractice());
        Patient inactive = aPatient(practice).setActive(false);
        String inactiveId = Api.create(inactive);
        Patient active = aPatient(practice).setActive(true);
        active.addTelecom()
                .setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.EMAIL)
                .setValue("someone@example.org");
        String activeId = Api.create(active);

        fhir().get("/fhir/Patient?organization=" + practice + "&active:not=true")
                .then()
                .statusCode(200)
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(inactiveId));
        fhir().get("/fhir/Patient?organization=" + practice + "&active:not=false")
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(activeId));
        // a patient without an e-mail address is not "someone@example.org" either
        fhir().get("/fhir/Patient?organization=" + practice + "&email:not=someone@example.org")
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(inactiveId));
        fhir().get("/fhir/Patient?organization=" + practice + "&_id:not=" + activeId)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(inactiveId));
        String mrn =
                inactive.getIdentifierFirstRep().getSystem()
                        + "|"
                        + inactive.getIdentifierFirstRep().getValue();
        fhir().get("/fhir/Patient?organization=" + practice + "&identifier:not=" + mrn)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(activeId));
        // several values: none of them
        fhir().get("/fhir/Patient?organization=" + practice + "&active:not=true,false")
                .then()
                .body("total", is(0));
    }

    @Test
    void shouldApplyNotToEncountersCommunicationsAndPools() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        Api.create(aVisit(patient, ep, null, practice, Instant.parse("2025-03-03T15:00:00Z")));
        String cancelled =
                Api.create(
                        aVisit(patient, ep, null, practice, Instant.parse("2025-03-04T15:00:00Z"))
                                .setStatus(Encounter.EncounterStatus.CANCELLED));
        fhir().get("/fhir/Encounter?subject=" + patient + "&status:not=finished")
                .then()
                .statusCode(200)
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(cancelled));

        Api.create(aMessage(patient, ep, "a question"));
        Communication bill = aMessage(patient, ep, "about my bill");
        bill.getCategoryFirstRep().getCodingFirstRep().setCode("billing");
        String billId = Api.create(bill);
        fhir().get("/fhir/Communication?subject=" + patient + "&category:not=medical-question")
                .then()
                .statusCode(200)
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(billId));
        fhir().get("/fhir/Communication?subject=" + patient + "&status:not=completed")
                .then()
                .body("total", is(0));
        fhir().get("/fhir/Communication?subject=" + patient + "&status:not=entered-in-error")
                .then()
                .body("total", is(2));

        String pool = Api.create(aPool(practice, "Pool " + practice.substring(13, 21), ep));
        fhir().get("/fhir/CareTeam?organization=" + practice + "&status:not=inactive")
                .then()
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(pool));
        fhir().get("/fhir/CareTeam?organization=" + practice + "&status:not=active")
                .then()
                .body("total", is(0));
    }

    @Test
    void shouldApplyNotToTheTriageQueue() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        String message = Api.create(aMessage(patient, ep, "a question for the queue"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .body("total", is(1)));

        fhir().get("/fhir/Task?patient=" + patient + "&status:not=requested")
                .then()
                .statusCode(200)
                .body("total", is(0));
        fhir().get("/fhir/Task?patient=" + patient + "&status:not=completed,cancelled")
                .then()
                .body("total", is(1))
                .body("entry[0].resource.status", equalTo("requested"));
        fhir().get("/fhir/Task?patient=" + patient + "&priority:not=routine")
                .then()
                .body("total", is(0));
    }

    @Test
    void shouldApplyNotToTheAuditTrail() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        Api.read(Patient.class, patient);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/AuditEvent?entity=" + patient + "&action=R")
                                        .then()
                                        .body("total", greaterThan(0)));

        fhir().get("/fhir/AuditEvent?entity=" + patient + "&action:not=R")
                .then()
                .statusCode(200)
                .body("total", greaterThan(0))
                .body("entry.resource.action", everyItem(not(equalTo("R"))))
                .body("entry.resource.action", hasItem("C"));
        fhir().get("/fhir/AuditEvent?entity=" + patient + "&subtype:not=CREATE&action=C")
                .then()
                .body("total", is(0));
        fhir().get("/fhir/AuditEvent?entity=" + patient + "&subtype:not=READ")
                .then()
                .body("entry.resource.subtype.code.flatten()", not(hasItem("READ")));
    }

    @Test
    void shouldRestrictAReferenceToTheTypeItsModifierNames() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        String ep = Api.create(anEp(practice));
        Communication answer =
                aMessage(patient, "Patient/" + patient.substring(8), "from the doctor");
        answer.getSender().setReference("Practitioner/" + ep);
        Api.create(answer);

        fhir().get("/fhir/Communication?sender:Practitioner=" + ep)
                .then()
                .statusCode(200)
                .body("total", is(1));
        fhir().get("/fhir/Communication?sender:Patient=" + ep).then().body("total", is(0));
        fhir().get("/fhir/Communication?subject:Patient=" + patient.substring(8))
                .then()
                .body("total", is(1));
        fhir().get("/fhir/Communication?sender:Patient=Practitioner/" + ep)
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("Practitioner"));
    }

    @Test
    void shouldRefuseEveryModifierItDoesNotImplement() {
        String practice = "Organization/" + Api.create(aPractice());
        String patient = "Patient/" + Api.create(aPatient(practice));
        // a reference parameter that is also accepted under another name must not ignore the
        // modifier
        for (String name : List.of("patient", "subject", "for")) {
            fhir().get("/fhir/Task?" + name + ":not=" + patient)
                    .then()
                    .statusCode(400)
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].code", equalTo("invalid"))
                    .body("issue[0].diagnostics", containsString(":not"));
        }
        for (String query :
                List.of(
                        "Task?status:missing=true",
                        "Patient?family:not=x",
                        "Patient?birthdate:exact=2000",
                        "Communication?status:text=completed",
                        "Encounter?patient:identifier=urn:mrn|1",
                        "Patient?name:missing=false",
                        "Communication?sent:not=2025",
                        "AuditEvent?outcome:not=0",
                        "Patient?active:exact=true",
                        "Task?status:above=x")) {
            fhir().get("/fhir/" + query)
                    .then()
                    .statusCode(400)
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body(
                            "issue[0].diagnostics",
                            containsString(
                                    query.substring(query.indexOf(':'), query.indexOf('='))));
        }
    }

    @Test
    void shouldRefuseAnUnknownModifierOnEveryParameterOfEveryType() {
        List<String> accepted = new ArrayList<>();
        for (FhirResourceHandler<?> handler : registry.all()) {
            if (!handler.searchable()) {
                continue;
            }
            for (SearchParameterInfo param : handler.searchParameters()) {
                int status =
                        fhir().get("/fhir/" + handler.type() + "?" + param.name() + ":bogus=x")
                                .then()
                                .extract()
                                .statusCode();
                if (status != 400) {
                    accepted.add(handler.type() + "?" + param.name() + ":bogus (" + status + ")");
                }
            }
        }
        assertThat(accepted).isEmpty();
    }
}
