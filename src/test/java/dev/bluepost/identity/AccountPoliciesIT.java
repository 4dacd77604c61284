package dev.bluepost.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lockout with back-off (without telling whether a login exists), NIST SP 800-63B password rules
 * wherever a password is set, and automatic log-off after inactivity: over the real database, with
 * the application's clock moved by the test.
 */
@QuarkusTest
class AccountPoliciesIT {

    @Inject IdentityService identities;

    @Inject PasswordPolicy passwords;

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
    void repeatedFailuresLockTheLoginWithBackOffAndTheAnswerNeverRevealsWhetherItExists() {
        clock.set(Instant.now());
        UUID patient = identities.findByUsername(practice.patientLogin).orElseThrow().id();
        String unknownAnswer = errorOf(attempt("nobody-" + UUID.randomUUID(), "some-password-1"));
        for (int i = 0; i < 10; i++) {
            assertThat(errorOf(attempt(practice.patientLogin, "wrong-password-" + i)))
                    .isEqualTo(unknownAnswer);
        }
        // locked: even the right password gets exactly the answer an unknown name gets
        assertThat(errorOf(attempt(practice.patientLogin, PracticeFixture.PASSWORD)))
                .isEqualTo(unknownAnswer);
        clock.advance(Duration.ofMinutes(14));
        attempt(practice.patientLogin, PracticeFixture.PASSWORD).then().statusCode(401);

        // the first pause (15 min) is over; the next lockout in a row lasts twice as long
        clock.advance(Duration.ofMinutes(2));
        for (int i = 0; i < 10; i++) {
            attempt(practice.patientLogin, "wrong-again-" + i).then().statusCode(401);
        }
        clock.advance(Duration.ofMinutes(20));
        attempt(practice.patientLogin, PracticeFixture.PASSWORD).then().statusCode(401);
        clock.advance(Duration.ofMinutes(11));
        attempt(practice.patientLogin, PracticeFixture.PASSWORD).then().statusCode(303);

        assertThat(AuditRows.ofUser(patient))
                .containsSubsequence(
                        "LOGIN_FAILED failure invalid-credentials",
                        "LOGIN_FAILED failure lockout-started",
                        "LOGIN_FAILED failure account-locked",
                        "LOGIN_FAILED failure lockout-started",
                        "LOGIN_FAILED failure account-locked",
                        "LOGIN success null");
    }

    @Test
    void wrongSecondFactorCodesCountTowardsTheLockout() {
        WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        for (int i = 0; i < 10; i++) {
            WebSession session = new WebSession();
            session.get("/login");
            session.submit(
                            "/login",
                            Map.of(
                                    "username",
                                    practice.frontDeskLogin,
                                    "password",
                                    PracticeFixture.PASSWORD))
                    .then()
                    .statusCode(303);
            session.get("/login/mfa");
            Response answer = session.submit("/login/mfa", Map.of("code", "00000" + (i % 10)));
            answer.then().statusCode(401);
            if (i == 9) {
                answer.then().body(containsString("user name or password is not correct"));
            }
        }
        attempt(practice.frontDeskLogin, PracticeFixture.PASSWORD).then().statusCode(401);
        UUID desk = identities.findByUsername(practice.frontDeskLogin).orElseThrow().id();
        assertThat(AuditRows.ofUser(desk))
                .containsSubsequence(
                        "LOGIN_FAILED failure mfa-code-invalid",
                        "LOGIN_FAILED failure lockout-started",
                        "LOGIN_FAILED failure account-locked");
    }

    @Test
    void passwordRulesApplyWhereverAPasswordIsSet() {
        assertThat(passwords.listSize()).isGreaterThan(10_000);
        assertThat(passwords.isCommon("trustno1")).isTrue();
        UUID patientId = PracticeFixture.id(practice.otherPatient);
        String login = "rules-" + UUID.randomUUID().toString().substring(0, 8);
        // provisioning API: breached, too short, repetitive; an admin needs 15
        for (String bad :
                new String[] {
                    "trustno1",
                    "Password123",
                    "short7!",
                    "aaaaaaaaaa",
                    "987654321",
                    login.toUpperCase()
                }) {
            api().body(
                            Map.of(
                                    "username",
                                    login,
                                    "displayName",
                                    "P",
                                    "role",
                                    "PATIENT",
                                    "password",
                                    bad,
                                    "patient",
                                    practice.otherPatient))
                    .post("/api/logins")
                    .then()
                    .statusCode(422)
                    .body("detail", not(containsString(bad)));
        }
        api().body(
                        Map.of(
                                "username",
                                "adm-" + login,
                                "displayName",
                                "A",
                                "role",
                                "ADMIN",
                                "password",
                                "quiet harbor",
                                "practice",
                                practice.practice))
                .post("/api/logins")
                .then()
                .statusCode(422)
                .body("detail", containsString("15"));
        api().body(
                        Map.of(
                                "username",
                                login,
                                "displayName",
                                "P",
                                "role",
                                "PATIENT",
                                "password",
                                "x".repeat(60) + "y".repeat(69),
                                "patient",
                                practice.otherPatient))
                .post("/api/logins")
                .then()
                .statusCode(422);
        // no composition rules: long passphrases of any characters, up to 128, are fine
        String passphrase = "grüne äpfel im regen " + "und ein langer satz ".repeat(5);
        assertThat(passphrase.length()).isBetween(64, 128);
        api().body(
                        Map.of(
                                "username",
                                login,
                                "displayName",
                                "P",
                                "role",
                                "PATIENT",
                                "password",
                                passphrase,
                                "patient",
                                practice.otherPatient))
                .post("/api/logins")
                .then()
                .statusCode(201);
        WebSession.signIn(login, passphrase).get("/patient").then().statusCode(200);
        assertThat(patientId).isNotNull();
    }

