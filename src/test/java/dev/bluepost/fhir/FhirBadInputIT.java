package dev.bluepost.fhir;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.anEp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a clear OperationOutcome with the right status and the request id, never a stack
 * trace or a Java name, and writes nothing.
 */
@QuarkusTest
class FhirBadInputIT {

    private static final Pattern INTERNALS =
            Pattern.compile(
                    "Exception|\\bat [a-z]+\\.|\\b(java|jakarta|io|org|dev)\\.[a-z]+\\.[a-z]");

    private static String practice;
    private static String patient;
    private static String ep;

    @BeforeEach
    void directory() {
        if (practice != null) {
            return;
        }
        practice = "Organization/" + Api.create(aPractice());
        patient = "Patient/" + Api.create(aPatient(practice));
        ep = "Practitioner/" + Api.create(anEp(practice));
    }

    @Test
    void shouldAnswerMalformedJsonWith400OperationOutcome() {
        outcome(fhir().body("{\"resourceType\": \"Patient\", ").post("/fhir/Patient"), 400);
        outcome(fhir().body("not json at all").post("/fhir/Patient"), 400);
        outcome(fhir().body("").post("/fhir/Patient"), 400);
        outcome(
                        fhir().body(
                                        "{\"resourceType\": \"Patient\", \"favouriteColour\": \"blue\"}")
                                .post("/fhir/Patient"),
                        400)
                .body("issue[0].diagnostics", containsString("favouriteColour"));
        outcome(
                fhir().body("{\"resourceType\": \"Patient\", \"birthDate\": \"yesterday\"}")
                        .post("/fhir/Patient"),
                400);
        outcome(fhir().body(Fhir.json(aPractice())).post("/fhir/Patient"), 400)
                .body("issue[0].diagnostics", containsString("Organization"));
        outcome(
                fhir().body("{\"resourceType\": \"Bundle\", \"type\": \"batch\"}").post("/fhir"),
                400);
    }

    @Test
    void shouldAnswerUnknownIdsAndTypesWith404() {
        outcome(fhir().get("/fhir/Patient/" + UUID.randomUUID()), 404)
                .body("issue[0].code", equalTo("not-found"));
        outcome(fhir().get("/fhir/Patient/not-a-bluepost-id"), 404);
        outcome(fhir().get("/fhir/Communication/" + UUID.randomUUID()), 404);
        outcome(fhir().get("/fhir/Task/" + UUID.randomUUID()), 404);
        outcome(fhir().get("/fhir/Spaceship"), 404);
        outcome(fhir().get("/fhir/spaceship"), 404);
    }

    @Test
    void shouldAnswerMissingInvalidOrExpiredTokensWith401() {
        outcome(given().accept(Api.FHIR_JSON).get("/fhir/Patient"), 401)
                .header("WWW-Authenticate", containsString("Bearer"));
        outcome(given().header("Authorization", "Bearer not.a.token").get("/fhir/Patient"), 401);
        String expired =
                "eyJraWQiOiJibHVlcG9zdC10b2tlbi0xIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYifQ."
                        + "eyJpc3MiOiJodHRwczovL2JsdWVwb3N0LmRldi9vYXV0aCIsInN1YiI6ImJsdWVwb3N0LXN5c3RlbSIsImV4cCI6MTAwMH0.c2ln";
        outcome(given().header("Authorization", "Bearer " + expired).get("/fhir/Patient"), 401);
        given().get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body("resourceType", equalTo("CapabilityStatement"));
    }

    @Test
    void shouldRejectOversizedMessageWithoutStoringIt() {
        Communication huge = aMessage(patient, ep, "x".repeat(65 * 1024 + 1));
        String identifier = huge.getIdentifierFirstRep().getValue();
        outcome(fhir().body(Fhir.json(huge)).post("/fhir/Communication"), 413)
                .body("issue[0].diagnostics", containsString("65536"));
        fhir().get("/fhir/Communication?identifier=" + identifier).then().body("total", is(0));
    }

    @Test
    void shouldRejectBusinessRuleViolationsWith422() {
        Communication toNobody = aMessage(patient, "Practitioner/" + UUID.randomUUID(), "hello");
        outcome(fhir().body(Fhir.json(toNobody)).post("/fhir/Communication"), 422);
        Communication wrongCategory = aMessage(patient, ep, "hello");
        wrongCategory.getCategoryFirstRep().getCodingFirstRep().setCode("gossip");
        outcome(fhir().body(Fhir.json(wrongCategory)).post("/fhir/Communication"), 422);
        var badNpi = anEp(practice);
        badNpi.getIdentifierFirstRep().setValue("1234567890");
        outcome(fhir().body(Fhir.json(badNpi)).post("/fhir/Practitioner"), 422)
                .body("issue[0].diagnostics", containsString("NPI"));
        var badZone = aPractice();
        badZone.getExtension().get(0).setValue(new org.hl7.fhir.r4.model.CodeType("Mars/Olympus"));
        outcome(fhir().body(Fhir.json(badZone)).post("/fhir/Organization"), 422);
        outcome(fhir().get("/fhir/Patient?favourite=blue"), 400);
        outcome(fhir().get("/fhir/Communication?sent=last-tuesday"), 400);
    }

