package dev.bluepost.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.Builders;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.Sql;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Patient enrolment over the real stack (ADR 0041): the front desk issues an activation code (letter
 * and e-mail), the patient activates with code and date of birth, is signed in and sends a message;
 * the code works once; a used, expired, burned, forged or rate-limited code and another patient's date
 * of birth all get the same neutral answer and create nothing; a patient with a login cannot be invited;
 * the audit names the code's id, never the code.
 */
@QuarkusTest
class PatientEnrolmentIT {

    private static final Pattern CODE = Pattern.compile("id=\"activation-code\">([A-Z0-9-]{19})<");
    private static final String NEUTRAL =
            "This code and date of birth do not match an invitation that can be used. "
                    + "Check them, or ask the practice for a new code.";

    @Inject IdentityService identities;

    @Inject MockMailbox mailbox;

    @Inject TestClock clock;

    private PracticeFixture home;

    @BeforeEach
    void createPractice() {
        home = PracticeFixture.create(identities);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldEnrolAPatientWithTheCodeTheFrontDeskIssuedAndLetTheCodeWorkOnce() {
        String address = "enrol-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        LocalDate born = LocalDate.of(1984, 3, 9);
        UUID patient = newPatient(born, address);
        UUID desk = identities.findByUsername(home.frontDeskLogin).orElseThrow().id();

        WebSession deskSession = WebSession.signIn(home.frontDeskLogin, PracticeFixture.PASSWORD);
        deskSession
                .get("/staff/online-access")
                .then()
                .statusCode(200)
                .body(
                        containsString("href=\"/staff/online-access/" + patient + "/invite\""),
                        not(
                                containsString(
                                        "href=\"/staff/online-access/"
                                                + PracticeFixture.id(home.patient)
                                                + "/invite\"")));
        deskSession
                .get("/staff/online-access/" + patient + "/invite")
                .then()
                .statusCode(200)
                .body(containsString("id=\"email\""));
        // without the form's CSRF token nothing is issued
        deskSession
                .submitWithoutToken(
                        "/staff/online-access/" + patient + "/invite", Map.of("email", "on"))
                .then()
                .statusCode(403);
        // a first code, then a second one that replaces it
        String first =
                code(
                        deskSession.submit(
                                "/staff/online-access/" + patient + "/invite",
                                Map.of("language", "en")));
        deskSession.get("/staff/online-access/" + patient + "/invite");
        Response letter =
                deskSession.submit(
                        "/staff/online-access/" + patient + "/invite",
                        Map.of("email", "on", "language", "en"));
        letter.then()
                .statusCode(200)
                .header("Cache-Control", containsString("no-store"))
                .body(
                        containsString("id=\"letter\""),
                        containsString("/activate</p>"),
                        containsString("id=\"letter-valid\""));
        String code = code(letter);
        assertThat(code)
                .isNotEqualTo(first)
                .matches("[2-9A-HJKMNP-TW-Z]{4}(-[2-9A-HJKMNP-TW-Z]{4}){3}");
        LocalDate lastDay =
                LocalDate.ofInstant(
                        Instant.now().plus(Duration.ofDays(14)),
                        java.time.ZoneId.of("America/New_York"));
        assertThat(letter.asString())
                .contains(lastDay.getYear() + "")
                .contains(
                        lastDay.getMonth()
                                .getDisplayName(
                                        java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH));

        // the e-mail: the code and the activation page, not the date of birth or the name
        Mail mail =
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> mailbox.getMailsSentTo(address), m -> m.size() == 1)
                        .get(0);
        assertThat(mail.getSubject()).isEqualTo("Your activation code for Bluepost");
        assertThat(mail.getText())
                .contains(code, "/activate")
                .doesNotContain("1984", "March 9", "03-09", "09/03", "3/9/1984");
        assertThat(mail.getHtml()).contains(code);
        String family = Sql.single("select family from patient where id = ?", patient);
        if (family != null) {
            assertThat(mail.getText()).doesNotContain(family);
        }
        // only digests are stored
        assertThat(
                        Sql.count(
                                "select count(*) from activation_code where patient_id = ? and code_sha256 not like '%-%'",
                                patient))
                .isEqualTo(2);
        assertThat(
                        Sql.count(
                                "select count(*) from activation_code where patient_id = ? and voided_at is null",
                                patient))
                .isEqualTo(1);

        // the replaced code no longer works
        WebSession old = new WebSession();
        old.get("/activate")
                .then()
                .statusCode(200)
                .body(containsString("autocomplete=\"bday-month\""));
        assertThat(refusal(old.submit("/activate", birth(first, born)))).isEqualTo(NEUTRAL);

        // the patient: code typed in lower case with spaces, then user name and password
        WebSession person = new WebSession();
        person.get("/activate").then().statusCode(200);
        Map<String, String> typed = birth(code.toLowerCase().replace('-', ' '), born);
        person.submit("/activate", typed)
                .then()
                .statusCode(200)
                .body(
                        containsString("action=\"/activate/account\""),
                        containsString("autocomplete=\"new-password\""));
        String username = "new-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> account = new java.util.HashMap<>(typed);
        account.putAll(
                Map.of(
                        "username",
                        username,
                        "password",
                        "harbour-lantern-42",
                        "confirm",
                        "harbour-lantern-43"));
        person.submit("/activate/account", account)
                .then()
                .statusCode(422)
                .body(containsString("id=\"confirm-error\""));
        account.putAll(Map.of("password", "password1", "confirm", "password1"));
        person.submit("/activate/account", account)
                .then()
                .statusCode(422)
                .body(containsString("common"));
        assertThat(Sql.count("select count(*) from user_account where patient_id = ?", patient))
                .isZero();
        account.putAll(Map.of("password", "harbour-lantern-42", "confirm", "harbour-lantern-42"));
        person.submit("/activate/account", account)
                .then()
                .statusCode(303)
                .header("Location", endsWith("/activate/welcome"));
        person.get("/activate/welcome")
                .then()
                .statusCode(200)
                .body(
                        containsString("href=\"/login/mfa/enrol?next=%2Fpatient\""),
                        containsString("href=\"/patient\""));

        // the login exists, is the patient's, and is signed in: it sends a first message
        UUID login = identities.findByUsername(username).orElseThrow().id();
        assertThat(identities.user(login).orElseThrow().patientId()).isEqualTo(patient);
        person.get("/patient/messages/new").then().statusCode(200);
        String location =
                person.submitMultipart(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        home.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Hello",
                                        "text",
                                        "My first message",
                                        "action",
                                        "send"),
                                List.of())
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String thread = location.substring(location.lastIndexOf('/') + 1);
        assertThat(
                        Sql.count(
                                "select count(*) from message_thread where id = ?::uuid and patient_id = ?",
                                thread,
                                patient))
                .isEqualTo(1);
        // online access granted once, keyed by the new login
        assertThat(
                        Sql.count(
                                "select count(*) from mu_portal_access_fact where patient_id = ?",
                                patient))
                .isEqualTo(1);
        assertThat(
                        Sql.count(
                                "select count(*) from mu_portal_access_fact where id = ? and kind = 'ACCOUNT_ACTIVATED'",
                                login))
                .isEqualTo(1);
        WebSession.signIn(username, "harbour-lantern-42").get("/patient").then().statusCode(200);

