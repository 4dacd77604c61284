package dev.bluepost.triage;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import dev.bluepost.triage.console.ConsoleService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Practice texts go out in the patient's language: a patient whose login chose Spanish writes "dolor
 * de pecho" and "no puedo respirar"; the red-flag rule escalates it to the on-call pool like its
 * English twin and its emergency reply is the Spanish text, with the Spanish help; a staff template
 * for that patient is Spanish too. A patient who chose no language gets the English texts.
 */
@QuarkusTest
class SpanishRepliesIT {

    private static final Duration TRIAGE = Duration.ofSeconds(30);

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject TriageService triage;

    @Inject MessageReading reading;

    @Inject DirectoryService directory;

    @Inject ConsoleService console;

    @Inject RuleService rules;

    @Test
    void shouldEscalateASpanishRedFlagAndAnswerItInSpanish() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId);
        identities.chooseLanguage(
                identities.findByUsername(practice.patientLogin).orElseThrow().id(), "es");
        UUID onCall = directory.poolByName(practiceId, "On call").orElseThrow().id();
        Actor desk =
                new Actor(
                        null,
                        null,
                        Set.of(Role.FRONT_DESK),
                        practiceId,
                        id(practice.staff),
                        null,
                        null);

        String message =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "Tengo dolor de pecho y no puedo respirar bien"));
        UUID item =
                UUID.fromString(
                        await().atMost(TRIAGE)
                                .until(
                                        () ->
                                                fhir().get(
                                                                "/fhir/Task?focus=Communication/"
                                                                        + message)
                                                        .then()
                                                        .statusCode(200)
                                                        .extract()
                                                        .<String>path("entry[0].resource.id"),
                                        id -> id != null));
        TriageService.QueueItem queued = triage.item(item, desk).orElseThrow();
        assertThat(queued.queuePoolId()).isEqualTo(onCall);
        assertThat(queued.tags()).contains("red-flag");
        assertThat(queued.priority()).isNotEqualTo("routine");

        UUID thread = reading.threadOfMessage(UUID.fromString(message)).orElseThrow();
        List<MessageView> automatic =
                await().atMost(TRIAGE)
                        .until(
                                () ->
                                        reading
                                                .thread(thread, TriageSetup.SYSTEM)
                                                .messages()
                                                .stream()
                                                .filter(MessageView::automatic)
                                                .toList(),
                                replies -> !replies.isEmpty());
        assertThat(automatic)
                .singleElement()
                .satisfies(
                        reply ->
                                assertThat(reply.text())
                                        .startsWith("Esta es una respuesta automática de ")
                                        .contains("Su mensaje podría describir una emergencia")
                                        .contains(
                                                "Llame al 911 o vaya ahora mismo a la sala de emergencias más cercana.")
                                        .doesNotContain("{", "emergency room"));

        // a staff template for this patient: Spanish, with the patient's name filled in
        UUID template = rules.template(practiceId, "Refill sent").orElseThrow().id();
        String patientName = directory.patient(id(practice.patient)).orElseThrow().displayName();
        assertThat(console.render(thread, template, desk))
                .startsWith("Hola, " + patientName + ": su receta se envió a su farmacia.");
    }

    @Test
    void shouldShowTheQueueInTheLanguageTheDeskChoseInPlainWords() {
        PracticeFixture practice = PracticeFixture.create(identities);
        setup.installDefaults(id(practice.practice));
        String message =
                Api.create(
                        aMessage(practice.patient, practice.pool, "Me desmaye hoy en el trabajo"));
        await().atMost(TRIAGE)
                .until(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .<String>path("entry[0].resource.id"),
                        id -> id != null);
        // the desk chose Spanish (its browser asks for nothing in particular): statuses and tags in
        // Spanish words, never codes
        identities.chooseLanguage(
                identities.findByUsername(practice.frontDeskLogin).orElseThrow().id(), "es");
        String queue =
                WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD)
                        .get("/staff/queue")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(queue)
                .contains(
                        "<h1 class=\"margin-y-1\">Cola de trabajo</h1>",
                        "Posible emergencia",
                        "En espera")
                .doesNotContain(">requested<", ">red-flag<", "Waiting");
    }

    @Test
    void shouldAnswerInEnglishWhenThePatientChoseNoLanguage() {
        PracticeFixture practice = PracticeFixture.create(identities);
        setup.installDefaults(id(practice.practice));
        String message =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "I have chest pain since this morning"));
        await().atMost(TRIAGE)
                .until(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .<String>path("entry[0].resource.id"),
                        id -> id != null);
        UUID thread = reading.threadOfMessage(UUID.fromString(message)).orElseThrow();
        List<MessageView> automatic =
                await().atMost(TRIAGE)
                        .until(
                                () ->
                                        reading
                                                .thread(thread, TriageSetup.SYSTEM)
                                                .messages()
                                                .stream()
                                                .filter(MessageView::automatic)
                                                .toList(),
                                replies -> !replies.isEmpty());
        assertThat(automatic)
                .singleElement()
                .satisfies(
                        reply ->
                                assertThat(reply.text())
                                        .startsWith("This is an automatic reply from ")
                                        .contains(
                                                "Call 911 or go to the nearest emergency room now."));
    }
}
