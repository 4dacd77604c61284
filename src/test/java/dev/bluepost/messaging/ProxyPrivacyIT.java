package dev.bluepost.messaging;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aProxy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What proxies may not see: threads the patient marked sensitive, and a child's record once the child is of age. */
@QuarkusTest
class ProxyPrivacyIT {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Inject IdentityService identities;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldHideThreadsThePatientMarksSensitiveFromProxies() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String proxyLogin = proxyFor(practice.patient, null);
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Private matter",
                                        "text",
                                        "Something I don't want my family to read",
                                        "action",
                                        "send"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String thread = location.substring(location.lastIndexOf('/') + 1);

        WebSession proxy = WebSession.signIn(proxyLogin, PracticeFixture.PASSWORD);
        proxy.get("/patient/threads/" + thread)
                .then()
                .statusCode(200)
                .body(not(containsString("Hide this conversation")));
        proxy.submit("/patient/threads/" + thread + "/sensitive", Map.of("sensitive", "true"))
                .then()
                .statusCode(403);

        patient.get("/patient/threads/" + thread);
        patient.submit("/patient/threads/" + thread + "/sensitive", Map.of("sensitive", "true"))
                .then()
                .statusCode(303);
        patient.get("/patient").then().body(containsString("Hidden from proxies"));
        proxy.get("/patient/threads/" + thread)
                .then()
                .statusCode(404)
                .body(not(containsString("family")));
        proxy.get("/patient").then().statusCode(200).body(not(containsString(thread)));

        patient.get("/patient/threads/" + thread);
        patient.submit("/patient/threads/" + thread + "/sensitive", Map.of("sensitive", "false"))
                .then()
                .statusCode(303);
        proxy.get("/patient/threads/" + thread).then().statusCode(200);
    }

    @Test
    void shouldEndAParentsAccessWhenTheChildTurnsEighteen() {
        PracticeFixture practice = PracticeFixture.create(identities);
        LocalDate today = LocalDate.now(NEW_YORK);
        Patient teen = aPatient(practice.practice);
        teen.setBirthDateElement(new DateType(today.minusYears(18).plusDays(1).toString()));
        String child = "Patient/" + Api.create(teen);
        String parentLogin = proxyFor(child, "PRN");
        String auntLogin = proxyFor(child, "AUNT");

        WebSession parent = WebSession.signIn(parentLogin, PracticeFixture.PASSWORD);
        parent.get("/patient").then().statusCode(200);

        clock.set(today.plusDays(1).atTime(9, 0).atZone(NEW_YORK).toInstant());
        WebSession.signIn(parentLogin, PracticeFixture.PASSWORD)
                .get("/proxy/choose")
                .then()
                .statusCode(200)
                .body(containsString("no authorization in force"));
        WebSession.signIn(auntLogin, PracticeFixture.PASSWORD)
                .get("/patient")
                .then()
                .statusCode(200);
        clock.set(clock.instant().minus(Duration.ofDays(2)));
        WebSession.signIn(parentLogin, PracticeFixture.PASSWORD)
                .get("/patient")
                .then()
                .statusCode(200);
    }

    private String proxyFor(String patient, String relationship) {
        RelatedPerson proxy = aProxy(patient);
        if (relationship != null) {
            proxy.addRelationship()
                    .addCoding()
                    .setSystem("http://terminology.hl7.org/CodeSystem/v3-RoleCode")
                    .setCode(relationship);
        }
        proxy.getPeriod()
                .setStart(java.util.Date.from(java.time.Instant.now().minus(Duration.ofDays(400))));
        String id = Api.create(proxy);
        String login = "proxy-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Proxy",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(UUID.fromString(id))));
        fhir().get("/fhir/RelatedPerson/" + id).then().statusCode(200);
        return login;
    }
}