        // the code works once
        WebSession again = new WebSession();
        again.get("/activate");
        assertThat(refusal(again.submit("/activate", birth(code, born)))).isEqualTo(NEUTRAL);
        again.get("/activate");
        Map<String, String> reuse = new java.util.HashMap<>(birth(code, born));
        reuse.putAll(
                Map.of(
                        "username",
                        "other-" + username,
                        "password",
                        "harbour-lantern-77",
                        "confirm",
                        "harbour-lantern-77"));
        again.submit("/activate/account", reuse)
                .then()
                .statusCode(422)
                .body(containsString(NEUTRAL));
        assertThat(Sql.count("select count(*) from user_account where patient_id = ?", patient))
                .isEqualTo(1);

        // a patient with a login cannot be issued a code
        deskSession
                .get("/staff/online-access")
                .then()
                .statusCode(200)
                .body(not(containsString("href=\"/staff/online-access/" + patient + "/invite\"")));
        deskSession
                .get("/staff/online-access/" + patient + "/invite")
                .then()
                .statusCode(200)
                .body(
                        containsString("already has a portal account"),
                        not(containsString("id=\"issue-code\"")));
        deskSession
                .submit("/staff/online-access/" + patient + "/invite", Map.of("language", "en"))
                .then()
                .statusCode(409)
                .body(containsString("already has a portal account"));
        assertThat(Sql.count("select count(*) from activation_code where patient_id = ?", patient))
                .isEqualTo(2);

