package dev.bluepost.measurement;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aProxy;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Patient Electronic Access captured as it happens, over the real database and broker: visit
 * documents posted through FHIR (sealed at rest), the patient's and the proxy's views and downloads
 * (and the Blue Button download), online access granted by account activation and by the front
 * desk's "credentials and instructions given" — each moving PEA-S2-M1 / M2 in {@code $evaluate-measure}.
 * Bluepost offers view, download and transmit (docs/measures.md §5.1; ADR 0046), so PEA-S2-M1 counts the
 * timely access it records.
 */
@QuarkusTest
public class PatientElectronicAccessIT {

    private static final ZoneId ZONE = ZoneId.of("America/New_York");

    @Inject IdentityService identities;

    @Test
    void shouldCountAVisitDocumentPostedViaFhirAndDownloadedByThePatient() throws SQLException {
        PracticeFixture f = PracticeFixture.create(identities);
        String ep = "Practitioner/" + Api.create(anEp(f.practice));
        String patient = "Patient/" + Api.create(aPatient(f.practice));
        String login = "pea-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "PEA Patient",
                        Set.of(Role.PATIENT),
                        null,
                        null,
                        PracticeFixture.id(patient),
                        Set.of()));
        Instant visitStart = Instant.now().minus(1, ChronoUnit.DAYS);
        String encounter =
                "Encounter/" + Api.create(aVisit(patient, ep, f.location, f.practice, visitStart));
        assertThat(counts("pea-s2-m2", ep))
                .containsEntry("denominator", 1)
                .containsEntry("numerator", 0);
        // the account was activated before the visit: the visit's information is available to the
        // patient in time
        assertThat(m1(ep)).containsEntry("denominator", 1).containsEntry("timelyAccess", 1);

        String text = "After-visit summary: blood pressure 150/95, start lisinopril.";
        String id =
                Api.create(
                        document(
                                patient,
                                encounter,
                                visitStart.plusSeconds(3600),
                                "After-visit summary",
                                text));
        String document = "DocumentReference/" + id;

        // read and search answer the content; the database holds none of it in plain text
        DocumentReference read = Api.read(DocumentReference.class, document);
        assertThat(
                        new String(
                                read.getContentFirstRep().getAttachment().getData(),
                                StandardCharsets.UTF_8))
                .isEqualTo(text);
        assertThat(read.getContext().getEncounterFirstRep().getReference()).isEqualTo(encounter);
        Bundle found =
                Fhir.parse(
                        fhir().get("/fhir/DocumentReference?subject=" + patient)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString(),
                        Bundle.class);
        assertThat(found.getTotal()).isEqualTo(1);
        assertThat(
                        fhir().get("/fhir/DocumentReference?encounter=" + encounter)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .contains(id);
        String stored =
                string(
                        "select resource::text || encode(content_ciphertext, 'escape') from visit_document where id = ?",
                        UUID.fromString(id));
        assertThat(stored)
                .doesNotContain("lisinopril")
                .doesNotContain(
                        Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(
                        string(
                                "select count(*)::text from mu_document_fact where id = ?",
                                UUID.fromString(id)))
                .isEqualTo("1");
        // the document was posted within 4 business days and the patient has an active account:
        // timely access
        assertThat(m1(ep)).containsEntry("timelyAccess", 1);
        assertThat(counts("pea-s2-m2", ep)).containsEntry("numerator", 0);

        WebSession me = WebSession.signIn(login, PracticeFixture.PASSWORD);
        me.get("/patient/documents")
                .then()
                .statusCode(200)
                .body(containsString("After-visit summary"), containsString(id));
        me.get("/patient/documents/" + id)
                .then()
                .statusCode(200)
                .body(containsString("start lisinopril"));
        Response download = me.get("/patient/documents/" + id + "/download");
        download.then()
                .statusCode(200)
                .header("Content-Disposition", containsString("attachment"))
                .header("X-Content-Type-Options", "nosniff");
        assertThat(download.asString()).isEqualTo(text);
        assertThat(vdt(patient)).containsExactly("PATIENT VIEW", "PATIENT DOWNLOAD");
        assertThat(counts("pea-s2-m2", ep)).containsEntry("numerator", 1);
        assertThat(AuditRows.query("resource_type = 'DocumentReference' and resource_id = ?", id))
                .anyMatch(r -> r.startsWith("READ success visit-document"))
                .anyMatch(r -> r.startsWith("DOWNLOAD success visit-document"));

        // another patient's document is not found; staff may not use the patient page
        WebSession other = WebSession.signIn(f.otherPatientLogin, PracticeFixture.PASSWORD);
        other.get("/patient/documents/" + id).then().statusCode(404);
        other.get("/patient/documents/" + id + "/download").then().statusCode(404);
        other.get("/patient/documents").then().statusCode(200).body(not(containsString(id)));
        WebSession desk = WebSession.signIn(f.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/patient/documents").then().statusCode(403);
        assertThat(vdt(f.otherPatient)).isEmpty();
    }

    @Test
    void shouldRefuseADocumentThatBreaksTheRulesWithAnOperationOutcome() {
        PracticeFixture f = PracticeFixture.create(identities);
        String encounter =
                "Encounter/"
                        + Api.create(
                                aVisit(
                                        f.patient,
                                        f.ep,
                                        f.location,
                                        f.practice,
                                        Instant.now().minus(2, ChronoUnit.DAYS)));
        Instant available = Instant.now().minus(1, ChronoUnit.DAYS);
        DocumentReference noEncounter = document(f.patient, encounter, available, "x", "text");
        noEncounter.getContext().getEncounter().clear();
        Api.post(noEncounter).then().statusCode(422).body(containsString("context.encounter"));
        Api.post(document(f.otherPatient, encounter, available, "x", "text"))
                .then()
                .statusCode(422)
                .body(containsString("another patient"));
        DocumentReference future =
                document(f.patient, encounter, Instant.now().plus(2, ChronoUnit.DAYS), "x", "text");
        Api.post(future).then().statusCode(422).body(containsString("future"));
        DocumentReference html =
                document(f.patient, encounter, available, "x", "<script>alert(1)</script>");
        html.getContentFirstRep().getAttachment().setContentType("text/html");
        Api.post(html).then().statusCode(422).body(containsString("contentType"));
        DocumentReference link = document(f.patient, encounter, available, "x", "text");
        link.getContentFirstRep().getAttachment().setData(null).setUrl("https://example.org/doc");
        Api.post(link).then().statusCode(422).body(containsString("data"));
        assertThat(
                        fhir().get("/fhir/DocumentReference?subject=" + f.patient)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .contains("\"total\":0");
        // patients' apps may not read documents through the FHIR API (system clients only)
        given().get("/fhir/DocumentReference?subject=" + f.patient).then().statusCode(401);
    }

    @Test
    void shouldRecordAProxysViewsAndDownloadsOnBehalfOfThePatient() {
        PracticeFixture f = PracticeFixture.create(identities);
        String ep = "Practitioner/" + Api.create(anEp(f.practice));
        String child = "Patient/" + Api.create(aPatient(f.practice));
        String proxy = Api.create(aProxy(child));
        String proxyLogin = "parent-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        proxyLogin,
                        PracticeFixture.PASSWORD,
                        "Parent",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(UUID.fromString(proxy))));
        Instant visitStart = Instant.now().minus(1, ChronoUnit.DAYS);
        String encounter =
                "Encounter/" + Api.create(aVisit(child, ep, f.location, f.practice, visitStart));
        String id =
                Api.create(
                        document(
                                child,
                                encounter,
                                visitStart.plusSeconds(1800),
                                "Immunization record",
                                "All vaccines up to date."));
        assertThat(counts("pea-s2-m2", ep))
                .containsEntry("denominator", 1)
                .containsEntry("numerator", 0);

        WebSession parent = WebSession.signIn(proxyLogin, PracticeFixture.PASSWORD);
        parent.get("/patient/documents")
                .then()
                .statusCode(200)
                .body(containsString("Immunization record"), containsString("acting for"));
        parent.get("/patient/documents/" + id + "/download")
                .then()
                .statusCode(200)
                .body(equalTo("All vaccines up to date."));
        assertThat(vdt(child)).containsExactly("PROXY DOWNLOAD");
        assertThat(counts("pea-s2-m2", ep)).containsEntry("numerator", 1);

        // the Blue Button download of the message history counts too, on the patient's behalf
        parent.get("/patient/history/bundle").then().statusCode(200);
        parent.get("/patient/history/print").then().statusCode(200);
        assertThat(vdt(child)).containsExactly("PROXY DOWNLOAD", "PROXY DOWNLOAD", "PROXY VIEW");
        // the proxy's own record gets nothing: the actions are the child's
        assertThat(
                        string(
                                "select count(*)::text from mu_vdt_fact where patient_id = ?",
                                UUID.fromString(proxy)))
                .isEqualTo("0");
    }

    @Test
    void shouldNotCountADownloadOrPrintOfAnEmptyMessageHistory() {
        PracticeFixture f = PracticeFixture.create(identities);
        String ep = "Practitioner/" + Api.create(anEp(f.practice));
        String patient = "Patient/" + Api.create(aPatient(f.practice));
        String login = "empty-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "New Patient",
                        Set.of(Role.PATIENT),
                        null,
                        null,
                        PracticeFixture.id(patient),
                        Set.of()));
        Api.create(
                aVisit(
                        patient,
                        ep,
                        f.location,
                        f.practice,
                        Instant.now().minus(1, ChronoUnit.DAYS)));

        // no message yet: the Blue Button download and the printable page show the patient nothing
        // of their information
        WebSession me = WebSession.signIn(login, PracticeFixture.PASSWORD);
        me.get("/patient/history").then().statusCode(200).body(containsString("0 conversations"));
        assertThat(me.get("/patient/history/bundle").then().statusCode(200).extract().asString())
                .contains("\"total\": 0");
        me.get("/patient/history/print").then().statusCode(200);
        assertThat(vdt(patient)).containsExactly("PATIENT DOWNLOAD", "PATIENT VIEW");
        assertThat(counts("pea-s2-m2", ep))
                .containsEntry("denominator", 1)
                .containsEntry("numerator", 0);
        assertThat(
                        string(
                                "select count(*)::text from mu_vdt_fact where patient_id = ? and not showed_information",
                                PracticeFixture.id(patient)))
                .isEqualTo("2");

        // with a message in the history, the download shows it: that one counts
        Api.create(aMessage(patient, ep, "Question about my visit"));
        assertThat(me.get("/patient/history/bundle").then().statusCode(200).extract().asString())
                .doesNotContain("\"total\": 0");
        assertThat(counts("pea-s2-m2", ep)).containsEntry("numerator", 1);
    }

    @Test
    void shouldCountOnlineAccessGrantedByAccountActivationAndByCredentialsGiven() {
        PracticeFixture f = PracticeFixture.create(identities);
        String ep = "Practitioner/" + Api.create(anEp(f.practice));
        String withAccount = "Patient/" + Api.create(aPatient(f.practice));
        String optedOut = "Patient/" + Api.create(aPatient(f.practice));
        Instant visitStart = Instant.now().minus(1, ChronoUnit.DAYS);
        for (String p : List.of(withAccount, optedOut)) {
            String encounter =
                    "Encounter/" + Api.create(aVisit(p, ep, f.location, f.practice, visitStart));
            Api.create(
                    document(
                            p,
                            encounter,
                            visitStart.plusSeconds(3600),
                            "Visit summary",
                            "Summary."));
        }
        assertThat(m1(ep)).containsEntry("denominator", 2).containsEntry("timelyAccess", 0);

        // the EHR provisions the patient's portal account: online access granted
        given().contentType("application/json")
                .body(
                        Map.of(
                                "username",
                                "acct-" + UUID.randomUUID().toString().substring(0, 8),
                                "displayName",
                                "Account Holder",
                                "role",
                                "PATIENT",
                                "password",
                                PracticeFixture.PASSWORD + "-x",
                                "patient",
                                withAccount))
                .header("Authorization", "Bearer " + Api.token())
                .post("/api/logins")
                .then()
                .statusCode(201);
        assertThat(m1(ep)).containsEntry("timelyAccess", 1);

        // the other patient opted out; the front desk gives credentials and instructions and
        // records it
        WebSession desk = WebSession.signIn(f.frontDeskLogin, PracticeFixture.PASSWORD);
        String page = desk.get("/staff/online-access").then().statusCode(200).extract().asString();
        assertThat(page).contains(PracticeFixture.id(optedOut).toString());
        String action =
                "/staff/online-access/" + PracticeFixture.id(optedOut) + "/credentials-given";
        desk.submitWithoutToken(action, Map.of()).then().statusCode(403);
        assertThat(m1(ep)).containsEntry("timelyAccess", 1);
        desk.submit(action, Map.of()).then().statusCode(303);
        desk.get("/staff/online-access?recorded=" + PracticeFixture.id(optedOut))
                .then()
                .statusCode(200)
                .body(containsString("Credentials and instructions given"));
        assertThat(m1(ep)).containsEntry("timelyAccess", 2);
        assertThat(
                        AuditRows.query(
                                "resource_type = 'OnlineAccessGrant' and patient_id = ?",
                                PracticeFixture.id(optedOut)))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r)
                                        .startsWith(
                                                "CREATE success credentials-and-instructions-given"));

        // another practice's patient is not found; patients may not record it
        PracticeFixture elsewhere = PracticeFixture.create(identities);
        desk.submit(
                        "/staff/online-access/"
                                + PracticeFixture.id(elsewhere.patient)
                                + "/credentials-given",
                        Map.of())
                .then()
                .statusCode(404);
        WebSession patient = WebSession.signIn(f.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/staff/online-access").then().statusCode(403);
    }

    @Test
    void shouldSkipTheHolidaysTheAdminKeepsOnTheTriagePageWhenCountingBusinessDays() {
        PracticeFixture f = PracticeFixture.create(identities);
        String ep = "Practitioner/" + Api.create(anEp(f.practice));
        String patient = "Patient/" + Api.create(aPatient(f.practice));
        // the visit 5 business days ago; online access granted today: one business day late
        LocalDate today = LocalDate.now(ZONE);
        LocalDate visitDay = today;
        List<LocalDate> weekdaysBetween = new ArrayList<>();
        for (int n = 0; n < 5; ) {
            visitDay = visitDay.minusDays(1);
            if (visitDay.getDayOfWeek().getValue() <= 5) {
                n++;
                if (n < 5) {
                    weekdaysBetween.add(visitDay);
                }
            }
        }
        Api.create(
                aVisit(
                        patient,
                        ep,
                        f.location,
                        f.practice,
                        visitDay.atTime(10, 0).atZone(ZONE).toInstant()));
        identities.createUser(
                new IdentityService.NewUser(
                        "late-" + UUID.randomUUID().toString().substring(0, 8),
                        PracticeFixture.PASSWORD,
                        "Late Patient",
                        Set.of(Role.PATIENT),
                        null,
                        null,
                        PracticeFixture.id(patient),
                        Set.of()));
        assertThat(m1(ep)).containsEntry("denominator", 1).containsEntry("timelyAccess", 0);

        // the admin records a holiday on a weekday in between, on the triage page: access is now on
        // the 4th business day
        String admin = "hol-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        admin,
                        PracticeFixture.PASSWORD,
                        "Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(f.practice),
                        null,
                        null,
                        Set.of()));
        WebSession session = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        session.get("/admin/triage")
                .then()
                .statusCode(200)
                .body(containsString("Meaningful Use timeliness"));
        session.submit(
                        "/admin/triage/holidays",
                        Map.of("day", weekdaysBetween.get(0).toString(), "name", "Founders' day"))
                .then()
                .statusCode(303);
        assertThat(m1(ep)).containsEntry("timelyAccess", 1);
        session.submit(
                        "/admin/triage/holidays",
                        Map.of("day", weekdaysBetween.get(0).toString(), "remove", "true"))
                .then()
                .statusCode(303);
        assertThat(m1(ep)).containsEntry("timelyAccess", 0);
    }

    // ---------------------------------------------------------------------------------------------

    public static DocumentReference document(
            String patient, String encounter, Instant available, String title, String text) {
        DocumentReference document = new DocumentReference();
        document.addIdentifier()
                .setSystem("urn:test:document")
                .setValue(UUID.randomUUID().toString());
        document.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        document.setSubject(new Reference(patient));
        document.getContext().addEncounter(new Reference(encounter));
        document.setDate(Date.from(available));
        document.addContent()
                .getAttachment()
                .setContentType("text/plain")
                .setTitle(title)
                .setData(text.getBytes(StandardCharsets.UTF_8));
        return document;
    }

    /**
     * PEA-S2-M1 of the EP: Bluepost offers view, download and transmit (docs/adr/0046), so the report
     * counts the patients given timely access and is never "not available"; {@code timelyAccess} is its numerator.
     */
    static Map<String, Integer> m1(String ep) {
        LocalDate today = LocalDate.now(ZONE);
        String body =
                fhir().get(
                                "/fhir/Measure/pea-s2-m1/$evaluate-measure?periodStart="
                                        + today.minusDays(30)
                                        + "&periodEnd="
                                        + today
                                        + "&practitioner="
                                        + ep)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        MeasureReport report = Fhir.parse(body, MeasureReport.class);
        Map<String, Integer> counts = new java.util.HashMap<>(EvaluateMeasureIT.counts(report));
        assertThat(
                        report.getGroupFirstRep()
                                .getExtensionByUrl(
                                        "https://fhir.bluepost.dev/StructureDefinition/measure-not-available"))
                .as("view, download and transmit are all available")
                .isNull();
        counts.put("timelyAccess", counts.get("numerator"));
        return counts;
    }

    static Map<String, Integer> counts(String measure, String ep) {
        LocalDate today = LocalDate.now(ZONE);
        String body =
                fhir().get(
                                "/fhir/Measure/"
                                        + measure
                                        + "/$evaluate-measure?periodStart="
                                        + today.minusDays(30)
                                        + "&periodEnd="
                                        + today
                                        + "&practitioner="
                                        + ep)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        return EvaluateMeasureIT.counts(Fhir.parse(body, MeasureReport.class));
    }

    private static List<String> vdt(String patient) {
        List<String> rows = new ArrayList<>();
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "select actor_kind, action from mu_vdt_fact where patient_id = ? order by occurred_at, action")) {
            s.setObject(1, PracticeFixture.id(patient));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(r.getString(1) + " " + r.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return rows;
    }

    public static String string(String sql, Object parameter) {
        try (Connection c = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
