package dev.bluepost.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Builders;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SampleFiles;
import dev.bluepost.testing.WebSession;
import dev.bluepost.testing.WebSession.Upload;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.Test;

/**
 * A patient who reads Spanish gets the refusals of the messaging pages in Spanish (said from the feature's
 * message bundle, on the field they are about), while the FHIR API answers the same refusals in the English
 * it always had.
 */
@QuarkusTest
class SpanishRefusalsIT {

    private static final String LONG_SUBJECT = "Receta ".repeat(29); // 203 characters once trimmed

    @Inject IdentityService identities;

    @Test
    void shouldRefuseASpanishPatientsMessageInSpanishAndKeepTheApiInEnglish() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);

        // in English first: the same refusal in the words the API has always had
        patient.get("/patient/messages/new");
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "medical-question",
                                "subject",
                                LONG_SUBJECT,
                                "text",
                                "A question about my prescription",
                                "action",
                                "send"))
                .then()
                .statusCode(422)
                .body(
                        containsString(
                                "id=\"subject-error\">The subject is longer than 200 characters."));

        patient.get("/patient");
        patient.submit("/language", Map.of("language", "es", "back", "/patient"))
                .then()
                .statusCode(303);

        // an empty message
        patient.get("/patient/messages/new");
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "medical-question",
                                "subject",
                                "Receta",
                                "text",
                                "   ",
                                "action",
                                "send"))
                .then()
                .statusCode(422)
                .body(
                        containsString("<html lang=\"es\">"),
                        containsString(
                                "id=\"text-error\">Su mensaje está vacío: escriba lo que quiere decirle a su equipo de atención."));

        // a subject over the limit: on the subject field, the text kept
        String text = "¿Pueden renovar mi receta? " + UUID.randomUUID();
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "medical-question",
                                "subject",
                                LONG_SUBJECT,
                                "text",
                                text,
                                "action",
                                "send"))
                .then()
                .statusCode(422)
                .body(
                        containsString(
                                "id=\"subject-error\">El asunto tiene más de 200 caracteres."),
                        containsString(text),
                        not(containsString("longer than 200")));

        // a program, and a PDF named as a photo among two files: on the files field, named by
        // position only
        Map<String, String> fields =
                Map.of(
                        "recipient",
                        practice.pool,
                        "category",
                        "medical-question",
                        "subject",
                        "Archivos",
                        "text",
                        text,
                        "action",
                        "send");
        patient.submitMultipart(
                        "/patient/messages",
                        fields,
                        List.of(
                                new Upload(
                                        "receta.jpg",
                                        "image/jpeg",
                                        SampleFiles.windowsExecutable())))
                .then()
                .statusCode(415)
                .body(
                        containsString(
                                "El archivo adjunto es un programa de Windows, que no se puede adjuntar. Adjunte solo "
                                        + "imágenes JPEG o PNG y documentos PDF"),
                        containsString("Vuelva a elegir sus archivos adjuntos."),
                        not(containsString("cannot be attached")));
        patient.submitMultipart(
                        "/patient/messages",
                        fields,
                        List.of(
                                new Upload("uno.png", "image/png", SampleFiles.png()),
                                new Upload("dos.jpg", "image/jpeg", SampleFiles.pdf("x"))))
                .then()
                .statusCode(422)
                .body(
                        containsString(
                                "El archivo adjunto 2 tiene nombre de una imagen JPEG (.jpg), pero su contenido es un "
                                        + "documento PDF. Cámbiele el nombre para que termine en .pdf"),
                        not(containsString("dos.jpg")));

        // sent; then retracting it without a reason
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Receta",
                                        "text",
                                        text,
                                        "action",
                                        "send"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String threadPath = location.substring(location.indexOf("/patient/"));
        String thread = patient.get(threadPath).then().statusCode(200).extract().asString();
        Matcher retract =
                Pattern.compile(
                                "action=\"(/patient/threads/[0-9a-f-]+/messages/[0-9a-f-]+/retract)\"")
                        .matcher(thread);
        assertThat(retract.find()).isTrue();
        patient.submit(retract.group(1), Map.of("reason", " "))
                .then()
                .statusCode(422)
                .body(
                        containsString(
                                "Indique por qué retira el mensaje (500 caracteres como máximo)."));

        // the care team closes the conversation; a reply from the page still open is refused,
        // saying why
        String threadId = threadPath.substring(threadPath.lastIndexOf('/') + 1);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + threadId);
        desk.submit("/staff/threads/" + threadId + "/close", Map.of()).then().statusCode(303);
        patient.submit(threadPath + "/reply", Map.of("text", "Una pregunta más", "action", "send"))
                .then()
                .statusCode(422)
                .body(
                        containsString("Su equipo de atención cerró esta conversación."),
                        containsString("Escribir un mensaje nuevo"),
                        not(containsString("closed this conversation")),
                        not(containsString("Start a new message")));

        // the API: the same refusals in English, whoever's language
        Communication program = Builders.aMessage(practice.patient, practice.pool, "program");
        program.addPayload()
                .setContent(
                        new Attachment()
                                .setContentType("image/jpeg")
                                .setTitle("receta.jpg")
                                .setData(SampleFiles.windowsExecutable()));
        Api.post(program)
                .then()
                .statusCode(415)
                .body(
                        "issue[0].diagnostics",
                        containsString(
                                "The attachment is a Windows program, which cannot be attached. Attach JPEG or PNG images and PDF documents only"));
        Communication longSubject = Builders.aMessage(practice.patient, practice.pool, "subject");
        longSubject.getTopic().setText(LONG_SUBJECT);
        Api.post(longSubject)
                .then()
                .statusCode(422)
                .body(
                        "issue[0].diagnostics",
                        containsString("The subject is longer than 200 characters."));
    }
}
