package dev.bluepost.audit;

import static dev.bluepost.testing.Api.fhir;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.audit.ChainVerification.Breach;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.AuditJournal;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SampleFiles;
import dev.bluepost.testing.SmartApp;
import dev.bluepost.testing.WebSession;
import dev.bluepost.testing.WebSession.Upload;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log as compliance officers, admins, patients and system clients see it: the report
 * (period, filters, sort, paging, CSV export, itself audited), the admin-only recording switch
 * (itself audited), the verification page (changed, deleted, reordered rows), "who opened my
 * messages", FHIR AuditEvent, and the entries of user, role and file events.
 */
@QuarkusTest
class AuditReportIT {

    @Inject IdentityService identities;

    @Inject AuditRecorder audit;

    private PracticeFixture practice;
    private String complianceLogin;
    private String adminLogin;

    @BeforeEach
    void createPractice() {
        practice = PracticeFixture.create(identities);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        complianceLogin = "compliance-" + suffix;
        adminLogin = "admin-" + suffix;
        identities.createUser(
                new IdentityService.NewUser(
                        complianceLogin,
                        PracticeFixture.PASSWORD,
                        "Carol Compliance",
                        Set.of(Role.COMPLIANCE),
                        PracticeFixture.id(practice.practice),
                        null,
                        null,
                        Set.of()));
        identities.createUser(
                new IdentityService.NewUser(
                        adminLogin,
                        PracticeFixture.PASSWORD,
                        "Adam Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(practice.practice),
                        null,
                        null,
                        Set.of()));
    }

    @Test
    void shouldReportAPeriodFilteredSortedPagedAndAsCsvOfThisPracticeOnlyAndRecordTheExport()
            throws Exception {
        String threadId = patientWrites(practice, "Knee");
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + threadId).then().statusCode(200);
        WebSession doc = WebSession.signIn(practice.providerLogin, PracticeFixture.PASSWORD);
        doc.get("/staff/threads/" + threadId).then().statusCode(200);
        PracticeFixture foreign = PracticeFixture.create(identities);
        String foreignThread = patientWrites(foreign, "Elsewhere");

        String today =
                LocalDate.now(java.time.ZoneId.of("America/New_York"))
                        .toString(); // the practice's day (report days are the practice's)
        WebSession compliance = WebSession.signIn(complianceLogin, PracticeFixture.PASSWORD);
        String page =
                compliance
                        .getEncoded(
                                "/compliance/audit?from="
                                        + today
                                        + "&to="
                                        + today
                                        + "&action=READ&resourceType=Thread"
                                        + "&resourceId="
                                        + threadId
                                        + "&sort=actor&dir=asc")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(page)
                .contains(
                        "Front Desk (" + practice.frontDeskLogin + ")",
                        "Doctor (" + practice.providerLogin + ")")
                .contains("aria-sort=\"ascending\"")
                .doesNotContain(foreignThread);
        assertThat(page.indexOf("Front Desk (" + practice.frontDeskLogin))
                .as("sorted by user name (desk-…, doc-…, patient-…)")
                .isLessThan(page.indexOf("Doctor (" + practice.providerLogin));
        assertThat(page.indexOf("Doctor (" + practice.providerLogin))
                .isLessThan(page.indexOf("Fixture Patient (" + practice.patientLogin));
        String descending =
                compliance
                        .getEncoded(
                                "/compliance/audit?from="
                                        + today
                                        + "&to="
                                        + today
                                        + "&action=READ"
                                        + "&resourceId="
                                        + threadId
                                        + "&sort=actor&dir=desc")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(descending.indexOf("Fixture Patient (" + practice.patientLogin))
                .isLessThan(descending.indexOf("Front Desk (" + practice.frontDeskLogin));
        assertThat(rows(page)).isEqualTo(3); // the patient's, the desk's and the doctor's reads

