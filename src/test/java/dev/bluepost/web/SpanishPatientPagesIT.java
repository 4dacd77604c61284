package dev.bluepost.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A Spanish-speaking patient reads the patient's pages in Spanish: before sign-in from the browser's
 * Accept-Language, and after choosing Spanish for their login on every page, whatever the browser
 * says; the words Java composes (message types, dates, receipts, confirmations) too.
 */
@QuarkusTest
class SpanishPatientPagesIT {

    @Inject IdentityService identities;

    @Test
    void shouldSpeakSpanishToABrowserThatAsksForItAndToALoginThatChoseIt() {
        PracticeFixture practice = PracticeFixture.create(identities);

        // before sign-in, and while the login has not chosen, the browser's language decides
        given().header("Accept-Language", "es-US,es;q=0.9,en;q=0.5")
                .get("/login")
                .then()
                .statusCode(200)
                .body(containsString("<html lang=\"es\">"));
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        given().header("Cookie", patient.cookieHeader())
                .header("Accept-Language", "es-MX,es;q=0.9")
                .get("/patient")
                .then()
                .statusCode(200)
                .body(
                        containsString("<html lang=\"es\">"),
                        containsString(">Mensajes</h1>"),
                        containsString("Mensaje nuevo"));
        patient.get("/patient")
                .then()
                .body(containsString("<html lang=\"en\">"), containsString(">Messages</h1>"));

        // the login chooses Spanish in the header's chooser: every page follows, without
        // Accept-Language
        patient.get("/patient");
        patient.submit("/language", Map.of("language", "es", "back", "/patient"))
                .then()
                .statusCode(303);
        assertThat(identities.findByUsername(practice.patientLogin).orElseThrow().language())
                .isEqualTo("es");
        patient.get("/patient/messages/new")
                .then()
                .statusCode(200)
                .body(
                        containsString("<html lang=\"es\">"),
                        containsString("No es para emergencias"),
                        containsString("Pregunta médica"),
                        containsString("Resurtido de receta"),
                        not(containsString("Prescription refill")));

        // an emergency phrase: the urgent-help panel in Spanish
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "medical-question",
                                "subject",
                                "Dolor",
                                "text",
                                "I have chest pain",
                                "action",
                                "send"))
                .then()
                .statusCode(200)
                .body(
                        containsString("¿Necesita ayuda ahora mismo?"),
                        containsString("Llame al 911"));

        // a missing recipient is an error on its field, in Spanish, and nothing is sent
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                "",
                                "category",
                                "medical-question",
                                "subject",
                                "Receta",
                                "text",
                                "¿Pueden renovar mi receta?",
                                "action",
                                "send"))
                .then()
                .statusCode(422)
                .body(
                        containsString("usa-form-group--error"),
                        containsString(
                                "id=\"recipient-error\">Elija a quién va dirigido el mensaje."));

        // sent: the confirmation, the type, the receipt and the date in Spanish
        String subject = "Receta " + UUID.randomUUID().toString().substring(0, 8);
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medication-refill",
                                        "subject",
                                        subject,
                                        "text",
                                        "¿Pueden renovar mi receta de lisinopril?",
                                        "action",
                                        "send"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String thread =
                patient.get(location.substring(location.indexOf("/patient/")))
                        .then()
                        .statusCode(200)
                        .body(
                                containsString("<html lang=\"es\">"),
                                containsString("Mensaje enviado."),
                                containsString("Resurtido de receta"),
                                containsString("Su equipo de atención todavía no lo ha abierto"),
                                containsString("Todos los mensajes"))
                        .extract()
                        .asString();
        assertThat(thread)
                .containsPattern(
                        "(lun|mar|mié|jue|vie|sáb|dom)\\.? \\d{1,2} de [a-z]{3,4}\\.? de 20\\d\\d");
        // shown once: the confirmation does not come back on a reload
        patient.get(location.substring(location.indexOf("/patient/")))
                .then()
                .body(not(containsString("Mensaje enviado.")));

        patient.get("/patient")
                .then()
                .body(containsString(subject), containsString("Resurtido de receta"));
        patient.get("/patient/history")
                .then()
                .body(containsString("1 conversación"), containsString("1 mensaje"));
        patient.get("/patient/documents").then().body(containsString("Sus documentos de visitas"));
        patient.get("/patient/access-log").then().body(containsString("Quién abrió mis mensajes"));
        patient.get("/account/notifications")
                .then()
                .body(containsString("Con qué frecuencia"), containsString("Una vez al día"));
    }
}
