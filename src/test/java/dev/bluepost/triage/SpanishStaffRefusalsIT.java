package dev.bluepost.triage;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Builders;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import dev.bluepost.triage.rules.RuleParser;
import dev.bluepost.triage.rules.RuleSyntaxException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Triage's refusals reach a Spanish-reading staff member in Spanish: a claim on a message someone else
 * holds, a batch reply with a line that cannot be sent, an empty note, a rule the language does not accept
 * (its line number kept), a holiday, opening hours and an SLA target that do not make sense. The APIs and
 * the log keep the same English as before, and every rule language problem has the same English in the
 * bundle as the parser's.
 */
@QuarkusTest
class SpanishStaffRefusalsIT {

    private static final Duration TRIAGE = Duration.ofSeconds(30);

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject RuleService rules;

    @Inject MessageReading reading;

    @Test
    void shouldRefuseAClaimABatchLineAndANoteInSpanishForASpanishDesk() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId);
        String claimedMessage =
                Api.create(
                        aMessage(practice.patient, practice.pool, "When is my next appointment?"));
        String claimedTask = taskOf(claimedMessage);
        String otherTask =
                taskOf(
                        Api.create(
                                aMessage(
                                        practice.otherPatient,
                                        practice.pool,
                                        "Please refill my statin")));

        // a second front-desk person, who reads Spanish
        Practitioner person = new Practitioner();
        person.addName().setFamily("Segundo").addGiven("Samuel");
        person.addExtension(
                Builders.BASE + "/StructureDefinition/practice", new Reference(practice.practice));
        String personId = Api.create(person);
        String login = "desk-es-" + UUID.randomUUID().toString().substring(0, 8);
        UUID user =
                identities.createUser(
                        new IdentityService.NewUser(
                                login,
                                PracticeFixture.PASSWORD,
                                "Samuel Segundo",
                                Set.of(Role.FRONT_DESK),
                                practiceId,
                                UUID.fromString(personId),
                                null,
                                Set.of()));
        identities.chooseLanguage(user, "es");

        WebSession english = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        english.get("/staff/queue").then().statusCode(200);
        english.submit("/staff/items/" + claimedTask + "/claim", Map.of()).then().statusCode(303);

        WebSession spanish = WebSession.signIn(login, PracticeFixture.PASSWORD);
        spanish.get("/staff/queue").then().statusCode(200);
        String holder = Api.read(Practitioner.class, practice.staff).getNameFirstRep().getFamily();
        String refused =
                spanish.submit("/staff/items/" + claimedTask + "/claim", Map.of())
                        .then()
                        .statusCode(409)
                        .extract()
                        .asString();
        assertThat(refused)
                .contains("ya tomó este mensaje; pregúntele, o reasígnelo.")
                .contains(holder)
                .doesNotContain("already claimed");
        assertThat(
                        spanish.submit("/staff/items/" + claimedTask + "/release", Map.of())
                                .then()
                                .statusCode(409)
                                .extract()
                                .asString())
                .contains("Solo la persona que tiene un mensaje puede devolverlo; lo tiene")
                .contains(holder);
        // the English reader is told the same in English
        english.submit("/staff/items/" + claimedTask + "/release", Map.of()).then().statusCode(303);
        assertThat(
                        english.submit("/staff/items/" + claimedTask + "/release", Map.of())
                                .then()
                                .statusCode(409)
                                .extract()
                                .asString())
                .contains("Only the person holding a message releases it; nobody holds it.");

        // a batch with a line that is not the practice's: the others go out, that line says why in
        // Spanish
        String template = rules.template(practiceId, "Refill sent").orElseThrow().id().toString();
        String stranger = UUID.randomUUID().toString();
        String preview =
                spanish.submitRepeated(
                                "/staff/items/batch/preview",
                                Map.of(
                                        "item",
                                        List.of(otherTask, stranger),
                                        "template",
                                        List.of(template)))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(preview)
                .contains("Mensaje desconocido")
                .contains("Este mensaje no está en la cola de su clínica.")
                .doesNotContain("Unknown message")
                .doesNotContain("not in your practice");
        String sent =
                spanish.submitRepeated(
                                "/staff/items/batch/send",
                                Map.of(
                                        "item",
                                        List.of(otherTask, stranger),
                                        "template",
                                        List.of(template)))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(sent)
                .contains("No enviada:")
                .contains("Este mensaje no está en la cola de su clínica.");
        assertThat(
                        spanish.submitRepeated(
                                        "/staff/items/batch/preview",
                                        Map.of("template", List.of(template)))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains("Seleccione los mensajes que quiere responder.");

        // forms of the conversation page
        UUID threadId = reading.threadOfMessage(UUID.fromString(claimedMessage)).orElseThrow();
        // what the rules did, in Spanish words; the rule language (conditions, actions) as the rule
        // writes it
        String conversation =
                spanish.get("/staff/threads/" + threadId)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(conversation)
                .contains("no se cumple (text has a red flag)")
                .contains("no se cumple ninguna de las condiciones")
                .contains("detuvo las reglas siguientes")
                .doesNotContain("none of the conditions holds")
                .doesNotContain("stopped further rules");
        assertThat(rules.executions(UUID.fromString(claimedMessage)))
                .anySatisfy(e -> assertThat(e.detail()).isEqualTo("none of the conditions holds"));
        assertThat(
                        spanish.submit("/staff/threads/" + threadId + "/notes", Map.of("note", " "))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains("Escriba la nota.");
        assertThat(
                        spanish.submit(
                                        "/staff/threads/" + threadId + "/macro",
                                        Map.of("template", template, "after", "later"))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains("Elija qué hace la macro después de su respuesta.");
        assertThat(
                        spanish.submit(
                                        "/staff/messages",
                                        Map.of(
                                                "patient",
                                                "",
                                                "category",
                                                "other",
                                                "subject",
                                                "Hola",
                                                "text",
                                                "Hola"))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains("Elija un paciente de la clínica.");
    }

    @Test
    void shouldRefuseABadRuleOnTheRulesPageInSpanishKeepingItsLine() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId);
        String admin = "rules-es-" + UUID.randomUUID().toString().substring(0, 8);
        UUID user =
                identities.createUser(
                        new IdentityService.NewUser(
                                admin,
                                PracticeFixture.PASSWORD,
                                "Admin",
                                Set.of(Role.ADMIN),
                                practiceId,
                                null,
                                null,
                                Set.of()));
        identities.chooseLanguage(user, "es");
        WebSession session = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        session.get("/admin/triage").then().statusCode(200);

        String loop = "when message received\nif sender is staff\nthen tag x";
        String page =
                session.submit(
                                "/admin/triage/rules",
                                Map.of(
                                        "key",
                                        "",
                                        "name",
                                        "Bucle",
                                        "definition",
                                        loop,
                                        "enabled",
                                        "on"))
                        .then()
                        .statusCode(422)
                        .extract()
                        .asString();
        assertThat(page)
                .contains(
                        "La regla no se guardó. Línea 2: las reglas solo actúan sobre mensajes de pacientes y representantes")
                .contains(
                        "una regla que se active con mensajes de staff podría responder a sus propias respuestas sin fin.")
                .doesNotContain("was not saved");
        assertThat(
                        session.submit(
                                        "/admin/triage/rules",
                                        Map.of(
                                                "key",
                                                "",
                                                "name",
                                                "Prioridad",
                                                "definition",
                                                "when message received\n\nthen set priority whenever",
                                                "enabled",
                                                "on"))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains(
                        "Línea 3: &#39;whenever&#39; no es una prioridad (una de asap, routine, stat, urgent).");
        assertThat(
                        session.submit(
                                        "/admin/triage/rules",
                                        Map.of(
                                                "key",
                                                "",
                                                "name",
                                                "Grupo",
                                                "definition",
                                                "when message received\nthen route to \"Nowhere\"",
                                                "enabled",
                                                "on"))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains(
                        "La regla no se guardó. La clínica no tiene ningún grupo llamado &quot;Nowhere&quot;.");
        assertThat(rules.rules(practiceId))
                .noneMatch(r -> r.name().equals("Bucle") || r.name().equals("Grupo"));
        // a dry run says why the rule would not fire in Spanish, the condition as the rule writes
        // it
        taskOf(
                Api.create(
                        aMessage(practice.patient, practice.pool, "When is my next appointment?")));
        assertThat(
                        session.submit(
                                        "/admin/triage/rules",
                                        Map.of(
                                                "key",
                                                "",
                                                "name",
                                                "Cuentas",
                                                "action",
                                                "dry-run",
                                                "count",
                                                "5",
                                                "definition",
                                                "when message received\nif category is billing\nthen tag cuentas",
                                                "enabled",
                                                "on"))
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .contains("no se cumple (category is billing)")
                .doesNotContain("not (");
        // the API's and the log's words stay the English they were
        assertThatThrownBy(() -> rules.check(practiceId, loop))
                .hasMessage(
                        "The rule was not saved. Line 2: rules act on messages "
                                + "from patients and proxies only (\"sender is patient\" or \"proxy\"); a rule triggered by staff messages could "
                                + "answer its own replies and loop.");

        assertThat(
                        session.submit(
                                        "/admin/triage/holidays",
                                        Map.of("day", "25/12/2026", "name", "Navidad"))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains("Escriba la fecha del día festivo como AAAA-MM-DD.");
        assertThat(
                        session.submitRepeated(
                                        "/admin/triage/hours",
                                        Map.of(
                                                "opens",
                                                List.of("17:00"),
                                                "closes",
                                                List.of("08:00"),
                                                "day",
                                                List.of("MON")))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains("La hora de apertura debe ser anterior a la de cierre.");
        assertThat(
                        session.submit(
                                        "/admin/triage/sla",
                                        Map.of(
                                                "pool",
                                                "",
                                                "priority",
                                                "urgent",
                                                "first",
                                                "30",
                                                "next",
                                                "60",
                                                "warning",
                                                "45"))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains(
                        "El aviso llega antes de que se pase el plazo: de 0 a menos minutos que la primera respuesta.");
        assertThat(
                        session.submit(
                                        "/admin/triage/templates",
                                        Map.of(
                                                "kind",
                                                "staff",
                                                "name",
                                                "Roto",
                                                "body",
                                                "Hola {paciente}"))
                                .then()
                                .statusCode(422)
                                .extract()
                                .asString())
                .contains(
                        "La plantilla usa {paciente}, que no es un marcador; use patient, practice,");
    }

    @Test
    void shouldSayEveryRuleLanguageProblemWithTheParsersEnglishAndInSpanish() {
        List<String> wrong =
                List.of(
                        "",
                        "x".repeat(10_001),
                        "then tag x",
                        "when message received",
                        "when message received\nwhen message received\nthen tag x",
                        "when message received\nhello",
                        "when message received\nif sender is staff\nthen tag x",
                        "when message received\nif sender is or\nthen tag x",
                        "when message received\nif text matches \"a\", \"b\"\nthen tag x",
                        "when message received\nif text matches \"((\"\nthen tag x",
                        "when message received\nif moon is full\nthen tag x",
                        "when message received\nthen set priority urgent, stat",
                        "when message received\nthen set category billing, referral",
                        "when message received\nthen assign to Practitioner/xyz",
                        "when message received\nthen tag !!",
                        "when message received\nthen set due-by in soon",
                        "when message received\nthen reply Ack",
                        "when message received\nthen reply \"Ack\" before 5 minutes",
                        "when message received\nthen reply \"Ack\" after 25 hours",
                        "when message received\nthen dance",
                        "when message received\nthen set priority whenever",
                        "when message received\nif category is gossip\nthen tag x",
                        "when message received\nif priority is or\nthen tag x",
                        "when message received\nif category is or\nthen tag x",
                        "when message received\nif text contains pain\nthen tag x",
                        "when message received\nthen route to \"A\", \"B\"",
                        "when message received\nthen tag x\ncooldown twice",
                        "when message received\nthen tag x\ncooldown 0 hours",
                        "when message received\nthen reply \"Ack\" after soon",
                        "when patient has not read a reply in 0 days\nthen tag x",
                        "when the moon is full\nthen tag x");
        Set<RuleSyntaxException.Problem> seen = EnumSet.noneOf(RuleSyntaxException.Problem.class);
        TriageRefusals english = Language.ENGLISH.messages(TriageRefusals.class);
        TriageRefusals spanish = Language.SPANISH.messages(TriageRefusals.class);
        for (String definition : wrong) {
            RuleSyntaxException e = catchSyntax(definition);
            seen.add(e.problem());
            assertThat(RuleSyntaxWords.text(e, english))
                    .as(e.problem().name())
                    .isEqualTo(e.getMessage());
            assertThat(RuleSyntaxWords.text(e, spanish))
                    .as(e.problem().name())
                    .isNotBlank()
                    .isNotEqualTo(e.getMessage());
            e.line()
                    .ifPresent(
                            line ->
                                    assertThat(RuleSyntaxWords.text(e, spanish))
                                            .startsWith("Línea " + line + ": "));
        }
        assertThat(seen).containsExactlyInAnyOrder(RuleSyntaxException.Problem.values());
    }

    @Test
    void shouldWordALogLineInEnglishAsItsStoredRecordSaysIt() {
        RuleLogWords english =
                new RuleLogWords(
                        Language.ENGLISH.messages(RuleLogMessages.class),
                        new StaffWords(
                                Language.ENGLISH.messages(StaffMessages.class), Language.ENGLISH),
                        java.time.ZoneOffset.UTC);
        List<List<LogStep>> lines =
                List.of(
                        List.of(
                                LogStep.of(LogStep.Step.EVENT, "no staff reply by due-by"),
                                LogStep.of(LogStep.Step.NO_CONDITIONS),
                                LogStep.of(LogStep.Step.DONE, "tag overdue"),
                                LogStep.of(LogStep.Step.POOL_GONE, "route to \"Gone\""),
                                LogStep.of(
                                        LogStep.Step.PRACTITIONER_GONE, "assign to Practitioner/1"),
                                LogStep.of(LogStep.Step.REPLY_COOLDOWN, "Ack", "once per thread"),
                                LogStep.of(LogStep.Step.REPLY_NO_TEXT, "Ack"),
                                LogStep.of(LogStep.Step.DONE, "stop")),
                        List.of(LogStep.of(LogStep.Step.CONDITION_FAILED, "category is billing")),
                        List.of(LogStep.of(LogStep.Step.NONE_HELD)),
                        List.of(LogStep.of(LogStep.Step.STOPPED_BY, "Red flags")),
                        List.of(LogStep.of(LogStep.Step.DROPPED_ANSWERED, "Ack")),
                        List.of(LogStep.of(LogStep.Step.DROPPED_CLOSED, "Ack")));
        for (List<LogStep> line : lines) {
            assertThat(english.line(line)).isEqualTo(LogStep.english(line));
            assertThat(LogStep.decode(LogStep.encode(line))).isEqualTo(line);
        }
        assertThat(LogStep.english(lines.get(0)))
                .isEqualTo(
                        "no staff reply by due-by: no conditions → tag overdue; route to \"Gone\" "
                                + "not done: the pool no longer exists; assign to Practitioner/1 not done: the practitioner no longer works for the "
                                + "practice; reply \"Ack\" not sent: this rule already replied in the thread (cooldown: once per thread); reply \"Ack\" "
                                + "not sent: the practice has no automatic reply text of that name; stop");
    }

    private static RuleSyntaxException catchSyntax(String definition) {
        try {
            RuleParser.parse(definition);
        } catch (RuleSyntaxException e) {
            return e;
        }
        throw new AssertionError("parsed: " + definition);
    }

    private static String taskOf(String message) {
        return await().atMost(TRIAGE)
                .until(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .<String>path("entry[0].resource.id"),
                        id -> id != null);
    }
}