        // the whole day, every action, in CSV: this practice only, ordered as asked, with every
        // recorded field
        List<String[]> csv =
                csv(
                        compliance
                                .getEncoded(
                                        "/compliance/audit/export.csv?from="
                                                + today
                                                + "&to="
                                                + today
                                                + "&sort=sequence&dir=asc")
                                .then()
                                .statusCode(200)
                                .header("Content-Disposition", containsString("attachment"))
                                .extract()
                                .asString());
        assertThat(csv.get(0))
                .contains(
                        "sequence",
                        "occurred_at_utc",
                        "actor_user_id",
                        "actor_roles",
                        "action",
                        "resource_type",
                        "resource_id",
                        "patient_id",
                        "outcome",
                        "reason_code",
                        "source_ip",
                        "request_id",
                        "hash");
        List<String[]> lines = csv.subList(1, csv.size());
        assertThat(lines)
                .extracting(l -> l[13])
                .containsOnly(PracticeFixture.id(practice.practice).toString());
        assertThat(lines).extracting(l -> Long.parseLong(l[0])).isSorted();
        assertThat(lines)
                .anySatisfy(
                        l -> {
                            assertThat(l[8]).isEqualTo("READ");
                            assertThat(l[10]).isEqualTo(threadId);
                            assertThat(l[3]).isEqualTo(practice.frontDeskLogin);
                            assertThat(l[6]).isEqualTo("FRONT_DESK");
                            assertThat(l[16]).isEqualTo("127.0.0.1");
                        });
        assertThat(String.join("\n", lines.stream().map(l -> String.join(",", l)).toList()))
                .doesNotContain(foreignThread);

        // paging: one entry per page when filtering by the desk's login
        String byDesk =
                compliance
                        .getEncoded(
                                "/compliance/audit?from="
                                        + today
                                        + "&to="
                                        + today
                                        + "&actor="
                                        + practice.frontDeskLogin)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(byDesk)
                .contains("page 1 of 1")
                .contains("Front Desk (" + practice.frontDeskLogin)
                .doesNotContain("Doctor (" + practice.providerLogin)
                .doesNotContain("rel=\"next\"");

        // the export itself is in the log, as is the viewing of the report
        List<String[]> after =
                csv(
                        compliance
                                .getEncoded(
                                        "/compliance/audit/export.csv?from="
                                                + today
                                                + "&to="
                                                + today
                                                + "&actor="
                                                + complianceLogin
                                                + "&sort=action")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString());
        assertThat(after.subList(1, after.size()))
                .extracting(l -> l[8] + "/" + l[9] + "/" + l[15])
                .contains("EXPORT/AuditEvent/audit-report-csv", "SEARCH/AuditEvent/audit-report");