    @Test
    void changePasswordPageChecksTheCurrentOneTheRulesAndEndsOtherSessions() {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        WebSession elsewhere = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/account/password").then().statusCode(200).body(containsString("8 to 128"));
        patient.submitWithoutToken(
                        "/account/password",
                        Map.of(
                                "current",
                                PracticeFixture.PASSWORD,
                                "password",
                                "a fresh passphrase",
                                "confirm",
                                "a fresh passphrase"))
                .then()
                .statusCode(403);
        patient.submit(
                        "/account/password",
                        Map.of(
                                "current",
                                "not-it-at-all",
                                "password",
                                "a fresh passphrase",
                                "confirm",
                                "a fresh passphrase"))
                .then()
                .statusCode(422)
                .body(containsString("current password is not correct"));
        patient.submit(
                        "/account/password",
                        Map.of(
                                "current",
                                PracticeFixture.PASSWORD,
                                "password",
                                "iloveyou1",
                                "confirm",
                                "iloveyou1"))
                .then()
                .statusCode(422)
                .body(containsString("breached"));
        patient.submit(
                        "/account/password",
                        Map.of(
                                "current",
                                PracticeFixture.PASSWORD,
                                "password",
                                "a fresh passphrase",
                                "confirm",
                                "a fresh passphrase!"))
                .then()
                .statusCode(422)
                .body(containsString("not the same"));
        patient.submit(
                        "/account/password",
                        Map.of(
                                "current",
                                PracticeFixture.PASSWORD,
                                "password",
                                "a fresh passphrase",
                                "confirm",
                                "a fresh passphrase"))
                .then()
                .statusCode(303);
        patient.get("/account/password?saved=1")
                .then()
                .statusCode(200)
                .body(containsString("Password changed"));
        patient.get("/patient").then().statusCode(200);
        elsewhere.get("/patient").then().statusCode(303);
        attempt(practice.patientLogin, PracticeFixture.PASSWORD).then().statusCode(401);
        WebSession.signIn(practice.patientLogin, "a fresh passphrase")
                .get("/patient")
                .then()
                .statusCode(200);
        UUID user = identities.findByUsername(practice.patientLogin).orElseThrow().id();
        assertThat(AuditRows.ofUser(user))
                .contains("UPDATE success password-changed Login/" + user);
    }

    @Test
    void adminLoginsPageAppliesTheRulesToo() {
        String admin = "adm-" + UUID.randomUUID().toString().substring(0, 8);
        api().body(
                        Map.of(
                                "username",
                                admin,
                                "displayName",
                                "Admin",
                                "role",
                                "ADMIN",
                                "password",
                                "a-long-password",
                                "practice",
                                practice.practice))
                .post("/api/logins")
                .then()
                .statusCode(201);
        WebSession session = WebSession.signIn(admin, "a-long-password");
        session.get("/admin/logins").then().statusCode(200);
        session.submit(
                        "/admin/logins",
                        Map.of(
                                "username",
                                "desk2-" + admin,
                                "displayName",
                                "Desk",
                                "role",
                                "FRONT_DESK",
                                "record",
                                practice.staff,
                                "password",
                                "sunshine1"))
                .then()
                .statusCode(422)
                .body(containsString("breached"));
    }

    @Test
    void inactiveSessionsEndByRoleAndTheSignInPageSaysWhy() {
        clock.set(Instant.now());
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        // where scripts do not run, pages reload themselves just after the limit, so a screen left
        // alone stops showing
        // patient information (where they run, the session script does it: SessionActivityIT,
        // IdleSignOutJourneyIT)
        desk.get("/staff/queue")
                .then()
                .statusCode(200)
                .body(containsString("<meta http-equiv=\"refresh\" content=\"905\">"));
        patient.get("/patient")
                .then()
                .statusCode(200)
                .body(containsString("<meta http-equiv=\"refresh\" content=\"1805\">"));

        clock.advance(Duration.ofMinutes(14));
        desk.get("/staff/queue").then().statusCode(200);
        patient.get("/patient").then().statusCode(200);
        clock.advance(Duration.ofMinutes(16));
        String location =
                desk.get("/staff/queue").then().statusCode(303).extract().header("Location");
        assertThat(location).contains("/login?next=").contains("timedOut=1");
        desk.getEncoded(location.substring(location.indexOf("/login")))
                .then()
                .statusCode(200)
                .body(containsString("signed out automatically because there was no activity"));
        patient.get("/patient").then().statusCode(200);
        clock.advance(Duration.ofMinutes(31));
        patient.get("/patient").then().statusCode(303);

        UUID deskUser = identities.findByUsername(practice.frontDeskLogin).orElseThrow().id();
        assertThat(AuditRows.ofUser(deskUser))
                .anyMatch(r -> r.startsWith("LOGOUT success idle-timeout Session/"));
        // a sign-out of one's own is not called a time-out
        WebSession again = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        again.get("/patient").then().statusCode(200);
        again.submit("/logout", Map.of())
                .then()
                .statusCode(303)
                .header("Location", containsString("signedOut=1"));
        new WebSession()
                .get("/login?signedOut=1")
                .then()
                .body(containsString("You have signed out"), not(containsString("no activity")));
    }

    private static Response attempt(String username, String password) {
        WebSession session = new WebSession();
        session.get("/login");
        return session.submit("/login", Map.of("username", username, "password", password));
    }

    private static String errorOf(Response response) {
        response.then().statusCode(401);
        return response.asString().replaceAll("(?s).*id=\"login-error\">([^<]*)<.*", "$1");
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer " + Api.token())
                .contentType("application/json");
    }
}
