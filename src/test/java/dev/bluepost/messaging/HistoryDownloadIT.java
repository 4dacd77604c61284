package dev.bluepost.messaging;

import static dev.bluepost.testing.Builders.aProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.Test;

/** Blue Button for messages: the whole history as a FHIR Bundle and as a printable page; proxies don't get sensitive threads. */
@QuarkusTest
class HistoryDownloadIT {

    @Inject IdentityService identities;

    @Test
    void shouldDownloadTheWholeHistoryAsFhirAndAsAPrintablePage() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String proxyId = Api.create(aProxy(practice.patient));
        String proxyLogin = "proxy-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        proxyLogin,
                        PracticeFixture.PASSWORD,
                        "Proxy",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(UUID.fromString(proxyId))));

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String open =
                write(
                        patient,
                        practice.pool,
                        "Allergy list",
                        "Please add penicillin to my allergies.");
        String sensitive = write(patient, practice.ep, "Private", "A question only for my doctor.");
        patient.get("/patient/threads/" + sensitive);
        patient.submit("/patient/threads/" + sensitive + "/sensitive", Map.of("sensitive", "true"))
                .then()
                .statusCode(303);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + open);
        desk.submit(
                        "/staff/threads/" + open + "/reply",
                        Map.of("text", "Done, it is on your chart."))
                .then()
                .statusCode(303);

        patient.get("/patient/history")
                .then()
                .statusCode(200)
                .body(containsString("2 conversations"), containsString("3 messages"));
        Response download = patient.get("/patient/history/bundle");
        download.then()
                .statusCode(200)
                .contentType(containsString("application/fhir+json"))
                .header("Content-Disposition", containsString("attachment"));
        Bundle bundle = Fhir.parse(download.asString(), Bundle.class);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(communications(bundle))
                .hasSize(3)
                .allSatisfy(
                        c -> assertThat(c.getSubject().getReference()).isEqualTo(practice.patient));
        assertThat(communications(bundle))
                .anySatisfy(
                        c ->
                                assertThat(c.getPayloadFirstRep().getContentStringType().getValue())
                                        .isEqualTo("Done, it is on your chart."));
        patient.get("/patient/history/print")
                .then()
                .statusCode(200)
                .body(
                        containsString("Please add penicillin"),
                        containsString("A question only for my doctor."));

        WebSession proxy = WebSession.signIn(proxyLogin, PracticeFixture.PASSWORD);
        Bundle proxyBundle =
                Fhir.parse(
                        proxy.get("/patient/history/bundle")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString(),
                        Bundle.class);
        assertThat(communications(proxyBundle)).hasSize(2);
        proxy.get("/patient/history/print")
                .then()
                .statusCode(200)
                .body(not(containsString("only for my doctor")));

        WebSession other = WebSession.signIn(practice.otherPatientLogin, PracticeFixture.PASSWORD);
        assertThat(
                        Fhir.parse(
                                        other.get("/patient/history/bundle")
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .asString(),
                                        Bundle.class)
                                .getEntry())
                .isEmpty();
        desk.get("/patient/history/bundle").then().statusCode(403);
    }

    private static java.util.List<Communication> communications(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Communication.class::isInstance)
                .map(Communication.class::cast)
                .toList();
    }

    private static String write(WebSession patient, String recipient, String subject, String text) {
        patient.get("/patient/messages/new");
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        recipient,
                                        "category",
                                        "other",
                                        "subject",
                                        subject,
                                        "text",
                                        text,
                                        "action",
                                        "send"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
