package dev.bluepost.messaging.emergency;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aPool;
import static dev.bluepost.testing.Sql.count;
import static dev.bluepost.testing.Sql.single;
import static dev.bluepost.testing.Sql.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Emergency ("break-glass") access (HIPAA 164.312(a)(2)(ii), ONC (d)(6)); ADR 0026: a thread the
 * patient marked sensitive is open to its care team only; a clinician outside it opens it with a
 * reason, for a limited time, audited, with the compliance officers told and reviewing it.
 */
@QuarkusTest
class EmergencyAccessIT {

    private static final String SECRET = "Something only my care team may read";

    @Inject IdentityService identities;

    @Inject TestClock clock;

    @Inject MockMailbox mailbox;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void
            shouldRestrictASensitiveThreadToItsCareTeamAndOpenItToAClinicianOnlyUnderAuditedReviewedEmergencyAccess() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String officerAddress =
                "compliance-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        String officer = complianceOfficer(practice, officerAddress);
        String thread = sensitiveThread(practice);

        // the pool the patient wrote to is the care team: its member reads the thread as before
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString(SECRET))
                .body(not(containsString("emergency-banner")));
        // a front-desk member may not break the glass
        desk.submit(
                        "/staff/threads/" + thread + "/emergency-access",
                        Map.of("reason", "life-threatening"))
                .then()
                .statusCode(403);

        // the provider is not on the thread's care team: a restricted page, without the content,
        // offering emergency access
        WebSession doctor = WebSession.signIn(practice.providerLogin, PracticeFixture.PASSWORD);
        UUID doctorId = identities.findByUsername(practice.providerLogin).orElseThrow().id();
        doctor.get("/staff/threads/" + thread)
                .then()
                .statusCode(403)
                .body(containsString("Restricted conversation"))
                .body(containsString("emergency-form"))
                .body(not(containsString(SECRET)));
        // a reply attempt is refused the same way; each refusal is recorded once (not again as a
        // generic refusal)
        doctor.submit("/staff/threads/" + thread + "/reply", Map.of("text", "Hello"))
                .then()
                .statusCode(403);
        assertThat(AuditRows.ofUser(doctorId))
                .filteredOn(row -> row.contains("Thread/" + thread))
                .containsExactly(
                        "READ failure restricted Thread/" + thread,
                        "READ failure restricted Thread/" + thread);
        assertThat(count("select count(*) from emergency_access where user_id = ?", doctorId))
                .isZero();

        // a reason is required, and only from the list
        doctor.submit(
                        "/staff/threads/" + thread + "/emergency-access",
                        Map.of("reason", "curiosity"))
                .then()
                .statusCode(422)
                .body(containsString("Choose the reason"));
        assertThat(count("select count(*) from emergency_access where user_id = ?", doctorId))
                .isZero();

        Instant opened = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.set(opened);
        doctor.submit(
                        "/staff/threads/" + thread + "/emergency-access",
                        Map.of("reason", "life-threatening"))
                .then()
                .statusCode(303)
                .header("Location", containsString("/staff/threads/" + thread));
        doctor.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString(SECRET))
                .body(containsString("emergency-banner"));
        // opening it again while in force answers the same access
        doctor.submit(
                        "/staff/threads/" + thread + "/emergency-access",
                        Map.of("reason", "unable-to-consent"))
                .then()
                .statusCode(303);
        assertThat(count("select count(*) from emergency_access where user_id = ?", doctorId))
                .isEqualTo(1);
        assertThat(
                        count(
                                "select count(*) from emergency_access where user_id = ? and expires_at = ?",
                                doctorId,
                                java.sql.Timestamp.from(opened.plus(Duration.ofHours(1)))))
                .isEqualTo(1);

        // audited: the access with its reason, and the read under it
        String patient = PracticeFixture.id(practice.patient).toString();
        assertThat(AuditRows.ofUser(doctorId))
                .contains(
                        "EMERGENCY_ACCESS success break-glass.life-threatening Patient/" + patient,
                        "READ success break-glass Thread/" + thread);
        JsonPath events =
                fhir().get("/fhir/AuditEvent?entity=Thread/" + thread + "&subtype=READ")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(
                        events.getList(
                                "entry.resource.purposeOfEvent.coding.code.flatten()",
                                String.class))
                .contains("ETREAT");

        // the compliance officer is told, without any detail in the e-mail
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(mailbox.getMailsSentTo(officerAddress)).hasSize(1));
        Mail notice = mailbox.getMailsSentTo(officerAddress).get(0);
        assertThat(notice.getSubject())
                .isEqualTo("Emergency access was used in Bluepost: please review it");
        assertThat(notice.getText())
                .contains("/compliance/emergency-access")
                .doesNotContain(patient)
                .doesNotContain("Doctor")
                .doesNotContain(thread);

        // time-limited: once the hour is over the thread is restricted again (the clock stays, the
        // session with it)
        clock.reset();
        assertThat(
                        update(
                                "update emergency_access set granted_at = granted_at - interval '61 minutes', "
                                        + "expires_at = expires_at - interval '61 minutes' where user_id = ?",
                                doctorId))
                .isEqualTo(1);
        doctor.get("/staff/threads/" + thread)
                .then()
                .statusCode(403)
                .body(not(containsString(SECRET)));

        // the compliance officer reviews it, once; the clinician may not
        WebSession compliance = WebSession.signIn(officer, PracticeFixture.PASSWORD);
        String page =
                compliance
                        .get("/compliance/emergency-access")
                        .then()
                        .statusCode(200)
                        .body(containsString("Life-threatening emergency"))
                        .body(containsString("Doctor"))
                        .extract()
                        .asString();
        String access = single("select id from emergency_access where user_id = ?", doctorId);
        assertThat(page)
                .contains("access-" + access)
                .as("a review cannot be undone: each outcome is asked first")
                .contains(
                        "<summary class=\"usa-button usa-button--secondary\">Mark inappropriate</summary>",
                        "Yes, it was inappropriate",
                        "<summary class=\"usa-button usa-button--outline\">Mark appropriate</summary>",
                        "Yes, it was appropriate");
        doctor.get("/compliance/emergency-access").then().statusCode(403);
        compliance
                .submit(
                        "/compliance/emergency-access/" + access + "/review",
                        Map.of("outcome", "maybe"))
                .then()
                .statusCode(422);
        String saved =
                compliance
                        .submit(
                                "/compliance/emergency-access/" + access + "/review",
                                Map.of("outcome", "appropriate"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        compliance
                .get(saved.substring(saved.indexOf("/compliance")))
                .then()
                .statusCode(200)
                .body(containsString("Review saved: the access was marked appropriate."));
        compliance
                .submit(
                        "/compliance/emergency-access/" + access + "/review",
                        Map.of("outcome", "inappropriate"))
                .then()
                .statusCode(409);
        assertThat(
                        single(
                                "select review_outcome from emergency_access where id = ?",
                                UUID.fromString(access)))
                .isEqualTo("appropriate");
        UUID officerId = identities.findByUsername(officer).orElseThrow().id();
        assertThat(AuditRows.ofUser(officerId))
                .contains("UPDATE success reviewed.appropriate EmergencyAccess/" + access);
    }

    @Test
    void
            shouldMarkWhatIsDoneUnderEmergencyAccessInTheThreadAndShowThePatientOneMarkedRowPerVisit() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String thread = sensitiveThread(practice);
        WebSession doctor = WebSession.signIn(practice.providerLogin, PracticeFixture.PASSWORD);
        UUID doctorId = identities.findByUsername(practice.providerLogin).orElseThrow().id();
        doctor.get("/staff/threads/" + thread).then().statusCode(403);
        doctor.submit(
                        "/staff/threads/" + thread + "/emergency-access",
                        Map.of("reason", "life-threatening"))
                .then()
                .statusCode(303);

        // one visit: open, reply, note, close (each action reloads the page, and each load is a
        // recorded read)
        doctor.get("/staff/threads/" + thread).then().statusCode(200);
        doctor.submit(
                        "/staff/threads/" + thread + "/reply",
                        Map.of("text", "Please call 911 now; I am paging the on-call team."))
                .then()
                .statusCode(303);
        doctor.get("/staff/threads/" + thread).then().statusCode(200);
        doctor.submit("/staff/threads/" + thread + "/notes", Map.of("note", "Paged on call"))
                .then()
                .statusCode(303);
        doctor.submit("/staff/threads/" + thread + "/close", Map.of()).then().statusCode(303);
        String page =
                doctor.get("/staff/threads/" + thread).then().statusCode(200).extract().asString();
        assertThat(page.split("written under emergency access", -1).length - 1)
                .as("the reply and the note")
                .isEqualTo(2);
        assertThat(page).contains("closed by a clinician under");

        // the desk of the care team sees the same marks; its own work is not marked
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.submit("/staff/threads/" + thread + "/notes", Map.of("note", "Seen"))
                .then()
                .statusCode(303);
        String deskPage =
                desk.get("/staff/threads/" + thread).then().statusCode(200).extract().asString();
        assertThat(deskPage.split("written under emergency access", -1).length - 1).isEqualTo(2);
        assertThat(deskPage).contains("Paged on call", "Seen");

        // audited as break-glass work, for the compliance officers' review
        assertThat(AuditRows.ofUser(doctorId))
                .contains(
                        "READ success break-glass Thread/" + thread,
                        "UPDATE success break-glass.closed Thread/" + thread)
                .anyMatch(r -> r.startsWith("CREATE success break-glass Communication/"))
                .anyMatch(r -> r.startsWith("CREATE success break-glass Note/"));

        // the patient sees the reply marked, and the visit once, marked, with the reason given
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString("Written under emergency access"));
        String log = patient.get("/patient/access-log").then().statusCode(200).extract().asString();
        assertThat(log.split("class=\"bp-access-row bp-access-row--emergency\"", -1).length - 1)
                .as("the opening of the access and the one visit")
                .isEqualTo(2);
        assertThat(log)
                .contains(
                        "Opened emergency access to your restricted conversations",
                        "Under emergency access (Life-threatening emergency)",
                        "Emergency access: Life-threatening emergency");
        // the care team's visit is listed too, unmarked
        assertThat(log.split("class=\"bp-access-row\"", -1).length - 1).isEqualTo(1);

        // writing under emergency access did not make the clinician one of the care team: when it
        // lapses, the door closes
        assertThat(
                        update(
                                "update emergency_access set granted_at = granted_at - interval '61 minutes', "
                                        + "expires_at = expires_at - interval '61 minutes' where user_id = ?",
                                doctorId))
                .isEqualTo(1);
        doctor.get("/staff/threads/" + thread).then().statusCode(403);
    }

    @Test
    void shouldOpenARestrictedThreadToTheProviderItIsHandedToWithoutEmergencyAccess() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String thread = sensitiveThread(practice);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                count(
                                                "select count(*) from triage_item where thread_id = ?",
                                                UUID.fromString(thread))
                                        > 0);

        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + thread).then().statusCode(200);
        desk.submit(
                        "/staff/threads/" + thread + "/route",
                        Map.of(
                                "practitioner",
                                PracticeFixture.id(practice.ep).toString(),
                                "note",
                                "Please look at this"))
                .then()
                .statusCode(303);

        WebSession doctor = WebSession.signIn(practice.providerLogin, PracticeFixture.PASSWORD);
        doctor.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString(SECRET))
                .body(not(containsString("emergency-banner")));
        // nothing to open: it is theirs now
        doctor.submit(
                        "/staff/threads/" + thread + "/emergency-access",
                        Map.of("reason", "life-threatening"))
                .then()
                .statusCode(422)
                .body(containsString("emergency access is not needed"));
        assertThat(
                        count(
                                "select count(*) from emergency_access where patient_id = ?",
                                PracticeFixture.id(practice.patient)))
                .isZero();
    }

    @Test
    void shouldOpenARestrictedThreadToTheMembersOfThePoolItIsReassignedTo() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String clinical =
                "CareTeam/" + Api.create(aPool(practice.practice, "Clinical", practice.ep));
        String thread = sensitiveThread(practice);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                count(
                                                "select count(*) from triage_item where thread_id = ?",
                                                UUID.fromString(thread))
                                        > 0);
        WebSession doctor = WebSession.signIn(practice.providerLogin, PracticeFixture.PASSWORD);
        doctor.get("/staff/threads/" + thread).then().statusCode(403);

        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/queue").then().statusCode(200);
        String item =
                single("select id from triage_item where thread_id = ?", UUID.fromString(thread));
        desk.submit("/staff/items/" + item + "/assign", Map.of("owner", clinical))
                .then()
                .statusCode(303);

        doctor.get("/staff/threads/" + thread).then().statusCode(200).body(containsString(SECRET));
    }

    @Test
    void shouldRefuseEmergencyAccessWhereNothingIsRestrictedOrTheThreadIsAnotherPractices() {
        PracticeFixture practice = PracticeFixture.create(identities);
        PracticeFixture foreign = PracticeFixture.create(identities);
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String thread = patientWrites(patient, practice.pool);

        WebSession doctor = WebSession.signIn(practice.providerLogin, PracticeFixture.PASSWORD);
        doctor.get("/staff/threads/" + thread).then().statusCode(200);
        doctor.submit(
                        "/staff/threads/" + thread + "/emergency-access",
                        Map.of("reason", "life-threatening"))
                .then()
                .statusCode(422);

        patient.get("/patient/threads/" + thread);
        patient.submit("/patient/threads/" + thread + "/sensitive", Map.of("sensitive", "true"))
                .then()
                .statusCode(303);
        WebSession foreignDoctor =
                WebSession.signIn(foreign.providerLogin, PracticeFixture.PASSWORD);
        foreignDoctor
                .submit(
                        "/staff/threads/" + thread + "/emergency-access",
                        Map.of("reason", "life-threatening"))
                .then()
                .statusCode(404)
                .body(not(containsString(SECRET)));
        foreignDoctor.get("/staff/threads/" + thread).then().statusCode(404);
        assertThat(
                        count(
                                "select count(*) from emergency_access where patient_id = ?",
                                PracticeFixture.id(practice.patient)))
                .isZero();
    }

    private static String sensitiveThread(PracticeFixture practice) {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String thread = patientWrites(patient, practice.pool);
        patient.get("/patient/threads/" + thread);
        patient.submit("/patient/threads/" + thread + "/sensitive", Map.of("sensitive", "true"))
                .then()
                .statusCode(303);
        return thread;
    }

    private static String patientWrites(WebSession patient, String recipient) {
        patient.get("/patient/messages/new").then().statusCode(200);
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        recipient,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Private",
                                        "text",
                                        SECRET,
                                        "action",
                                        "send"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private String complianceOfficer(PracticeFixture practice, String address) {
        String login = "compliance-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Compliance Officer",
                        Set.of(Role.COMPLIANCE),
                        PracticeFixture.id(practice.practice),
                        null,
                        null,
                        Set.of(),
                        address));
        return login;
    }
}