    @Test
    void shouldRollBackTheWholeTransactionWhenOneEntryFails() {
        String mrn = "rollback-" + UUID.randomUUID();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        var newPatient = aPatient(practice);
        newPatient.getIdentifierFirstRep().setValue(mrn);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(newPatient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(
                        aMessage(patient, "Practitioner/" + UUID.randomUUID(), "to an unknown EP"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication");
        outcome(fhir().body(Fhir.json(bundle)).post("/fhir"), 422)
                .body("issue[0].diagnostics", containsString("entry 1"));
        fhir().get("/fhir/Patient?identifier=" + mrn).then().body("total", is(0));

        Bundle dangling = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        var orphan = aPatient("urn:uuid:" + UUID.randomUUID());
        dangling.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(orphan)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        outcome(fhir().body(Fhir.json(dangling)).post("/fhir"), 422)
                .body("issue[0].diagnostics", containsString("fullUrl"));
    }

    @Test
    void shouldRefuseWritesTheServerOwns() {
        String message = Api.create(aMessage(patient, ep, "never edited"));
        Communication edited = Api.read(Communication.class, "Communication/" + message);
        outcome(fhir().body(Fhir.json(edited)).put("/fhir/Communication/" + message), 405);
        outcome(
                fhir().body(
                                "{\"resourceType\": \"Task\", \"status\": \"requested\", \"intent\": \"order\"}")
                        .post("/fhir/Task"),
                405);
        outcome(fhir().contentType("text/plain").body("hello").post("/fhir/Patient"), 415);
    }

    @Test
    void shouldAnswerConditionalCreateConflictsWith412AndStaleVersionsWith412() {
        String mrn = "twice-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            var twin = aPatient(practice);
            twin.getIdentifierFirstRep().setValue(mrn);
            Api.create(twin);
        }
        var third = aPatient(practice);
        outcome(
                fhir().header("If-None-Exist", "identifier=urn:test:mrn|" + mrn)
                        .body(Fhir.json(third))
                        .post("/fhir/Patient"),
                412);

        String id = Api.create(aPatient(practice));
        var current = Api.read(org.hl7.fhir.r4.model.Patient.class, "Patient/" + id);
        current.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.OTHER);
        fhir().header("If-Match", "W/\"1\"")
                .body(Fhir.json(current))
                .put("/fhir/Patient/" + id)
                .then()
                .statusCode(200)
                .body("meta.versionId", equalTo("2"));
        outcome(
                fhir().header("If-Match", "W/\"1\"")
                        .body(Fhir.json(current))
                        .put("/fhir/Patient/" + id),
                412);
    }

    @Test
    void shouldExplainTokenEndpointErrorsInOAuthTerms() {
        given().auth()
                .preemptive()
                .basic(Api.CLIENT_ID, "wrong")
                .formParam("grant_type", "client_credentials")
                .post("/oauth/token")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"))
                .header("WWW-Authenticate", containsString("Basic"));
        given().formParam("grant_type", "client_credentials")
                .formParam("client_id", Api.CLIENT_ID)
                .formParam("client_secret", Api.CLIENT_SECRET)
                .post("/oauth/token")
                .then()
                .statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", is(3600))
                .body("access_token", notNullValue())
                .header("Cache-Control", "no-store");
        given().auth()
                .preemptive()
                .basic(Api.CLIENT_ID, Api.CLIENT_SECRET)
                .formParam("grant_type", "password")
                .post("/oauth/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("unsupported_grant_type"));
        given().formParam("client_id", Api.CLIENT_ID)
                .post("/oauth/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    /** Asserts an OperationOutcome with the status, the request id of the response header, and no internals. */
    private static io.restassured.response.ValidatableResponse outcome(
            Response response, int status) {
        String body =
                response.then()
                        .statusCode(status)
                        .contentType(containsString("application/fhir+json"))
                        .body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].severity", equalTo("error"))
                        .body("issue[0].diagnostics", not(equalTo(null)))
                        .body("extension[0].valueString", equalTo(response.header("X-Request-Id")))
                        .extract()
                        .asString();
        assertThat(INTERNALS.matcher(body).find()).as("internals in " + body).isFalse();
        return response.then();
    }
}