        // audited: the issues by the desk, the use by the new login, the refusals; never the code
        UUID codeId =
                UUID.fromString(
                        Sql.single(
                                "select id from activation_code where patient_id = ? and used_at is not null",
                                patient));
        assertThat(AuditRows.ofUser(desk))
                .contains("CREATE success activation-code-issued.emailed ActivationCode/" + codeId)
                .anyMatch(
                        r -> r.startsWith("CREATE success activation-code-issued ActivationCode/"));
        assertThat(AuditRows.ofUser(login))
                .contains("UPDATE success activation-code-used ActivationCode/" + codeId);
        assertThat(AuditRows.query("resource_id = ?", codeId.toString()))
                .contains("CREATE failure activation.code-used ActivationCode/" + codeId);
        assertThat(
                        AuditRows.query("resource_id = ?", codeId.toString()).stream()
                                .filter(r -> r.startsWith("CREATE success")))
                .hasSize(1);
        for (String c : List.of(code, code.replace("-", ""), first, first.replace("-", ""))) {
            dev.bluepost.testing.AuditJournal
                    .settle(); // the chainer links journaled entries in the background
            assertThat(
                            Sql.count(
                                    "select count(*) from audit_event e where upper(e::text) like ?",
                                    "%" + c + "%"))
                    .isZero();
        }
    }

    @Test
    void
            shouldRefuseAnotherPatientsBirthDateAWrongDateFiveTimesAndAnExpiredCodeAlikeAndCreateNothing() {
        // an hour of its own, apart from every other test's attempts from this same client address
        clock.set(Instant.now().plus(Duration.ofDays(3 + new java.util.Random().nextInt(300))));
        LocalDate bornA = LocalDate.of(1971, 6, 21);
        LocalDate bornB = LocalDate.of(1990, 11, 2);
        UUID a = newPatient(bornA, null);
        UUID b = newPatient(bornB, null);
        WebSession desk = WebSession.signIn(home.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/online-access/" + a + "/invite")
                .then()
                .statusCode(200)
                .body(containsString("id=\"no-email\""));
        // asking for an e-mail without an address on the record is refused on the form, and nothing
        // is issued
        desk.submit(
                        "/staff/online-access/" + a + "/invite",
                        Map.of("email", "on", "language", "en"))
                .then()
                .statusCode(422)
                .body(containsString("id=\"delivery-error\""));
        assertThat(Sql.count("select count(*) from activation_code where patient_id = ?", a))
                .isZero();
        desk.get("/staff/online-access/" + a + "/invite");
        String codeA =
                code(
                        desk.submit(
                                "/staff/online-access/" + a + "/invite", Map.of("language", "es")));
        desk.get("/staff/online-access/" + b + "/invite");
        String codeB =
                code(
                        desk.submit(
                                "/staff/online-access/" + b + "/invite", Map.of("language", "en")));
        UUID idA =
                UUID.fromString(
                        Sql.single("select id from activation_code where patient_id = ?", a));

        // patient A's code with patient B's date of birth: refused, nothing created
        WebSession visitor = new WebSession();
        visitor.get("/activate");
        Response wrong = visitor.submit("/activate", birth(codeA, bornB));
        wrong.then().statusCode(422);
        assertThat(refusal(wrong)).isEqualTo(NEUTRAL);
        visitor.get("/activate");
        Map<String, String> takeOver = new java.util.HashMap<>(birth(codeA, bornB));
        takeOver.putAll(
                Map.of(
                        "username",
                        "takeover-" + UUID.randomUUID().toString().substring(0, 6),
                        "password",
                        "harbour-lantern-42",
                        "confirm",
                        "harbour-lantern-42"));
        visitor.submit("/activate/account", takeOver)
                .then()
                .statusCode(422)
                .body(containsString(NEUTRAL));
        assertThat(Sql.count("select count(*) from user_account where patient_id in (?, ?)", a, b))
                .isZero();
        assertThat(
                        Sql.count(
                                "select count(*) from mu_portal_access_fact where patient_id in (?, ?)",
                                a,
                                b))
                .isZero();
        assertThat(Sql.count("select failed_attempts from activation_code where id = ?", idA))
                .isEqualTo(2);

        // three more wrong dates burn the code: the right date no longer opens it
        for (int i = 0; i < 3; i++) {
            visitor.get("/activate");
            assertThat(refusal(visitor.submit("/activate", birth(codeA, bornA.plusDays(i + 1)))))
                    .isEqualTo(NEUTRAL);
        }
        assertThat(
                        Sql.count(
                                "select count(*) from activation_code where id = ? and voided_at is not null",
                                idA))
                .isEqualTo(1);
        visitor.get("/activate");
        assertThat(refusal(visitor.submit("/activate", birth(codeA, bornA)))).isEqualTo(NEUTRAL);
        // a forged code (right shape, never issued) and a malformed one: the same answer
        visitor.get("/activate");
        assertThat(refusal(visitor.submit("/activate", birth("2345-6789-ABCD-EFGH", bornA))))
                .isEqualTo(NEUTRAL);

        // patient B's code, fifteen days later (another hour, so the attempts above no longer
        // count): expired
        clock.advance(Duration.ofDays(15));
        WebSession late = new WebSession();
        late.get("/activate");
        assertThat(refusal(late.submit("/activate", birth(codeB, bornB)))).isEqualTo(NEUTRAL);
        assertThat(Sql.count("select count(*) from user_account where patient_id in (?, ?)", a, b))
                .isZero();

        AuditRows.query("resource_id = ?", idA.toString());
        assertThat(AuditRows.query("resource_id = ?", idA.toString()))
                .contains(
                        "CREATE failure activation.wrong-birth-date ActivationCode/" + idA,
                        "CREATE failure activation.rate-limited.code ActivationCode/" + idA,
                        "CREATE failure activation.code-void ActivationCode/" + idA);
        dev.bluepost.testing.AuditJournal
                .settle(); // the chainer links journaled entries in the background
        assertThat(
                        Sql.count(
                                "select count(*) from audit_event where reason_code = 'activation.code-expired' and resource_id = "
                                        + "(select id::text from activation_code where patient_id = ?)",
                                b))
                .isEqualTo(1);
        dev.bluepost.testing.AuditJournal
                .settle(); // the chainer links journaled entries in the background
        assertThat(
                        Sql.count(
                                "select count(*) from audit_event where reason_code = 'activation.code-unknown' and occurred_at > now() + interval '2 days'"))
                .isGreaterThanOrEqualTo(1);
        for (String c : List.of(codeA, codeB, codeA.replace("-", ""), codeB.replace("-", ""))) {
            dev.bluepost.testing.AuditJournal
                    .settle(); // the chainer links journaled entries in the background
            assertThat(
                            Sql.count(
                                    "select count(*) from audit_event e where upper(e::text) like ?",
                                    "%" + c + "%"))
                    .isZero();
        }
    }

    @Test
    void shouldLimitFailedActivationsPerClientWithTheSameAnswer() {
        clock.set(Instant.now().plus(Duration.ofDays(400 + new java.util.Random().nextInt(300))));
        LocalDate born = LocalDate.of(1966, 1, 30);
        UUID patient = newPatient(born, null);
        WebSession desk = WebSession.signIn(home.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/online-access/" + patient + "/invite");
        String code =
                code(
                        desk.submit(
                                "/staff/online-access/" + patient + "/invite",
                                Map.of("language", "en")));

        WebSession guesser = new WebSession();
        for (int i = 0; i < 10; i++) {
            guesser.get("/activate");
            assertThat(
                            refusal(
                                    guesser.submit(
                                            "/activate",
                                            birth(
                                                    "2345-6789-ABCD-EF"
                                                            + "GHJKMNPQRS".charAt(i)
                                                            + "2",
                                                    born))))
                    .isEqualTo(NEUTRAL);
        }
        // the eleventh, with the right code and date, is held back by the client's limit: the same
        // answer
        guesser.get("/activate");
        assertThat(refusal(guesser.submit("/activate", birth(code, born)))).isEqualTo(NEUTRAL);
        dev.bluepost.testing.AuditJournal
                .settle(); // the chainer links journaled entries in the background
        assertThat(
                        Sql.count(
                                "select count(*) from audit_event where reason_code = 'activation.rate-limited.client' "
                                        + "and occurred_at > now() + interval '300 days'"))
                .isGreaterThanOrEqualTo(1);
        assertThat(
                        Sql.count(
                                "select count(*) from activation_attempt where client_sha256 like '%.%' or client_sha256 like '%:%'"))
                .isZero();
        // the code itself was not touched; two hours later the client may try again and it works
        assertThat(
                        Sql.count(
                                "select failed_attempts from activation_code where patient_id = ?",
                                patient))
                .isZero();
        clock.advance(Duration.ofHours(2));
        guesser.get("/activate");
        guesser.submit("/activate", birth(code, born))
                .then()
                .statusCode(200)
                .body(containsString("action=\"/activate/account\""));
    }

    @Test
    void shouldRefuseMissingAndMalformedFieldsOnTheFieldAndCountNothing() {
        WebSession visitor = new WebSession();
        visitor.get("/activate");
        visitor.submit("/activate", Map.of("code", "", "month", "2", "day", "30", "year", "1980"))
                .then()
                .statusCode(422)
                .body(
                        containsString("id=\"code-error\""),
                        containsString("id=\"birth-error\""),
                        not(containsString(NEUTRAL)));
        visitor.get("/activate");
        visitor.submit("/activate", Map.of("code", "ABCD", "month", "", "day", "", "year", "80"))
                .then()
                .statusCode(422)
                .body(
                        containsString("id=\"birth-error\""),
                        not(containsString("id=\"code-error\"")));
        // a Spanish reader gets the same refusal in Spanish
        WebSession spanish = new WebSession();
        spanish.get("/activate");
        spanish.submit("/language", Map.of("language", "es", "back", "/activate"));
        spanish.get("/activate").then().statusCode(200).body(containsString("Active su cuenta"));
    }

    private UUID newPatient(LocalDate born, String email) {
        Patient resource = Builders.aPatient(home.practice);
        resource.setBirthDate(Date.from(born.atStartOfDay(ZoneOffset.UTC).toInstant()));
        if (email != null) {
            resource.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(email);
        }
        return UUID.fromString(Api.create(resource));
    }

    static Map<String, String> birth(String code, LocalDate born) {
        return Map.of(
                "code",
                code,
                "month",
                Integer.toString(born.getMonthValue()),
                "day",
                Integer.toString(born.getDayOfMonth()),
                "year",
                Integer.toString(born.getYear()));
    }

    static String code(Response letter) {
        letter.then().statusCode(200);
        Matcher m = CODE.matcher(letter.asString());
        assertThat(m.find()).as("the letter shows the code").isTrue();
        return m.group(1);
    }

    private static String refusal(Response answer) {
        answer.then().statusCode(422);
        Matcher m =
                Pattern.compile(
                                "id=\"activate-refused\">\\s*<div class=\"usa-alert__body\"><p class=\"usa-alert__text\" role=\"alert\">([^<]*)</p>")
                        .matcher(answer.asString());
        assertThat(m.find()).as("the refusal").isTrue();
        return m.group(1);
    }
}
