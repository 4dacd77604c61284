package dev.bluepost.fhir;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPool;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aProxy;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SmartApp;
import dev.bluepost.testing.WebSession;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a patient app may do with a patient's or proxy's token (ADR 0012): read, search and send the
 * patient's own messages, read the patient's record; nothing of another patient's, nothing else, no
 * transactions; and only while the person may still act for the patient.
 */
@QuarkusTest
class PatientAppFhirIT {

    @Inject IdentityService identities;

    @Inject EntityManager em;

    private PracticeFixture practice;
    private String ownMessage;
    private String othersMessage;

    @BeforeEach
    void practiceWithOneMessageEach() {
        practice = PracticeFixture.create(identities);
        ownMessage = Api.create(aMessage(practice.patient, practice.pool, "own question"));
        othersMessage =
                Api.create(
                        aMessage(practice.otherPatient, practice.pool, "someone else's question"));
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token)
                .contentType(Api.FHIR_JSON)
                .accept(Api.FHIR_JSON);
    }

    private String patientToken(String scope) {
        return SmartApp.tokenFor(
                WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD), scope);
    }

    @Test
    void shouldSearchAndReadOnlyTheirOwnPatientsCommunications() {
        String token = patientToken(SmartApp.ALL_SCOPES);

        as(token)
                .get("/fhir/Communication")
                .then()
                .statusCode(200)
                .body("total", is(1))
                .body("entry[0].resource.id", equalTo(ownMessage));
        as(token)
                .get("/fhir/Communication?subject=" + practice.patient)
                .then()
                .body("total", is(1));
        // asking about another patient searches inside the caller's compartment: nothing, not even
        // a count
        as(token)
                .get("/fhir/Communication?subject=" + practice.otherPatient)
                .then()
                .statusCode(200)
                .body("total", is(0));
        as(token)
                .get("/fhir/Communication?sender=" + practice.otherPatient)
                .then()
                .body("total", is(0));
        as(token).get("/fhir/Communication?_id=" + othersMessage).then().body("total", is(0));
        as(token).get("/fhir/Communication?recipient=" + practice.pool).then().body("total", is(1));

        as(token)
                .get("/fhir/Communication/" + ownMessage)
                .then()
                .statusCode(200)
                .body("payload[0].contentString", equalTo("own question"));
        String unknown = UUID.randomUUID().toString();
        String othersDiagnostics =
                as(token)
                        .get("/fhir/Communication/" + othersMessage)
                        .then()
                        .statusCode(404)
                        .extract()
                        .path("issue[0].diagnostics");
        String unknownDiagnostics =
                as(token)
                        .get("/fhir/Communication/" + unknown)
                        .then()
                        .statusCode(404)
                        .extract()
                        .path("issue[0].diagnostics");
        assertThat(othersDiagnostics.replace(othersMessage, "ID"))
                .isEqualTo(unknownDiagnostics.replace(unknown, "ID"));

        as(token).get("/fhir/" + practice.patient).then().statusCode(200);
        as(token).get("/fhir/" + practice.otherPatient).then().statusCode(404);
        as(token).get("/fhir/Patient").then().statusCode(200).body("total", is(1));
    }

    @Test
    void shouldSendAsThemselvesWithServerTimesAndReachTriage() {
        String token = patientToken(SmartApp.ALL_SCOPES);
        Communication message = aMessage(practice.patient, practice.pool, "sent from my phone app");
        message.setSentElement(new DateTimeType("2020-01-01T10:00:00Z"));
        message.setReceivedElement(new DateTimeType("2020-01-01T10:00:00Z"));
        Instant before = Instant.now().minusSeconds(5);

        String id =
                as(token)
                        .body(Fhir.json(message))
                        .post("/fhir/Communication")
                        .then()
                        .statusCode(201)
                        .body("sender.reference", equalTo(practice.patient))
                        .body("extension[0].valueCode", equalTo("PATIENT"))
                        .extract()
                        .path("id");
        Communication stored =
                Fhir.parse(
                        as(token)
                                .get("/fhir/Communication/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString(),
                        Communication.class);
        assertThat(stored.getSent().toInstant()).isAfter(before);
        assertThat(stored.getReceived().toInstant()).isAfter(before);

        // through the outbox and Kafka, triage puts it in the practice's queue
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + id)
                                        .then()
                                        .body("total", is(1))
                                        .body(
                                                "entry[0].resource.owner.reference",
                                                equalTo(practice.pool)));
    }

    @Test
    void shouldNotLetAPatientSendForSomeoneElseOrOutsideTheirCareTeam() {
        String token = patientToken(SmartApp.ALL_SCOPES);
        Communication asOther = aMessage(practice.patient, practice.pool, "pretending");
        asOther.setSender(new Reference(practice.otherPatient));
        as(token).body(Fhir.json(asOther)).post("/fhir/Communication").then().statusCode(403);

        Communication aboutOther =
                aMessage(practice.otherPatient, practice.pool, "about someone else");
        as(token).body(Fhir.json(aboutOther)).post("/fhir/Communication").then().statusCode(404);

        String elsewhere = "Organization/" + Api.create(aPractice());
        String foreignPool = "CareTeam/" + Api.create(aPool(elsewhere, "Another practice's desk"));
        as(token)
                .body(Fhir.json(aMessage(practice.patient, foreignPool, "to another practice")))
                .post("/fhir/Communication")
                .then()
                .statusCode(422)
                .body("issue[0].diagnostics", containsString("care team"));

        Communication urgent = aMessage(practice.patient, practice.pool, "me first");
        urgent.setPriority(Communication.CommunicationPriority.STAT);
        as(token).body(Fhir.json(urgent)).post("/fhir/Communication").then().statusCode(422);

        Communication replyToOthers =
                aMessage(practice.patient, practice.pool, "joining their thread");
        replyToOthers.addPartOf(new Reference("Communication/" + othersMessage));
        as(token).body(Fhir.json(replyToOthers)).post("/fhir/Communication").then().statusCode(422);
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(1));
    }

    @Test
    void shouldReadTheAttachmentsOfTheirOwnMessagesWithTheMessageScopeOnly() {
        Communication withFile = aMessage(practice.patient, practice.pool, "the photo");
        withFile.addPayload()
                .setContent(
                        new org.hl7.fhir.r4.model.Attachment()
                                .setContentType("image/png")
                                .setTitle("rash.png")
                                .setData(dev.bluepost.testing.SampleFiles.png()));
        Communication others = aMessage(practice.otherPatient, practice.pool, "their photo");
        others.addPayload()
                .setContent(
                        new org.hl7.fhir.r4.model.Attachment()
                                .setContentType("image/png")
                                .setTitle("other.png")
                                .setData(dev.bluepost.testing.SampleFiles.png()));
        String own =
                Api.post(withFile)
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("payload[1].contentAttachment.url");
        String foreign =
                Api.post(others)
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("payload[1].contentAttachment.url");

        String token = patientToken(SmartApp.ALL_SCOPES);
        byte[] bytes =
                given().header("Authorization", "Bearer " + token)
                        .accept("application/octet-stream")
                        .get("/fhir/" + own)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray();
        assertThat(bytes).isEqualTo(dev.bluepost.testing.SampleFiles.png());
        as(token)
                .get("/fhir/" + own)
                .then()
                .statusCode(200)
                .body("resourceType", equalTo("Binary"))
                .body("securityContext.reference", startsWith("Communication/"));
        // another patient's attachment is not found, exactly like an unknown one
        as(token).get("/fhir/" + foreign).then().statusCode(404);
        // without a scope that reads messages, no attachment either
        as(patientToken("patient/Patient.rs")).get("/fhir/" + own).then().statusCode(403);
    }

    @Test
    void shouldForbidOtherTypesUpdatesAndTransactions() {
        String token = patientToken(SmartApp.ALL_SCOPES);
        as(token)
                .get("/fhir/Practitioner")
                .then()
                .statusCode(403)
                .body("issue[0].code", equalTo("forbidden"));
        as(token).get("/fhir/Task").then().statusCode(403);
        as(token).get("/fhir/" + practice.ep).then().statusCode(403);
        as(token).get("/fhir/RelatedPerson?patient=" + practice.patient).then().statusCode(403);
        as(token).body(Fhir.json(aPatient(null))).post("/fhir/Patient").then().statusCode(403);
        var self = Api.read(org.hl7.fhir.r4.model.Patient.class, practice.patient);
        as(token).body(Fhir.json(self)).put("/fhir/" + practice.patient).then().statusCode(403);

        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(aMessage(practice.patient, practice.pool, "bulk"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication");
        as(token).body(Fhir.json(bundle)).post("/fhir").then().statusCode(403);
        as(token)
                .get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body(
                        "rest[0].security.extension[0].extension.find { it.url == 'authorize' }.valueUri",
                        endsWith("/oauth/authorize"))
                .body(
                        "rest[0].security.extension[0].extension.find { it.url == 'token' }.valueUri",
                        endsWith("/oauth/token"));
    }

    @Test
    void shouldAllowOnlyWhatTheTokensScopeGrants() {
        String readOnly = patientToken("patient/Communication.rs");
        as(readOnly).get("/fhir/Communication").then().statusCode(200).body("total", is(1));
        as(readOnly)
                .body(Fhir.json(aMessage(practice.patient, practice.pool, "not allowed")))
                .post("/fhir/Communication")
                .then()
                .statusCode(403)
                .body("issue[0].diagnostics", containsString("scope"));
        as(readOnly).get("/fhir/" + practice.patient).then().statusCode(403);
    }

    @Test
    void shouldAcceptOnlyBearerTokensOnTheFhirApiAndPatientTokensOnlyThere() {
        WebSession browser = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        given().header("Cookie", browser.cookieHeader())
                .accept(Api.FHIR_JSON)
                .get("/fhir/Communication")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        String token = SmartApp.tokenFor(browser, SmartApp.ALL_SCOPES);
        given().header("Authorization", "Bearer " + token)
                .get("/api/logins?practice=" + practice.practice)
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + token)
                .redirects()
                .follow(false)
                .get("/patient")
                .then()
                .statusCode(303);
    }

    @Test
    void shouldEndAProxysTokenAtOnceWhenTheAuthorizationEndsOrTheLoginIsDisabled() {
        String proxyId = Api.create(aProxy(practice.patient));
        String login = "proxy-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "A Parent",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(UUID.fromString(proxyId))));
        String token =
                SmartApp.tokenFor(
                        WebSession.signIn(login, PracticeFixture.PASSWORD), SmartApp.ALL_SCOPES);

        as(token).get("/fhir/Communication").then().statusCode(200).body("total", is(1));
        Communication fromProxy = aMessage(practice.patient, practice.pool, "for my daughter");
        fromProxy.setSender(new Reference("RelatedPerson/" + proxyId));
        as(token)
                .body(Fhir.json(fromProxy))
                .post("/fhir/Communication")
                .then()
                .statusCode(201)
                .body("sender.reference", equalTo("RelatedPerson/" + proxyId))
                .body("extension[0].valueCode", equalTo("PROXY"));
        Communication asPatient = aMessage(practice.patient, practice.pool, "as the child");
        as(token).body(Fhir.json(asPatient)).post("/fhir/Communication").then().statusCode(403);

        // the integrator records that the authorization ended yesterday: the still-valid token
        // stops working
        RelatedPerson ended = Api.read(RelatedPerson.class, "RelatedPerson/" + proxyId);
        ended.setPeriod(
                new Period()
                        .setStartElement(new DateTimeType(LocalDate.now().minusYears(1).toString()))
                        .setEndElement(new DateTimeType(LocalDate.now().minusDays(2).toString())));
        fhir().body(Fhir.json(ended)).put("/fhir/RelatedPerson/" + proxyId).then().statusCode(200);
        as(token)
                .get("/fhir/Communication")
                .then()
                .statusCode(401)
                .body("issue[0].code", equalTo("login"));

        // a patient's token ends with a disabled login, likewise
        String patientToken = patientToken(SmartApp.ALL_SCOPES);
        as(patientToken).get("/fhir/Communication").then().statusCode(200);
        UUID patientUser = identities.findByUsername(practice.patientLogin).orElseThrow().id();
        QuarkusTransaction.requiringNew()
                .run(
                        () ->
                                em.createQuery(
                                                "update UserAccount set active = false where id = :id")
                                        .setParameter("id", patientUser)
                                        .executeUpdate());
        as(patientToken).get("/fhir/Communication").then().statusCode(401);
    }
}
