package dev.bluepost.triage;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.NewMessage;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.ThreadActions;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Builders;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * The console over the real broker and database: a batch reply to 20 refill requests gives each
 * patient a one-to-one reply in their own thread (and one that cannot be sent is reported while
 * the others go out); claims are exclusive and a stale claim names the holder; "next" serves the
 * most urgent item; assigning through PUT Task is the console's operation; notes stay staff-only.
 */
@QuarkusTest
class ConsoleIT {

    private static final Duration TRIAGE = Duration.ofSeconds(30);

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject RuleService rules;

    @Inject MessageSending sending;

    @Inject MessageReading reading;

    @Inject ThreadActions threadActions;

    @Test
    void shouldAnswerTwentyRefillRequestsInOneBatchEachPatientInTheirOwnThread() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId);
        UUID template = rules.template(practiceId, "Refill sent").orElseThrow().id();

        Map<String, String> patientNames = new java.util.LinkedHashMap<>();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Patient patient = Builders.aPatient(practice.practice);
            String ref = "Patient/" + Api.create(patient);
            patientNames.put(ref, patient.getNameFirstRep().getFamily());
            messages.add(
                    Api.create(aMessage(ref, practice.pool, "Please refill my metformin " + i)));
        }
        // one more, whose conversation is closed before the batch: it cannot be answered
        String closedMessage =
                Api.create(
                        aMessage(practice.otherPatient, practice.pool, "Please refill my statin"));
        List<String> items = new ArrayList<>();
        for (String m : messages) {
            items.add(taskOf(m));
        }
        String closedItem = taskOf(closedMessage);
        UUID closedThread = reading.threadOfMessage(UUID.fromString(closedMessage)).orElseThrow();
        threadActions.close(
                closedThread,
                new Actor(
                        null,
                        null,
                        Set.of(Role.FRONT_DESK),
                        practiceId,
                        id(practice.staff),
                        null,
                        null));
        items.add(closedItem);

        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/queue").then().statusCode(200).body(containsString("Refills"));
        String preview =
                desk.submitRepeated(
                                "/staff/items/batch/preview",
                                Map.of("item", items, "template", List.of(template.toString())))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        patientNames
                .values()
                .forEach(
                        family ->
                                assertThat(preview)
                                        .containsPattern(
                                                "Hello [^<,]*"
                                                        + family
                                                        + ", your refill has been sent"));
        assertThat(rules.executions(UUID.fromString(messages.get(0)))).isNotEmpty();

        String result =
                desk.submitRepeated(
                                "/staff/items/batch/send",
                                Map.of("item", items, "template", List.of(template.toString())))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(result)
                .contains("Reply sent to 20 patients. 1 not sent")
                .contains("Start a new message instead");

        Set<UUID> threads = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            UUID thread = reading.threadOfMessage(UUID.fromString(messages.get(i))).orElseThrow();
            threads.add(thread);
            String patientRef = new ArrayList<>(patientNames.keySet()).get(i);
            List<MessageView> staffReplies =
                    reading.thread(thread, TriageSetup.SYSTEM).messages().stream()
                            .filter(m -> m.senderKind().isCareTeam())
                            .toList();
            assertThat(staffReplies)
                    .singleElement()
                    .satisfies(
                            m -> {
                                assertThat(m.text())
                                        .containsPattern(
                                                "Hello [^,]*"
                                                        + patientNames.get(patientRef)
                                                        + ", your refill has been sent");
                                assertThat(m.recipients())
                                        .extracting(r -> r.reference())
                                        .containsExactly(patientRef);
                            });
        }
        assertThat(threads).hasSize(20);
        for (String m : messages) {
            await().atMost(TRIAGE)
                    .untilAsserted(
                            () ->
                                    fhir().get("/fhir/Task?focus=Communication/" + m)
                                            .then()
                                            .body("entry[0].resource.status", is("completed")));
        }
        assertThat(reading.thread(closedThread, TriageSetup.SYSTEM).messages())
                .noneMatch(m -> m.senderKind().isCareTeam());
    }

    @Test
    void shouldRefuseAStaleClaimNamingTheHolderAndServeTheNextOne() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        String routine =
                Api.create(
                        aMessage(practice.patient, practice.pool, "When is my next appointment?"));
        String task = taskOf(routine);

        // a second front-desk person, with a practitioner record of their own
        org.hl7.fhir.r4.model.Practitioner other = new org.hl7.fhir.r4.model.Practitioner();
        other.addName().setFamily("Second").addGiven("Sam");
        other.addExtension(
                Builders.BASE + "/StructureDefinition/practice", new Reference(practice.practice));
        String otherId = Api.create(other);
        String otherLogin = "desk2-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        otherLogin,
                        PracticeFixture.PASSWORD,
                        "Sam Second",
                        Set.of(Role.FRONT_DESK),
                        practiceId,
                        UUID.fromString(otherId),
                        null,
                        Set.of()));

        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        WebSession second = WebSession.signIn(otherLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/queue").then().statusCode(200);
        second.get("/staff/queue").then().statusCode(200);
        desk.submit("/staff/items/" + task + "/claim", Map.of()).then().statusCode(303);
        fhir().get("/fhir/Task/" + task)
                .then()
                .body("owner.reference", is(practice.staff))
                .body("status", is("in-progress"));
        // the second person's page still offered "Claim": refused, naming who holds it
        second.submit("/staff/items/" + task + "/claim", Map.of())
                .then()
                .statusCode(409)
                .body(containsString("already claimed this message"));
        String holder =
                Api.read(org.hl7.fhir.r4.model.Practitioner.class, practice.staff)
                        .getNameFirstRep()
                        .getFamily();
        second.get("/staff/queue").then().statusCode(200);
        second.submit("/staff/items/" + task + "/claim", Map.of())
                .then()
                .statusCode(409)
                .body(containsString(holder));
        second.submit("/staff/items/" + task + "/release", Map.of()).then().statusCode(409);

        // released, it goes back to its pool; "next" serves the urgent one first
        desk.submit("/staff/items/" + task + "/release", Map.of()).then().statusCode(303);
        fhir().get("/fhir/Task/" + task)
                .then()
                .body("owner.reference", is(practice.pool))
                .body("status", is("requested"));
        setup.installDefaults(practiceId);
        String urgent =
                Api.create(
                        aMessage(
                                practice.otherPatient,
                                practice.pool,
                                "I think I am having a stroke, my face is drooping"));
        String urgentTask = taskOf(urgent);
        second.get("/staff/queue").then().statusCode(200);
        String location =
                second.submit("/staff/items/next", Map.of("pool", ""))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        UUID urgentThread = reading.threadOfMessage(UUID.fromString(urgent)).orElseThrow();
        assertThat(location).endsWith("/staff/threads/" + urgentThread);
        fhir().get("/fhir/Task/" + urgentTask)
                .then()
                .body("owner.reference", is("Practitioner/" + otherId));

        // PUT Task is the same assignment: the pool again, through FHIR; the console shows it
        Task resource = Api.read(Task.class, "Task/" + task);
        resource.setOwner(new Reference("Practitioner/" + otherId));
        fhir().body(dev.bluepost.testing.Fhir.json(resource))
                .put("/fhir/Task/" + task)
                .then()
                .statusCode(200);
        desk.get("/staff/queue").then().statusCode(200);
        desk.submit("/staff/items/" + task + "/claim", Map.of())
                .then()
                .statusCode(409)
                .body(containsString("Second"));

        // a note is for staff only: on the console page, never in what the patient can read
        UUID thread = reading.threadOfMessage(UUID.fromString(routine)).orElseThrow();
        desk.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString("Internal notes"));
        desk.submit(
                        "/staff/threads/" + thread + "/notes",
                        Map.of("note", "Patient prefers mornings"))
                .then()
                .statusCode(303);
        desk.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString("Patient prefers mornings"));
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        assertThat(
                        patient.get("/patient/threads/" + thread)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .doesNotContain("Patient prefers mornings");
    }

    @Test
    void shouldReplySetTheStatusAndAssignWithOneMacro() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        String message =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "Can I have a copy of my lab results?"));
        String task = taskOf(message);
        setup.installDefaults(practiceId);
        String template = rules.templates(practiceId).get(0).id().toString();
        UUID thread = reading.threadOfMessage(UUID.fromString(message)).orElseThrow();
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString("And assign to"));

        // an assignment that cannot be made sends nothing
        desk.submit(
                        "/staff/threads/" + thread + "/macro",
                        Map.of(
                                "template",
                                template,
                                "after",
                                "in-progress",
                                "assign",
                                "Practitioner/" + UUID.randomUUID()))
                .then()
                .statusCode(allOf(greaterThanOrEqualTo(400), lessThan(500)));
        desk.submit(
                        "/staff/threads/" + thread + "/macro",
                        Map.of("template", template, "after", "in-progress", "assign", "nobody"))
                .then()
                .statusCode(422);
        assertThat(reading.thread(thread, TriageSetup.SYSTEM).messages()).hasSize(1);

        // reply + in progress + assign to me: the reply goes out, the item stays open, mine
        desk.submit(
                        "/staff/threads/" + thread + "/macro",
                        Map.of("template", template, "after", "in-progress", "assign", "me"))
                .then()
                .statusCode(303);
        assertThat(reading.thread(thread, TriageSetup.SYSTEM).messages()).hasSize(2);
        fhir().get("/fhir/Task/" + task)
                .then()
                .body("status", is("in-progress"))
                .body("owner.reference", is(practice.staff));
        // the patient's follow-up (same thread key, so triaged after the macro's reply) finds the
        // item still open
        org.hl7.fhir.r4.model.Communication followUp =
                aMessage(practice.patient, practice.pool, "Thank you, I will wait");
        followUp.addPartOf(new Reference("Communication/" + message));
        taskOf(Api.create(followUp));
        fhir().get("/fhir/Task/" + task)
                .then()
                .body("status", is("in-progress"))
                .body("owner.reference", is(practice.staff));

        // reply + answered + assign to the pool: done, and the pool owns the answered items
        desk.submit(
                        "/staff/threads/" + thread + "/macro",
                        Map.of("template", template, "after", "open", "assign", practice.pool))
                .then()
                .statusCode(303);
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task/" + task)
                                        .then()
                                        .body("status", is("completed"))
                                        .body("owner.reference", is(practice.pool)));
    }

    @Test
    void shouldShowAConversationAsOneRowWithItsSubjectAndAnswerItOnceInABatch() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId);
        UUID patientId = id(practice.patient);
        Actor patient =
                new Actor(null, null, Set.of(Role.PATIENT), practiceId, null, patientId, null);
        var question =
                sending.send(
                                NewMessage.fromPage(
                                        patientId,
                                        new Party(Party.PATIENT, patientId),
                                        List.of(new Party(Party.CARE_TEAM, id(practice.pool))),
                                        null,
                                        null,
                                        "medical-question",
                                        "My knee still hurts after the fall",
                                        "Knee after the fall"),
                                patient)
                        .message();
        String first = taskOf(question.id().toString());
        // the patient's follow-up in the same conversation: a second queue item
        UUID followUp =
                sending.send(
                                NewMessage.fromPage(
                                        patientId,
                                        new Party(Party.PATIENT, patientId),
                                        List.of(new Party(Party.CARE_TEAM, id(practice.pool))),
                                        question.threadId(),
                                        question.id(),
                                        "medical-question",
                                        "It is swollen this morning",
                                        null),
                                patient)
                        .message()
                        .id();
        String second = taskOf(followUp.toString());

        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        String queue = desk.get("/staff/queue").then().statusCode(200).extract().asString();
        assertThat(rowsOf(queue, question.threadId())).isEqualTo(1);
        assertThat(queue).contains("Knee after the fall").contains("2 messages");

        UUID template = rules.template(practiceId, "Appointment needed").orElseThrow().id();
        Map<String, List<String>> both =
                Map.of("item", List.of(first, second), "template", List.of(template.toString()));
        String preview =
                desk.submitRepeated("/staff/items/batch/preview", both)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(preview.split("we need to see you for this", -1)).hasSize(2);
        assertThat(preview).contains("Send 1 reply<");
        desk.submitRepeated("/staff/items/batch/send", both)
                .then()
                .statusCode(200)
                .body(containsString("Reply sent to 1 patient."));
        assertThat(reading.thread(question.threadId(), TriageSetup.SYSTEM).messages())
                .filteredOn(m -> m.senderKind().isCareTeam())
                .hasSize(1);
        for (String task : List.of(first, second)) {
            await().atMost(TRIAGE)
                    .untilAsserted(
                            () ->
                                    fhir().get("/fhir/Task/" + task)
                                            .then()
                                            .body("status", is("completed")));
        }
    }

    @Test
    void shouldClaimAndReleaseAWholeConversation() {
        PracticeFixture practice = PracticeFixture.create(identities);
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
        var question =
                sending.send(
                                NewMessage.fromPage(
                                        patientId,
                                        new Party(Party.PATIENT, patientId),
                                        List.of(new Party(Party.CARE_TEAM, id(practice.pool))),
                                        null,
                                        null,
                                        "appointment",
                                        "Can I move my appointment?",
                                        "Appointment"),
                                patient)
                        .message();
        String first = taskOf(question.id().toString());
        UUID followUp =
                sending.send(
                                NewMessage.fromPage(
                                        patientId,
                                        new Party(Party.PATIENT, patientId),
                                        List.of(new Party(Party.CARE_TEAM, id(practice.pool))),
                                        question.threadId(),
                                        question.id(),
                                        "appointment",
                                        "Thursday afternoon would suit me",
                                        null),
                                patient)
                        .message()
                        .id();
        String second = taskOf(followUp.toString());

        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/queue").then().statusCode(200);
        desk.submit("/staff/items/" + first + "/claim", Map.of()).then().statusCode(303);
        for (String task : List.of(first, second)) {
            fhir().get("/fhir/Task/" + task)
                    .then()
                    .body("owner.reference", is(practice.staff))
                    .body("status", is("in-progress"));
        }
        desk.submit("/staff/items/" + first + "/release", Map.of()).then().statusCode(303);
        for (String task : List.of(first, second)) {
            fhir().get("/fhir/Task/" + task)
                    .then()
                    .body("owner.reference", is(practice.pool))
                    .body("status", is("requested"));
        }
    }

    /** Rows of the queue that open this conversation. */
    private static int rowsOf(String queuePage, UUID thread) {
        return queuePage.split("<a href=\"/staff/threads/" + thread + "\">", -1).length - 1;
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
