package dev.bluepost.messaging;

import static dev.bluepost.testing.Api.fhir;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Threads over their life: replies while the window is open, the reason when Reply is not offered
 * (window passed, closed, care team left) with a new message carrying the context forward, staff
 * starting and closing conversations, read receipts both ways, retract and correct.
 */
@QuarkusTest
class ThreadLifecycleIT {

    @Inject IdentityService identities;

    @Inject TestClock clock;

    private PracticeFixture practice;

    @BeforeEach
    void createPractice() {
        practice = PracticeFixture.create(identities);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldRefuseRepliesAfterThePracticesWindowAndCarryTheContextIntoANewMessage() {
        setReplyWindow(3);
        String thread =
                patientWrites(practice.pool, "Knee brace", "Which knee brace should I buy?");
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + thread);
        desk.submit(
                        "/staff/threads/" + thread + "/reply",
                        Map.of("text", "A hinged one; ask the pharmacist."))
                .then()
                .statusCode(303);

        clock.set(java.time.Instant.now().plus(Duration.ofDays(4)));
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString("can no longer reply"), containsString("time has passed"))
                .body(containsString("/patient/messages/new?from=" + thread))
                .body(not(containsString("Your reply")));
        patient.submit(
                        "/patient/threads/" + thread + "/reply",
                        Map.of("text", "One more thing", "action", "send"))
                .then()
                .statusCode(422)
                .body(containsString("time has passed"));
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(2));

        patient.get("/patient/messages/new?from=" + thread)
                .then()
                .statusCode(200)
                .body(containsString("value=\"Re: Knee brace\""))
                .body(containsString("value=\"" + practice.pool + "\" selected"))
                .body(containsString("Continues your conversation"));
    }

    @Test
    void shouldLetStaffCloseAConversationAndCompleteItsTask() {
        String thread = patientWrites(practice.pool, "Forms", "Can you fax my school form?");
        String message = firstMessageOf(thread);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .body("total", is(1)));

        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + thread);
        desk.submit("/staff/threads/" + thread + "/close", Map.of()).then().statusCode(303);
        desk.get("/staff/threads/" + thread)
                .then()
                .body(containsString("This conversation is closed"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .body("entry[0].resource.status", equalTo("completed")));

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/threads/" + thread)
                .then()
                .body(containsString("closed this conversation"));
        patient.get("/patient").then().body(containsString("Closed"));
    }

    @Test
    void shouldSayWhenTheClinicianIsNoLongerInTheCareTeam() {
        String thread = patientWrites(practice.ep, "Results", "Are my results back?");
        Practitioner ep = Api.read(Practitioner.class, practice.ep);
        ep.setActive(false);
        fhir().body(Fhir.json(ep)).put("/fhir/" + practice.ep).then().statusCode(200);

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/threads/" + thread)
                .then()
                .body(containsString("no longer part of your care team"));
        patient.get("/patient/messages/new")
                .then()
                .body(not(containsString("value=\"" + practice.ep + "\"")));
    }

    @Test
    void shouldLetStaffStartAConversationAndShowReadReceiptsBothWays() {
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/messages/new")
                .then()
                .statusCode(200)
                .body(containsString(PracticeFixture.id(practice.patient).toString()));
        String location =
                desk.submit(
                                "/staff/messages",
                                Map.of(
                                        "patient",
                                        PracticeFixture.id(practice.patient).toString(),
                                        "category",
                                        "test-results",
                                        "subject",
                                        "Your lab results",
                                        "text",
                                        "Your cholesterol is normal."))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String thread = location.substring(location.lastIndexOf('/') + 1);
        desk.get("/staff/threads/" + thread)
                .then()
                .body(containsString("Not yet read by the patient"));

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient").then().body(containsString("1 new"));
        patient.get("/patient/threads/" + thread)
                .then()
                .body(containsString("Your cholesterol is normal."));
        patient.get("/patient").then().body(not(containsString("1 new")));
        desk.get("/staff/threads/" + thread).then().body(containsString("Read by the patient"));

        patient.get("/patient/threads/" + thread);
        patient.submit(
                        "/patient/threads/" + thread + "/reply",
                        Map.of("text", "Thank you!", "action", "send"))
                .then()
                .statusCode(303);
        patient.get("/patient/threads/" + thread)
                .then()
                .body(containsString("Not yet opened by your care team"));
        desk.get("/staff/threads/" + thread);
        patient.get("/patient/threads/" + thread)
                .then()
                .body(containsString("Opened by your care team"));
    }

    @Test
    void shouldListCareTeamMessagesThePatientHasNotOpened() {
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/messages/new");
        String location =
                desk.submit(
                                "/staff/messages",
                                Map.of(
                                        "patient",
                                        PracticeFixture.id(practice.patient).toString(),
                                        "category",
                                        "appointment",
                                        "subject",
                                        "Reminder",
                                        "text",
                                        "Please book your annual visit."))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String thread = location.substring(location.lastIndexOf('/') + 1);

        clock.set(java.time.Instant.now().plus(Duration.ofDays(3)));
        desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/unread")
                .then()
                .statusCode(200)
                .body(containsString("/staff/threads/" + thread));
        WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD)
                .get("/patient/threads/" + thread)
                .then()
                .statusCode(200);
        desk.get("/staff/unread").then().body(not(containsString("/staff/threads/" + thread)));
    }

    @Test
    void shouldRetractWithAReasonCancelTheTaskAndShowTheCorrection() {
        String thread = patientWrites(practice.pool, "Dose", "I take 50 mg of metoprolol.");
        String message = firstMessageOf(thread);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .body("total", is(1)));

        WebSession other = WebSession.signIn(practice.otherPatientLogin, PracticeFixture.PASSWORD);
        other.get("/patient");
        other.submit(
                        "/patient/threads/" + thread + "/messages/" + message + "/retract",
                        Map.of("reason", "x"))
                .then()
                .statusCode(404);

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/threads/" + thread);
        patient.submit(
                        "/patient/threads/" + thread + "/messages/" + message + "/retract",
                        Map.of("reason", " "))
                .then()
                .statusCode(422)
                .body(containsString("reason"));
        patient.submit(
                        "/patient/threads/" + thread + "/messages/" + message + "/retract",
                        Map.of("reason", "Wrong dose"))
                .then()
                .statusCode(303)
                .header("Location", containsString("corrects=" + message));
        patient.get("/patient/threads/" + thread + "?corrects=" + message)
                .then()
                .body(
                        containsString("Retracted."),
                        containsString("Wrong dose"),
                        containsString("Send a correction"));
        patient.submit(
                        "/patient/threads/" + thread + "/reply",
                        Map.of(
                                "text",
                                "I take 25 mg of metoprolol.",
                                "corrects",
                                message,
                                "action",
                                "send"))
                .then()
                .statusCode(303);

        fhir().get("/fhir/Communication/" + message)
                .then()
                .body("status", equalTo("entered-in-error"))
                .body(
                        "extension.find { it.url.endsWith('retraction') }.extension.find { it.url == 'reason' }.valueString",
                        equalTo("Wrong dose"));
        fhir().get("/fhir/Communication?part-of=Communication/" + message)
                .then()
                .body("total", is(1))
                .body(
                        "entry[0].resource.extension.find { it.url.endsWith('corrects') }.valueReference.reference",
                        equalTo("Communication/" + message));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .body("entry[0].resource.status", equalTo("cancelled")));
        patient.submit(
                        "/patient/threads/" + thread + "/messages/" + message + "/retract",
                        Map.of("reason", "again"))
                .then()
                .statusCode(409);
    }

    private String patientWrites(String recipient, String subject, String text) {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
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

    private String firstMessageOf(String thread) {
        return fhir().get("/fhir/Communication?subject=" + practice.patient + "&_count=100")
                .then()
                .extract()
                .path("entry.find { it.resource.partOf == null }.resource.id");
    }

    private void setReplyWindow(int days) {
        Organization org = Api.read(Organization.class, practice.practice);
        org.addExtension(
                "https://fhir.bluepost.dev/StructureDefinition/reply-window-days",
                new IntegerType(days));
        fhir().body(Fhir.json(org)).put("/fhir/" + practice.practice).then().statusCode(200);
    }
}