        // malformed filters are a clear 400, never a 500
        compliance
                .getEncoded("/compliance/audit?from=yesterday")
                .then()
                .statusCode(400)
                .body(containsString("from"));
        compliance.getEncoded("/compliance/audit?action=DROP%20TABLE").then().statusCode(400);
        compliance
                .getEncoded("/compliance/audit?patient=%27%20or%201%3D1--")
                .then()
                .statusCode(400);
        // patients, proxies and front-desk staff cannot read it
        desk.get("/compliance/audit").then().statusCode(403);
        WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD)
                .get("/compliance/audit/export.csv")
                .then()
                .statusCode(403);
    }

    @Test
    void shouldLetOnlyAnAdminSwitchRecordingOffAndRecordEverySwitch() throws Exception {
        String threadId = patientWrites(practice, "Refill");
        WebSession compliance = WebSession.signIn(complianceLogin, PracticeFixture.PASSWORD);
        compliance.submit("/admin/audit", Map.of("recording", "off")).then().statusCode(403);
        WebSession admin = WebSession.signIn(adminLogin, PracticeFixture.PASSWORD);
        admin.get("/admin/audit")
                .then()
                .statusCode(200)
                .body(
                        containsString(
                                "<strong>Access to patient information (opening, searching, creating, changing, retracting, exporting, "
                                        + "downloading and printing it) is recorded.</strong>"))
                // switching it off is asked first: the button opens a question, the real button is
                // in it
                .body(
                        containsString(
                                "<summary class=\"usa-button usa-button--secondary\">Turn recording off</summary>"))
                .body(containsString("Yes, stop recording"));
        admin.submitWithoutToken("/admin/audit", Map.of("recording", "off")).then().statusCode(403);
        assertThat(audit.recording(PracticeFixture.id(practice.practice)).patientAccessRecorded())
                .isTrue();
        try {
            String saved =
                    admin.submit("/admin/audit", Map.of("recording", "off"))
                            .then()
                            .statusCode(303)
                            .extract()
                            .header("Location");
            admin.getEncoded(saved.substring(saved.indexOf("/admin/audit")))
                    .then()
                    .statusCode(200)
                    .body(containsString("Access to patient information is NOT recorded."))
                    .body(containsString("Saved. The change is in the audit report."))
                    .body(containsString("Turn recording back on"));
            int readsBefore =
                    entries(
                                    "resource_type = 'Thread' and resource_id = ? and action = 'READ'",
                                    threadId)
                            .size();
            WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
            desk.get("/staff/threads/" + threadId).then().statusCode(200);
            assertThat(
                            entries(
                                    "resource_type = 'Thread' and resource_id = ? and action = 'READ'",
                                    threadId))
                    .as("reads are not recorded while switched off")
                    .hasSize(readsBefore);
            assertThat(
                            entries(
                                    "action = 'LOGIN' and actor_user_id::text = ?",
                                    userId(practice.frontDeskLogin)))
                    .as("sign-ins are recorded whatever the switch says")
                    .isNotEmpty();
        } finally {
            admin.submit("/admin/audit", Map.of("recording", "on")).then().statusCode(303);
        }
        assertThat(
                        entries(
                                "action = 'AUDIT_RECORDING' and actor_user_id::text = ?",
                                userId(adminLogin)))
                .extracting(e -> e.get(0) + "/" + e.get(1))
                .containsExactly(
                        "disabled/" + PracticeFixture.id(practice.practice),
                        "enabled/" + PracticeFixture.id(practice.practice));
        admin.submit("/admin/audit", Map.of("recording", "maybe")).then().statusCode(400);
    }

    @Test
    void shouldShowTheVerificationPageWithTheFirstBrokenLinkForAChangedADeletedAndAReorderedRow()
            throws Exception {
        patientWrites(practice, "Chain");
        WebSession compliance = WebSession.signIn(complianceLogin, PracticeFixture.PASSWORD);
        compliance
                .get("/compliance/audit/verify")
                .then()
                .statusCode(200)
                .body(containsString("<strong>The audit log is intact</strong>"));
        long last = lastSequence();
        long middle = last - 1;
        tamper(
                compliance,
                "update audit_event set reason_code = 'tampered' where sequence_number = " + middle,
                "update audit_event set reason_code = (select reason_code from audit_saved_row) where sequence_number = "
                        + middle,
                middle,
                middle,
                Breach.CHANGED);
        tamper(
                compliance,
                "delete from audit_event where sequence_number = " + middle,
                "insert into audit_event select * from audit_saved_row",
                middle,
                middle,
                Breach.DELETED);
        String swap =
                "update audit_event set sequence_number = 9000000000000 where sequence_number = "
                        + (last - 2)
                        + "; update audit_event set sequence_number = "
                        + (last - 2)
                        + " where sequence_number = "
                        + (last - 1)
                        + "; update audit_event set sequence_number = "
                        + (last - 1)
                        + " where sequence_number = 9000000000000";
        tamper(compliance, swap, swap, middle, last - 2, Breach.REORDERED);
        compliance
                .get("/compliance/audit/verify")
                .then()
                .statusCode(200)
                .body(containsString("<strong>The audit log is intact</strong>"));
        WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD)
                .get("/compliance/audit/verify")
                .then()
                .statusCode(403);
    }

    @Test
    void shouldShowThePatientWhichStaffOpenedTheirThreadsAndNothingAboutOthers() throws Exception {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submitMultipart(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Rash photo",
                                        "text",
                                        "See the photo",
                                        "action",
                                        "send"),
                                List.of(new Upload("rash.png", "image/png", SampleFiles.png())))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String threadId = location.substring(location.lastIndexOf('/') + 1);
        String otherThread = patientWrites(practice, practice.otherPatientLogin, "Other question");
        patient.get("/patient/threads/" + threadId).then().statusCode(200);
        patient.get("/patient/access-log")
                .then()
                .statusCode(200)
                .body(containsString("Nobody at the practice has opened"));

        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + threadId).then().statusCode(200);
        desk.get("/staff/threads/" + otherThread).then().statusCode(200);
        String attachmentId = attachmentOf(threadId);
        desk.get("/staff/threads/" + threadId + "/attachments/" + attachmentId)
                .then()
                .statusCode(200);
        assertThat(
                        entries(
                                "action = 'DOWNLOAD' and resource_type = 'Attachment' and resource_id = ?",
                                attachmentId))
                .hasSize(1);

        String page =
                patient.get("/patient/access-log").then().statusCode(200).extract().asString();
        assertThat(page)
                .contains(
                        "Front Desk",
                        "Front desk",
                        "Rash photo",
                        "opened, and downloaded 1 file",
                        "/patient/threads/" + threadId)
                .doesNotContain(
                        "Other question", otherThread, "Fixture Patient</td>", "bp-emergency-mark");
        // one visit (the opening and the download), one row
        assertThat(page.split("class=\"bp-access-row\"", -1).length - 1).isEqualTo(1);
        WebSession other = WebSession.signIn(practice.otherPatientLogin, PracticeFixture.PASSWORD);
        other.get("/patient/access-log")
                .then()
                .statusCode(200)
                .body(
                        containsString("Other question"),
                        not(containsString("Rash photo")),
                        not(containsString(threadId)));
        desk.get("/patient/access-log").then().statusCode(403);
    }

    @Test
    void
            shouldTellThePatientWhenThePracticeDidNotRecordWhoOpenedTheirMessagesInsteadOfSayingNobodyDid()
                    throws Exception {
        String threadId = patientWrites(practice, "While unrecorded");
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        WebSession admin = WebSession.signIn(adminLogin, PracticeFixture.PASSWORD);
        admin.get("/admin/audit").then().statusCode(200);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        try {
            admin.submit("/admin/audit", Map.of("recording", "off")).then().statusCode(303);
            desk.get("/staff/threads/" + threadId).then().statusCode(200); // not recorded
            String whileOff =
                    patient.get("/patient/access-log").then().statusCode(200).extract().asString();
            assertThat(whileOff)
                    .contains("This list is not complete", "has not recorded who opened messages")
                    .doesNotContain("Nobody at the practice has opened these messages yet");
        } finally {
            admin.submit("/admin/audit", Map.of("recording", "on")).then().statusCode(303);
        }
        String page =
                patient.get("/patient/access-log").then().statusCode(200).extract().asString();
        assertThat(page)
                .containsPattern(
                        "From [^<]+ to [^<]+ the practice did not record who opened messages\\.")
                .contains(
                        "Nobody at the practice opened these messages while the practice recorded")
                .doesNotContain(
                        "Nobody at the practice has opened these messages yet", "has not recorded");

        // recorded again: the next opening is listed, above the period that was not recorded
        desk.get("/staff/threads/" + threadId).then().statusCode(200);
        page = patient.get("/patient/access-log").then().statusCode(200).extract().asString();
        assertThat(page.split("class=\"bp-access-row\"", -1).length - 1).isEqualTo(1);
        assertThat(page.indexOf("class=\"access-row\""))
                .isLessThan(page.indexOf("did not record who opened messages"));
        assertThat(page).doesNotContain("Nobody at the practice");
    }

    @Test
    void shouldPublishTheLogAsFhirAuditEventsForSystemClientsOnly() throws Exception {
        String threadId = patientWrites(practice, "Fhir audit");
        WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD)
                .get("/staff/threads/" + threadId)
                .then()
                .statusCode(200);
        String patientRef = practice.patient;
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        JsonPath bundle =
                fhir().get(
                                "/fhir/AuditEvent?entity=Thread/"
                                        + threadId
                                        + "&date=ge"
                                        + today
                                        + "&subtype=READ")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(bundle.getInt("total")).isEqualTo(2);
        assertThat(bundle.getList("entry.resource.action", String.class)).containsOnly("R");
        assertThat(
                        bundle.getList(
                                "entry.resource.collect { it.agent[0].who.display }", String.class))
                .contains(practice.frontDeskLogin, practice.patientLogin);
        assertThat(bundle.getString("entry[0].resource.entity[1].what.reference"))
                .isEqualTo(patientRef);
        assertThat(bundle.getString("entry[0].resource.agent[0].network.address"))
                .isEqualTo("127.0.0.1");
        String id = bundle.getString("entry[0].resource.id");
        fhir().get("/fhir/AuditEvent/" + id)
                .then()
                .statusCode(200)
                .body(
                        containsString("\"resourceType\":\"AuditEvent\""),
                        containsString(threadId),
                        containsString("audit-chain"));
        fhir().get("/fhir/AuditEvent/" + UUID.randomUUID()).then().statusCode(404);
        assertThat(
                        fhir().get("/fhir/AuditEvent?agent=" + practice.staff)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList(
                                        "entry.resource.collect { it.subtype[0].code }",
                                        String.class))
                .contains("LOGIN", "READ");
        fhir().get("/fhir/AuditEvent?agent=Organization/" + UUID.randomUUID())
                .then()
                .statusCode(400);
        fhir().get("/fhir/AuditEvent?name=x").then().statusCode(400);
        fhir().body("{\"resourceType\":\"AuditEvent\"}")
                .post("/fhir/AuditEvent")
                .then()
                .statusCode(405);
        fhir().get("/fhir/metadata").then().statusCode(200).body(containsString("AuditEvent"));

        String appToken =
                SmartApp.tokenFor(
                        WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD),
                        SmartApp.ALL_SCOPES);
        given().header("Authorization", "Bearer " + appToken)
                .accept("application/fhir+json")
                .get("/fhir/AuditEvent")
                .then()
                .statusCode(403);
        given().accept("application/fhir+json").get("/fhir/AuditEvent").then().statusCode(401);
    }

    @Test
    void shouldRecordLoginCreationWithItsRolesAndEMailChanges() throws Exception {
        WebSession admin = WebSession.signIn(adminLogin, PracticeFixture.PASSWORD);
        admin.get("/admin/logins").then().statusCode(200);
        String username = "newdesk-" + UUID.randomUUID().toString().substring(0, 8);
        admin.submit(
                        "/admin/logins",
                        Map.of(
                                "username",
                                username,
                                "displayName",
                                "New Desk",
                                "role",
                                "FRONT_DESK",
                                "record",
                                practice.staff,
                                "password",
                                "a-long-password-1",
                                "email",
                                ""))
                .then()
                .statusCode(303);
        String created = userId(username);
        List<List<String>> entries =
                entries("resource_type = 'UserAccount' and resource_id = ?", created);
        assertThat(entries)
                .extracting(e -> e.get(2) + "/" + e.get(0))
                .containsExactly("CREATE/", "ROLE_CHANGE/granted.front-desk");
        assertThat(entries).extracting(e -> e.get(3)).containsOnly(userId(adminLogin));
        WebSession person = WebSession.signIn(username, "a-long-password-1");
        person.get("/account/notifications").then().statusCode(200);
        person.submit(
                "/account/notifications",
                Map.of("email", "desk@example.org", "frequency", "EACH_MESSAGE"));
        assertThat(
                        entries(
                                "resource_type = 'UserAccount' and resource_id = ? and action = 'UPDATE'",
                                created))
                .extracting(e -> e.get(0))
                .containsExactly("email-changed");
    }

    // ------------------------------------------------------------------ helpers

    private static String patientWrites(PracticeFixture practice, String subject) {
        return patientWrites(practice, practice.patientLogin, subject);
    }

    private static String patientWrites(PracticeFixture practice, String login, String subject) {
        WebSession patient = WebSession.signIn(login, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "appointment",
                                        "subject",
                                        subject,
                                        "text",
                                        "Can I come on Monday?"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String threadId = location.substring(location.lastIndexOf('/') + 1);
        patient.get("/patient/threads/" + threadId).then().statusCode(200);
        return threadId;
    }

    private void tamper(
            WebSession compliance,
            String change,
            String restore,
            long saved,
            long expectedAt,
            Breach breach)
            throws SQLException {
        AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                Statement sql = db.createStatement()) {
            sql.execute(
                    "create temporary table audit_saved_row as select * from audit_event where sequence_number = "
                            + saved);
            sql.execute("alter table audit_event disable trigger user");
            try {
                sql.execute(change);
                compliance
                        .get("/compliance/audit/verify")
                        .then()
                        .statusCode(200)
                        .body(containsString("<strong>The audit log is broken</strong>"))
                        .body(
                                containsString(
                                        "<strong id=\"broken-at\">" + expectedAt + "</strong>"))
                        .body(containsString("<span id=\"breach\">" + breach + "</span>"));
            } finally {
                sql.execute(restore);
                sql.execute("alter table audit_event enable trigger user");
                sql.execute("drop table audit_saved_row");
            }
        }
        assertThat(audit.verify().intact()).as("restored").isTrue();
    }

    private static int rows(String page) {
        return page.split("class=\"audit-row\"", -1).length - 1;
    }

    /** RFC 4180 rows (quoted cells may hold commas and doubled quotes). */
    private static List<String[]> csv(String body) {
        List<String[]> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r') {
                // the \n that follows ends the row
            } else if (c == '\n') {
                cells.add(cell.toString());
                cell.setLength(0);
                rows.add(cells.toArray(String[]::new));
                cells.clear();
            } else {
                cell.append(c);
            }
        }
        return rows;
    }

    private String userId(String login) {
        return identities.findByUsername(login).orElseThrow().id().toString();
    }

    private static long lastSequence() throws SQLException {
        AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                ResultSet r =
                        db.createStatement()
                                .executeQuery("select max(sequence_number) from audit_event")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String attachmentOf(String threadId) throws SQLException {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                "select id from message_attachment where thread_id = ?")) {
            query.setObject(1, UUID.fromString(threadId));
            try (ResultSet r = query.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    /** Entries as [reason, resource id, action, actor user id], in chain order. */
    private static List<List<String>> entries(String where, Object... parameters)
            throws SQLException {
        AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                "select coalesce(reason_code, ''), coalesce(resource_id, ''), action, "
                                        + "coalesce(actor_user_id::text, '') from audit_event where "
                                        + where
                                        + " order by sequence_number")) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            List<List<String>> entries = new ArrayList<>();
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    entries.add(
                            List.of(
                                    r.getString(1),
                                    r.getString(2),
                                    r.getString(3),
                                    r.getString(4)));
                }
            }
            return entries;
        }
    }
}
