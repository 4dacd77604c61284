package dev.bluepost.triage;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.NewMessage;
import dev.bluepost.messaging.Party;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rule engine over the real broker and database: a red flag becomes an urgent Task in the
 * on-call pool with the emergency reply in the thread; an automatic reply never triggers rules and
 * a rule replies once per thread; a delayed acknowledgement is sent when due and dropped when staff
 * answer first; a rule that does not parse or could loop is refused with nothing saved; a dry run
 * changes nothing.
 */
@QuarkusTest
class TriageRulesIT {

    private static final Duration TRIAGE = Duration.ofSeconds(30);
    private static final java.time.ZoneId NEW_YORK = java.time.ZoneId.of("America/New_York");

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject RuleService rules;

    @Inject RuleRunner runner;

    @Inject MessageSending sending;

    @Inject MessageReading reading;

    @Inject DirectoryService directory;

    @Inject EntityManager em;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private PracticeFixture practiceWithDefaultRules() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId);
        // open around the clock, so the after-hours rule does not depend on when the test runs
        setup.setHours(
                practiceId,
                LocalTime.MIDNIGHT,
                LocalTime.of(23, 59),
                EnumSet.allOf(DayOfWeek.class));
        return practice;
    }

    @Test
    void shouldMakeRedFlagAnUrgentOnCallTaskWithTheEmergencyReplyAndNeverAnswerTheReply() {
        PracticeFixture practice = practiceWithDefaultRules();
        UUID practiceId = id(practice.practice);
        UUID onCall = directory.poolByName(practiceId, "On call").orElseThrow().id();

        String message =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "Since an hour I have chest pain going into my left arm"));
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .body("total", is(1))
                                        .body("entry[0].resource.priority", is("urgent"))
                                        .body(
                                                "entry[0].resource.owner.reference",
                                                is("CareTeam/" + onCall)));
        UUID thread = reading.threadOfMessage(UUID.fromString(message)).orElseThrow();
        List<MessageView> automatic = automatic(thread);
        assertThat(automatic).hasSize(1);
        assertThat(automatic.get(0).text()).contains("not for emergencies").contains("Call 911");
        assertThat(automatic.get(0).sender().type()).isEqualTo(Party.DEVICE);
        assertThat(automatic.get(0).inResponseTo()).isEqualTo(UUID.fromString(message));
        assertThat(rules.executions(UUID.fromString(message)))
                .anySatisfy(
                        e -> {
                            assertThat(e.ruleName()).startsWith("Red flags");
                            assertThat(e.outcome()).isEqualTo("fired");
                            assertThat(e.detail())
                                    .contains("text has a red flag")
                                    .contains("escalate")
                                    .contains("sent");
                        })
                .anySatisfy(e -> assertThat(e.outcome()).isEqualTo("skipped"));

        // the patient writes again in the thread: escalated again, but the rule does not reply
        // twice
        UUID patientId = id(practice.patient);
        Actor patient =
                new Actor(null, null, Set.of(Role.PATIENT), practiceId, null, patientId, null);
        UUID second =
                sending.send(
                                NewMessage.fromPage(
                                        patientId,
                                        new Party(Party.PATIENT, patientId),
                                        List.of(new Party(Party.CARE_TEAM, onCall)),
                                        thread,
                                        automatic.get(0).id(),
                                        "medical-question",
                                        "The chest pain is worse now",
                                        null),
                                patient)
                        .message()
                        .id();
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + second)
                                        .then()
                                        .body("total", is(1))
                                        .body("entry[0].resource.priority", is("urgent")));
        assertThat(automatic(thread)).hasSize(1);
        assertThat(rules.executions(second))
                .anySatisfy(e -> assertThat(e.detail()).contains("cooldown"));

        // the automatic reply was consumed before the later message (same thread, same partition):
        // no Task, no rules
        UUID reply = automatic.get(0).id();
        fhir().get("/fhir/Task?focus=Communication/" + reply).then().body("total", is(0));
        assertThat(rules.executions(reply)).isEmpty();
        // the patient sees when to expect an answer: the due-by the rule set
        assertThat(reading.thread(thread, TriageSetup.SYSTEM).replyExpectedBy()).isNotNull();
    }

    @Test
    void shouldSendTheDelayedAcknowledgementWhenDueAndDropItWhenStaffAnswerFirst() {
        PracticeFixture practice = PracticeFixture.create(identities);
        // both patients wrote before: their first messages' welcome is behind them
        for (String patient : List.of(practice.patient, practice.otherPatient)) {
            String first = Api.create(aMessage(patient, practice.pool, "Thank you for the visit"));
            await().atMost(TRIAGE)
                    .untilAsserted(
                            () ->
                                    fhir().get("/fhir/Task?focus=Communication/" + first)
                                            .then()
                                            .body("total", is(1)));
        }
        installDefaultsOpenAroundTheClock(practice);
        UUID practiceId = id(practice.practice);
        String waiting =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "Can I take ibuprofen with my blood pressure pills?"));
        String answered =
                Api.create(
                        aMessage(
                                practice.otherPatient,
                                practice.pool,
                                "Do you have my new address on file?"));
        for (String m : List.of(waiting, answered)) {
            await().atMost(TRIAGE)
                    .untilAsserted(
                            () ->
                                    fhir().get("/fhir/Task?focus=Communication/" + m)
                                            .then()
                                            .body("total", is(1)));
            assertThat(rules.executions(UUID.fromString(m)))
                    .anySatisfy(e -> assertThat(e.detail()).contains("scheduled"));
        }
        UUID waitingThread = reading.threadOfMessage(UUID.fromString(waiting)).orElseThrow();
        UUID answeredThread = reading.threadOfMessage(UUID.fromString(answered)).orElseThrow();
        assertThat(automatic(waitingThread)).isEmpty();

        UUID otherPatient = id(practice.otherPatient);
        Actor staff =
                new Actor(
                        null,
                        null,
                        Set.of(Role.FRONT_DESK),
                        practiceId,
                        id(practice.staff),
                        null,
                        null);
        sending.send(
                NewMessage.fromPage(
                        otherPatient,
                        new Party(Party.PRACTITIONER, id(practice.staff)),
                        List.of(new Party(Party.PATIENT, otherPatient)),
                        answeredThread,
                        UUID.fromString(answered),
                        "other",
                        "Yes, we have it.",
                        null),
                staff);
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                assertThat(rules.executions(UUID.fromString(answered)))
                                        .anySatisfy(
                                                e -> assertThat(e.detail()).contains("dropped")));

        clock.advance(Duration.ofMinutes(6));
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                assertThat(automatic(waitingThread))
                                        .anySatisfy(
                                                m ->
                                                        assertThat(m.text())
                                                                .contains(
                                                                        "We received your message and will answer by")));
        assertThat(automatic(answeredThread))
                .noneMatch(m -> m.text().contains("We received your message"));
        assertThat(automatic(waitingThread)).hasSize(1);
    }

    @Test
    void shouldAcknowledgeAConversationOnceEvenWhenThePatientWritesAgainADayLater() {
        clock.set(
                java.time.LocalDate.now(NEW_YORK)
                        .with(
                                java.time.temporal.TemporalAdjusters.next(
                                        java.time.DayOfWeek.TUESDAY))
                        .atTime(11, 0)
                        .atZone(NEW_YORK)
                        .toInstant());
        PracticeFixture practice = PracticeFixture.create(identities);
        String earlier =
                Api.create(aMessage(practice.patient, practice.pool, "Thank you for the visit"));
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + earlier)
                                        .then()
                                        .body("total", is(1)));
        installDefaultsOpenAroundTheClock(practice);
        UUID patientId = id(practice.patient);
        Actor patient =
                new Actor(
                        null,
                        null,
                        Set.of(Role.PATIENT),
                        id(practice.practice),
                        null,
                        patientId,
                        null);

        MessageView question =
                sending.send(
                                NewMessage.fromPage(
                                        patientId,
                                        new Party(Party.PATIENT, patientId),
                                        List.of(new Party(Party.CARE_TEAM, id(practice.pool))),
                                        null,
                                        null,
                                        "medical-question",
                                        "My blood pressure readings are higher this week",
                                        "Blood pressure"),
                                patient)
                        .message();
        awaitTask(question.id());
        clock.advance(Duration.ofMinutes(6));
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                assertThat(automatic(question.threadId()))
                                        .singleElement()
                                        .satisfies(
                                                m ->
                                                        assertThat(m.text())
                                                                .contains(
                                                                        "We received your message")));

        // a day later, before anyone answered, the patient adds a reading: no second
        // acknowledgement in the conversation
        clock.advance(Duration.ofHours(24));
        UUID followUp =
                sending.send(
                                NewMessage.fromPage(
                                        patientId,
                                        new Party(Party.PATIENT, patientId),
                                        List.of(new Party(Party.CARE_TEAM, id(practice.pool))),
                                        question.threadId(),
                                        question.id(),
                                        "medical-question",
                                        "Today it was 150 over 95",
                                        null),
                                patient)
                        .message()
                        .id();
        awaitTask(followUp);
        clock.advance(Duration.ofMinutes(6));
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                assertThat(rules.executions(followUp))
                                        .anySatisfy(
                                                e ->
                                                        assertThat(e.detail())
                                                                .contains("not sent")
                                                                .contains("once per thread")));
        assertThat(automatic(question.threadId())).hasSize(1);
    }

    @Test
    void shouldSendAFirstMessageOneAutomaticReplyThatAlsoSaysWhenTheOfficeOpens() {
        // Saturday: the practice (Monday to Friday, 08:00 to 17:00) is closed
        java.time.LocalDate saturday =
                java.time.LocalDate.now(NEW_YORK)
                        .with(
                                java.time.temporal.TemporalAdjusters.next(
                                        java.time.DayOfWeek.SATURDAY));
        clock.set(saturday.atTime(11, 0).atZone(NEW_YORK).toInstant());
        PracticeFixture practice = PracticeFixture.create(identities);
        setup.installDefaults(id(practice.practice));
        String first =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "Is there a flu shot clinic this month?"));
        awaitTask(
                UUID.fromString(
                        first)); // the rules' replies go out in the transaction that creates the
        // Task
        UUID thread = reading.threadOfMessage(UUID.fromString(first)).orElseThrow();
        assertThat(automatic(thread))
                .singleElement()
                .satisfies(
                        m ->
                                assertThat(m.text())
                                        .contains("Thank you for using secure messaging")
                                        .contains("The office is closed now; we open again Monday")
                                        .contains("will answer by"));
        // the welcome stopped the after-hours reply and the acknowledgement: nothing waits to be
        // sent later either
        assertThat(rules.executions(UUID.fromString(first)))
                .noneMatch(e -> e.detail().contains("scheduled"))
                .filteredOn(e -> e.outcome().equals("skipped"))
                .extracting(RuleService.ExecutionView::ruleName)
                .contains("After-hours reply", "Acknowledgement with the expected reply date");
    }

    @Test
    void shouldKeepAutomaticReplyTextsForRulesAndStaffTemplatesForStaff() {
        PracticeFixture practice = practiceWithDefaultRules();
        UUID practiceId = id(practice.practice);
        Actor admin = new Actor(null, null, Set.of(Role.ADMIN), practiceId, null, null, null);
        assertThat(rules.templates(practiceId))
                .extracting(RuleService.TemplateView::name)
                .contains("Refill sent", "Appointment needed", "Looking into it")
                .doesNotContain(
                        "Acknowledgement", "Emergency", "Welcome", "After hours", "Refill policy");
        assertThat(rules.templates(practiceId))
                .noneMatch(t -> t.body().contains("automatic reply"));
        assertThat(rules.automaticTexts(practiceId))
                .extracting(RuleService.TemplateView::name)
                .contains(
                        "Acknowledgement", "Emergency", "Welcome", "After hours", "Refill policy");

        // the console offers staff templates only, and will not fill in an automatic reply's text
        // for a person to send
        String message =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "Can I get a copy of my lab results?"));
        awaitTask(UUID.fromString(message));
        UUID thread = reading.threadOfMessage(UUID.fromString(message)).orElseThrow();
        dev.bluepost.testing.WebSession desk =
                dev.bluepost.testing.WebSession.signIn(
                        practice.frontDeskLogin, PracticeFixture.PASSWORD);
        String page =
                desk.get("/staff/threads/" + thread).then().statusCode(200).extract().asString();
        assertThat(page)
                .contains(">Looking into it<")
                .doesNotContain(">Acknowledgement<")
                .doesNotContain(">Emergency<");
        UUID acknowledgement = rules.template(practiceId, "Acknowledgement").orElseThrow().id();
        desk.get("/staff/threads/" + thread + "?template=" + acknowledgement)
                .then()
                .statusCode(404);
        desk.submit(
                        "/staff/threads/" + thread + "/macro",
                        java.util.Map.of("template", acknowledgement.toString(), "after", "open"))
                .then()
                .statusCode(404);
        assertThat(reading.thread(thread, TriageSetup.SYSTEM).messages())
                .noneMatch(m -> m.senderKind().isCareTeam());

        // a rule sends automatic texts only; a name is one kind
        assertThatThrownBy(
                        () ->
                                rules.save(
                                        practiceId,
                                        null,
                                        "Bad rule",
                                        "when message received\nthen reply \"Refill sent\"",
                                        true,
                                        admin))
                .isInstanceOf(BluepostException.class)
                .hasMessageContaining("for staff");
        assertThatThrownBy(
                        () ->
                                rules.saveTemplate(
                                        practiceId,
                                        "Acknowledgement",
                                        "Hello {patient}",
                                        false,
                                        admin))
                .isInstanceOf(BluepostException.class)
                .hasMessageContaining("another name");
        rules.saveTemplate(
                practiceId,
                "Lab results ready",
                "Hello {patient}, your results are in your record. {staff}",
                false,
                admin);
        assertThat(rules.templates(practiceId))
                .extracting(RuleService.TemplateView::name)
                .contains("Lab results ready");
    }

    private void installDefaultsOpenAroundTheClock(PracticeFixture practice) {
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId);
        setup.setHours(
                practiceId,
                LocalTime.MIDNIGHT,
                LocalTime.of(23, 59),
                EnumSet.allOf(DayOfWeek.class));
    }

    private static void awaitTask(UUID message) {
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .body("total", is(1)));
    }

    @Test
    void shouldRefuseRulesThatDoNotParseOrCouldLoopAndSaveNothing() {
        PracticeFixture practice = practiceWithDefaultRules();
        UUID practiceId = id(practice.practice);
        Actor admin = new Actor(null, null, Set.of(Role.ADMIN), practiceId, null, null, null);
        List<RuleService.RuleView> before = rules.rules(practiceId);
        Map<String, String> refused =
                Map.of(
                        "when message arrives\nthen tag x", "Line 1",
                        "when message received\nif sender is automatic\nthen reply \"Acknowledgement\"",
                                "loop",
                        "when message received\nthen reply \"Acknowledgement\"\ncooldown 0 minutes",
                                "every message of a thread",
                        "when message received\nthen reply \"No such template\"",
                                "no automatic reply text",
                        "when message received\nif text matches \"(unclosed\"\nthen tag x",
                                "not a valid regular expression",
                        "when message received\nthen route to \"Nowhere\"", "no pool",
                        "when message received\nif colour is blue\nthen tag x",
                                "unknown condition");
        refused.forEach(
                (definition, reason) ->
                        assertThatThrownBy(
                                        () ->
                                                rules.save(
                                                        practiceId,
                                                        null,
                                                        "Bad rule",
                                                        definition,
                                                        true,
                                                        admin))
                                .isInstanceOf(BluepostException.class)
                                .hasMessageContaining("not saved")
                                .hasMessageContaining(reason));
        assertThat(rules.rules(practiceId)).isEqualTo(before);

        // an edit keeps the old version
        RuleService.RuleView ack = before.get(before.size() - 1);
        RuleService.RuleView edited =
                rules.save(
                        practiceId,
                        ack.key(),
                        ack.name(),
                        ack.definition().replace("after 5 minutes", "after 10 minutes"),
                        true,
                        admin);
        assertThat(edited.version()).isEqualTo(2);
        assertThat(rules.history(practiceId, ack.key()))
                .extracting(RuleService.RuleView::version)
                .containsExactly(2, 1);
        assertThat(rules.rules(practiceId)).hasSize(before.size());
    }

    @Test
    void shouldDryRunARuleOverPastMessagesWithoutChangingAnything() {
        PracticeFixture practice = practiceWithDefaultRules();
        UUID practiceId = id(practice.practice);
        String refill =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "Please refill my lisinopril, I have 3 left"));
        String other =
                Api.create(
                        aMessage(
                                practice.otherPatient,
                                practice.pool,
                                "What time do you open on Saturday?"));
        for (String m : List.of(refill, other)) {
            await().atMost(TRIAGE)
                    .untilAsserted(
                            () ->
                                    fhir().get("/fhir/Task?focus=Communication/" + m)
                                            .then()
                                            .body("total", is(1)));
        }
        Map<String, Long> before = counts(practiceId);
        Actor admin = new Actor(null, null, Set.of(Role.ADMIN), practiceId, null, null, null);
        List<RuleRunner.DryRunRow> rows =
                runner.dryRun(
                        practiceId,
                        """
                when message received
                if text contains "lisinopril"
                then set priority urgent
                then route to "Refills"
                then reply "Refill policy"
                stop""",
                        10,
                        admin);
        assertThat(rows).hasSize(2);
        Map<UUID, RuleRunner.DryRunRow> byMessage =
                rows.stream().collect(Collectors.toMap(RuleRunner.DryRunRow::messageId, r -> r));
        assertThat(byMessage.get(UUID.fromString(refill)).fired()).isTrue();
        assertThat(byMessage.get(UUID.fromString(refill)).actions())
                .contains("set priority urgent", "reply \"Refill policy\"");
        assertThat(byMessage.get(UUID.fromString(other)).fired()).isFalse();
        assertThat(counts(practiceId)).isEqualTo(before);
        fhir().get("/fhir/Task?focus=Communication/" + refill)
                .then()
                .body("entry[0].resource.priority", is("routine"));
    }

    private List<MessageView> automatic(UUID thread) {
        return reading.thread(thread, TriageSetup.SYSTEM).messages().stream()
                .filter(MessageView::automatic)
                .toList();
    }

    private Map<String, Long> counts(UUID practiceId) {
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            Map<String, Long> counts = new java.util.TreeMap<>();
                            for (String table :
                                    List.of(
                                            "message",
                                            "triage_item",
                                            "triage_rule_execution",
                                            "triage_scheduled_reply",
                                            "triage_rule",
                                            "triage_auto_reply")) {
                                String where =
                                        switch (table) {
                                            case "triage_auto_reply" -> "";
                                            default -> " where practice_id = '" + practiceId + "'";
                                        };
                                counts.put(
                                        table,
                                        ((Number)
                                                        em.createNativeQuery(
                                                                        "select count(*) from "
                                                                                + table
                                                                                + where)
                                                                .getSingleResult())
                                                .longValue());
                            }
                            counts.put(
                                    "updated",
                                    ((Number)
                                                    em.createNativeQuery(
                                                                    "select count(*) from triage_item where practice_id = '"
                                                                            + practiceId
                                                                            + "' and (priority <> 'routine' or version > 0)")
                                                            .getSingleResult())
                                            .longValue());
                            return counts;
                        });
    }
}
