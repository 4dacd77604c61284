package dev.bluepost.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SmartApp;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A login's life over the real stack (ADR 0040): an admin deactivates a login and its open browser
 * session and app token stop at their next request, sign-in is refused with the usual neutral answer,
 * reactivation lets it back; the practice's last active admin cannot be removed; a reset link by
 * e-mail works once, for a short time, and ends every session and app token; expired and forged links
 * change nothing; requests are limited per address and per client and never say whether an address is
 * known; a person sees and ends their own sessions, an admin ends all of a login's.
 */
@QuarkusTest
class AccountLifecycleIT {

    private static final Pattern LINK = Pattern.compile("(/login/reset\\?token=[A-Za-z0-9_-]{43})");

    @Inject IdentityService identities;

    @Inject MockMailbox mailbox;

    @Inject TestClock clock;

    private PracticeFixture home;
    private String admin;

    @BeforeEach
    void createPractice() {
        home = PracticeFixture.create(identities);
        admin = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        admin,
                        PracticeFixture.PASSWORD,
                        "Practice Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(home.practice),
                        null,
                        null,
                        Set.of()));
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldSignOutADeactivatedLoginAtItsNextRequestEndItsAppTokenAndRefuseItsSignIn()
            throws Exception {
        UUID desk = userId(home.frontDeskLogin);
        UUID patient = userId(home.patientLogin);
        UUID adminId = userId(admin);
        WebSession deskSession = WebSession.signIn(home.frontDeskLogin, PracticeFixture.PASSWORD);
        deskSession.get("/staff/queue").then().statusCode(200);
        WebSession patientSession = WebSession.signIn(home.patientLogin, PracticeFixture.PASSWORD);
        String appToken = SmartApp.tokenFor(patientSession, SmartApp.ALL_SCOPES);
        given().header("Authorization", "Bearer " + appToken)
                .get("/fhir/" + home.patient)
                .then()
                .statusCode(200);

        WebSession adminSession = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        adminSession
                .get("/admin/logins")
                .then()
                .statusCode(200)
                .body(
                        containsString(
                                "action=\"/admin/logins/" + home.frontDeskLogin + "/deactivate\""),
                        containsString(
                                "action=\"/admin/logins/" + home.frontDeskLogin + "/roles\""),
                        not(containsString("action=\"/admin/logins/" + admin + "/end-sessions\"")));

        // without the form's CSRF token nothing happens
        adminSession
                .submitWithoutToken(
                        "/admin/logins/" + home.frontDeskLogin + "/deactivate", Map.of())
                .then()
                .statusCode(403);
        deskSession.get("/staff/queue").then().statusCode(200);

        adminSession
                .submit("/admin/logins/" + home.frontDeskLogin + "/deactivate", Map.of())
                .then()
                .statusCode(303)
                .header(
                        "Location",
                        endsWith("/admin/logins?done=deactivated&login=" + home.frontDeskLogin));
        adminSession
                .get("/admin/logins?done=deactivated&login=" + home.frontDeskLogin)
                .then()
                .statusCode(200)
                .body(
                        containsString("id=\"support-notice\""),
                        containsString("id=\"deactivated-" + home.frontDeskLogin + "\""),
                        containsString(
                                "action=\"/admin/logins/" + home.frontDeskLogin + "/reactivate\""));
        // the open browser session is signed out at its next request
        deskSession
                .get("/staff/queue")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));
        assertThat(
                        count(
                                "select count(*) from web_session where user_id = ? and ended_at is null",
                                desk))
                .isZero();
        // and sign-in is refused with the same words as a wrong password
        Response refused = attempt(home.frontDeskLogin, PracticeFixture.PASSWORD);
        refused.then()
                .statusCode(401)
                .body(
                        containsString("The user name or password is not correct"),
                        not(containsString("deactivated")));

        // a patient's login: the app token it authorized fails at once
        adminSession
                .submit("/admin/logins/" + home.patientLogin + "/deactivate", Map.of())
                .then()
                .statusCode(303);
        given().header("Authorization", "Bearer " + appToken)
                .get("/fhir/" + home.patient)
                .then()
                .statusCode(401);
        patientSession
                .get("/patient")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));

        // deactivating twice is refused; reactivation lets the person sign in again (with the same
        // password)
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + home.frontDeskLogin + "/deactivate", Map.of())
                .then()
                .statusCode(422)
                .body(containsString("deactivated already"));
        adminSession
                .submit("/admin/logins/" + home.frontDeskLogin + "/reactivate", Map.of())
                .then()
                .statusCode(303);
        WebSession.signIn(home.frontDeskLogin, PracticeFixture.PASSWORD)
                .get("/staff/queue")
                .then()
                .statusCode(200);
        // the app token stays revoked after the patient's login is reactivated: the app must be
        // allowed again
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + home.patientLogin + "/reactivate", Map.of())
                .then()
                .statusCode(303);
        given().header("Authorization", "Bearer " + appToken)
                .get("/fhir/" + home.patient)
                .then()
                .statusCode(401);

        assertThat(AuditRows.ofUser(adminId))
                .containsSubsequence(
                        "DEACTIVATE success null UserAccount/" + desk,
                        "DEACTIVATE success null UserAccount/" + patient,
                        "UPDATE failure deactivate.not-active UserAccount/" + desk,
                        "REACTIVATE success null UserAccount/" + desk,
                        "REACTIVATE success null UserAccount/" + patient);
        assertThat(AuditRows.ofUser(desk))
                .anyMatch(r -> r.startsWith("LOGOUT success login-deactivated Session/"))
                .contains("LOGIN_FAILED failure login-disabled");
        assertThat(
                        count(
                                "select count(*) from audit_event where actor_user_id = ? and action = 'DEACTIVATE' and practice_id = ?",
                                adminId,
                                PracticeFixture.id(home.practice)))
                .isEqualTo(2);
    }

    @Test
    void shouldNeverRemoveThePracticesLastActiveAdmin() throws Exception {
        UUID adminId = userId(admin);
        WebSession adminSession = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        adminSession.get("/admin/logins").then().statusCode(200);
        adminSession
                .submit("/admin/logins/" + admin + "/deactivate", Map.of())
                .then()
                .statusCode(422)
                .body(containsString("last active administrator"));
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + admin + "/roles", Map.of("roles", "COMPLIANCE"))
                .then()
                .statusCode(422)
                .body(containsString("last active administrator"));
        assertThat(
                        count(
                                "select count(*) from user_account u join user_role r on r.user_id = u.id where u.id = ? and u.active "
                                        + "and r.role = 'ADMIN'",
                                adminId))
                .isEqualTo(1);

        // a second admin: now either may go, but not both
        String second = "admin2-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        second,
                        PracticeFixture.PASSWORD,
                        "Second Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(home.practice),
                        null,
                        null,
                        Set.of()));
        UUID secondId = userId(second);
        WebSession secondSession = WebSession.signIn(second, PracticeFixture.PASSWORD);
        secondSession.get("/admin/logins").then().statusCode(200);
        secondSession
                .submit("/admin/logins/" + admin + "/roles", Map.of("roles", "COMPLIANCE"))
                .then()
                .statusCode(303)
                .header("Location", endsWith("done=roles&login=" + admin));
        // the first admin is a compliance officer from their next page on
        adminSession.get("/admin/logins").then().statusCode(403);
        adminSession.get("/compliance/audit").then().statusCode(200);
        secondSession.get("/admin/logins");
        secondSession
                .submit("/admin/logins/" + second + "/deactivate", Map.of())
                .then()
                .statusCode(422)
                .body(containsString("last active administrator"));
        // roles of a patient's login are not the admin's to change; a provider needs a practitioner
        // with an NPI
        secondSession
                .submit("/admin/logins/" + home.patientLogin + "/roles", Map.of("roles", "ADMIN"))
                .then()
                .statusCode(422);
        secondSession.get("/admin/logins");
        secondSession
                .submit("/admin/logins/" + admin + "/roles", Map.of("roles", "PROVIDER"))
                .then()
                .statusCode(422);

        assertThat(AuditRows.ofUser(adminId))
                .containsSubsequence(
                        "UPDATE failure deactivate.last-admin UserAccount/" + adminId,
                        "UPDATE failure roles.last-admin UserAccount/" + adminId);
        // one entry for the change, naming what was granted and what was withdrawn
        assertThat(AuditRows.ofUser(secondId))
                .containsSubsequence(
                        "ROLE_CHANGE success granted.compliance.withdrawn.admin UserAccount/"
                                + adminId,
                        "UPDATE failure deactivate.last-admin UserAccount/" + secondId,
                        "UPDATE failure roles.not-staff UserAccount/" + userId(home.patientLogin),
                        "UPDATE failure roles.no-practitioner UserAccount/" + adminId)
                .filteredOn(r -> r.startsWith("ROLE_CHANGE"))
                .hasSize(1);
        assertThat(count("select count(*) from user_role where user_id = ?", adminId)).isEqualTo(1);
    }

    @Test
    void shouldResetAPasswordOnceWithTheEmailedLinkAndEndEverySessionAndAppToken()
            throws Exception {
        UUID patient = userId(home.patientLogin);
        String address = "reset-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        identities.changeEmail(patient, address);
        WebSession open = WebSession.signIn(home.patientLogin, PracticeFixture.PASSWORD);
        String appToken = SmartApp.tokenFor(open, SmartApp.ALL_SCOPES);

        WebSession visitor = new WebSession();
        visitor.get("/login").then().statusCode(200).body(containsString("href=\"/login/forgot\""));
        visitor.get("/login/forgot").then().statusCode(200);
        String known =
                visitor.submit("/login/forgot", Map.of("email", address.toUpperCase()))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        String unknownAddress =
                "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        visitor.get("/login/forgot");
        String unknown =
                visitor.submit("/login/forgot", Map.of("email", unknownAddress))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        // the same answer either way
        assertThat(sent(known))
                .isEqualTo(sent(unknown))
                .contains("If a Bluepost login uses that address");
        visitor.get("/login/forgot");
        visitor.submit("/login/forgot", Map.of("email", "not-an-address")).then().statusCode(422);

        Mail mail =
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> mailbox.getMailsSentTo(address), m -> m.size() == 1)
                        .get(0);
        assertThat(mail.getSubject()).isEqualTo("Reset your Bluepost password");
        assertThat(mail.getText())
                .contains(home.patientLogin, "30 minutes")
                .doesNotContain("Fixture Patient");
        String link = link(mail.getText());
        assertThat(mail.getHtml()).contains("href=\"http://localhost:").contains(link);
        assertThat(mailbox.getMailsSentTo(unknownAddress)).isEmpty();
        // only the link's digest is stored
        String token = link.substring(link.indexOf('=') + 1);
        assertThat(
                        count(
                                "select count(*) from password_reset where user_id = ? and token_sha256 <> ? and used_at is null",
                                patient,
                                token))
                .isEqualTo(1);

        WebSession person = new WebSession();
        person.get(link)
                .then()
                .statusCode(200)
                .body(containsString("name=\"token\" value=\"" + token + "\""));
        person.submit(
                        "/login/reset",
                        Map.of(
                                "token",
                                token,
                                "password",
                                "river-stone-42",
                                "confirm",
                                "river-stone-43"))
                .then()
                .statusCode(422);
        person.submit(
                        "/login/reset",
                        Map.of("token", token, "password", "password1", "confirm", "password1"))
                .then()
                .statusCode(422)
                .body(containsString("common"));
        person.submit(
                        "/login/reset",
                        Map.of(
                                "token",
                                token,
                                "password",
                                "river-stone-42",
                                "confirm",
                                "river-stone-42"))
                .then()
                .statusCode(200)
                .body(containsString("id=\"reset-done\""));

        // every session and app token of the login ended
        open.get("/patient").then().statusCode(303).header("Location", containsString("/login"));
        given().header("Authorization", "Bearer " + appToken)
                .get("/fhir/" + home.patient)
                .then()
                .statusCode(401);
        attempt(home.patientLogin, PracticeFixture.PASSWORD).then().statusCode(401);
        attempt(home.patientLogin, "river-stone-42")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/patient"));

        // the link works once: used again it changes nothing
        WebSession again = new WebSession();
        again.get(link).then().statusCode(410).body(containsString("id=\"reset-invalid\""));
        again.get("/login/forgot");
        again.submit(
                        "/login/reset",
                        Map.of(
                                "token",
                                token,
                                "password",
                                "other-stone-77",
                                "confirm",
                                "other-stone-77"))
                .then()
                .statusCode(410);
        attempt(home.patientLogin, "other-stone-77").then().statusCode(401);
        attempt(home.patientLogin, "river-stone-42").then().statusCode(303);

        assertThat(AuditRows.ofUser(patient))
                .containsSubsequence(
                        "PASSWORD_RESET success link-requested Login/" + patient,
                        "PASSWORD_RESET success password-reset Login/" + patient,
                        "PASSWORD_RESET failure link-invalid Login/" + patient)
                .anyMatch(r -> r.startsWith("LOGOUT success password-reset Session/"));
        assertThat(
                        count(
                                "select count(*) from audit_event where action = 'PASSWORD_RESET' and reason_code = 'password-reset' "
                                        + "and resource_id = ?",
                                patient.toString()))
                .isEqualTo(1);
        assertThat(
                        count(
                                "select count(*) from app_consent where user_id = ? and revoked_at is null",
                                patient))
                .isZero();
    }

    @Test
    void shouldRefuseExpiredAndForgedLinksAndChangeNothing() throws Exception {
        UUID desk = userId(home.frontDeskLogin);
        String address = "desk-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        identities.changeEmail(desk, address);
        // sent by the admin this time
        WebSession adminSession = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + home.frontDeskLogin + "/send-reset", Map.of())
                .then()
                .statusCode(303)
                .header("Location", endsWith("done=reset-sent&login=" + home.frontDeskLogin));
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + admin + "/send-reset", Map.of())
                .then()
                .statusCode(422)
                .body(containsString("no e-mail address"));
        String link =
                link(
                        await().atMost(Duration.ofSeconds(20))
                                .until(() -> mailbox.getMailsSentTo(address), m -> m.size() == 1)
                                .get(0)
                                .getText());
        String token = link.substring(link.indexOf('=') + 1);

        clock.set(Instant.now().plus(Duration.ofMinutes(31)));
        WebSession late = new WebSession();
        late.get(link)
                .then()
                .statusCode(410)
                .body(
                        containsString("id=\"reset-invalid\""),
                        containsString("href=\"/login/forgot\""));
        late.get("/login/forgot");
        late.submit(
                        "/login/reset",
                        Map.of(
                                "token",
                                token,
                                "password",
                                "late-stone-42",
                                "confirm",
                                "late-stone-42"))
                .then()
                .statusCode(410);
        clock.reset();

        WebSession forger = new WebSession();
        String forged = token.substring(0, 42) + (token.charAt(42) == 'A' ? 'B' : 'A');
        forger.get("/login/reset?token=" + forged).then().statusCode(410);
        forger.get("/login/reset?token=abc").then().statusCode(410);
        forger.get("/login/reset").then().statusCode(410);
        forger.get("/login/forgot");
        forger.submit(
                        "/login/reset",
                        Map.of(
                                "token",
                                forged,
                                "password",
                                "forged-stone-42",
                                "confirm",
                                "forged-stone-42"))
                .then()
                .statusCode(410);

        // nothing changed: the old password still works, the new ones never did
        attempt(home.frontDeskLogin, "late-stone-42").then().statusCode(401);
        attempt(home.frontDeskLogin, "forged-stone-42").then().statusCode(401);
        WebSession.signIn(home.frontDeskLogin, PracticeFixture.PASSWORD)
                .get("/staff/queue")
                .then()
                .statusCode(200);
        assertThat(AuditRows.ofUser(userId(admin)))
                .contains(
                        "PASSWORD_RESET success link-sent-by-admin UserAccount/" + desk,
                        "UPDATE failure password-reset.no-address UserAccount/" + userId(admin));
        assertThat(AuditRows.ofUser(desk))
                .contains("PASSWORD_RESET failure link-invalid Login/" + desk);
        assertThat(
                        count(
                                "select count(*) from audit_event where action = 'PASSWORD_RESET' and reason_code = 'link-invalid' "
                                        + "and actor_user_id is null and occurred_at > now() - interval '5 minutes'"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldLimitResetRequestsPerAddressAndPerClientWithoutSayingSo() throws Exception {
        UUID patient = userId(home.patientLogin);
        String address = "limit-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        identities.changeEmail(patient, address);
        // an hour of its own, apart from every other test's requests from this same client address
        clock.set(Instant.now().plus(Duration.ofDays(3 + new java.util.Random().nextInt(300))));
        WebSession visitor = new WebSession();
        for (int i = 0; i < 4; i++) {
            visitor.get("/login/forgot");
            visitor.submit("/login/forgot", Map.of("email", address))
                    .then()
                    .statusCode(200)
                    .body(containsString("id=\"reset-sent\""));
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> mailbox.getMailsSentTo(address), m -> m.size() == 3);
        // six more requests reach the client's limit of ten; the eleventh sends nothing, even for a
        // known address
        for (int i = 0; i < 6; i++) {
            visitor.get("/login/forgot");
            visitor.submit(
                            "/login/forgot",
                            Map.of(
                                    "email",
                                    "other-"
                                            + i
                                            + "-"
                                            + UUID.randomUUID().toString().substring(0, 8)
                                            + "@example.org"))
                    .then()
                    .statusCode(200)
                    .body(containsString("id=\"reset-sent\""));
        }
        String lastAddress =
                "last-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        identities.changeEmail(userId(home.otherPatientLogin), lastAddress);
        visitor.get("/login/forgot");
        visitor.submit("/login/forgot", Map.of("email", lastAddress)).then().statusCode(200);
        Thread.sleep(1000); // nothing may arrive; give a wrongly sent e-mail the time to show up
        assertThat(mailbox.getMailsSentTo(address)).hasSize(3);
        assertThat(mailbox.getMailsSentTo(lastAddress)).isEmpty();
        // only the newest link works
        List<Mail> mails = mailbox.getMailsSentTo(address);
        new WebSession().get(link(mails.get(0).getText())).then().statusCode(410);
        new WebSession().get(link(mails.get(2).getText())).then().statusCode(200);
        assertThat(
                        count(
                                "select count(*) from audit_event where action = 'PASSWORD_RESET' and reason_code = 'rate-limited.address' "
                                        + "and occurred_at > now() + interval '2 days'"))
                .isEqualTo(1);
        assertThat(
                        count(
                                "select count(*) from audit_event where action = 'PASSWORD_RESET' and reason_code = 'rate-limited.client' "
                                        + "and occurred_at > now() + interval '2 days'"))
                .isEqualTo(1);
        assertThat(
                        count(
                                "select count(*) from password_reset_request where address_sha256 like '%@%' or client_sha256 like '%.%'"))
                .isZero();
    }

    @Test
    void shouldListAPersonsSessionsInWordsAndLetThemAndAnAdminEndThem() throws Exception {
        UUID desk = userId(home.frontDeskLogin);
        WebSession laptop =
                signInWith(
                        home.frontDeskLogin,
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0");
        WebSession phone =
                signInWith(
                        home.frontDeskLogin,
                        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
        String page = laptop.get("/account/sessions").then().statusCode(200).extract().asString();
        assertThat(page)
                .contains(
                        "Firefox on Windows",
                        "Safari on iPhone",
                        "This device",
                        "Your sessions",
                        "href=\"/account/sessions\"")
                .doesNotContainPattern("Mozilla/5\\.0");
        // "this device" is the laptop's row
        assertThat(page.substring(page.indexOf("id=\"current-session\"")))
                .startsWith("id=\"current-session\">")
                .contains("Firefox on Windows");
        Matcher other = Pattern.compile("name=\"session\" value=\"([0-9a-f-]{36})\"").matcher(page);
        assertThat(other.find()).isTrue();
        String phoneSession = other.group(1);

        // another person cannot end it: answered as a session that already ended
        WebSession stranger = WebSession.signIn(home.patientLogin, PracticeFixture.PASSWORD);
        stranger.get("/account/sessions");
        stranger.submit("/account/sessions/end", Map.of("session", phoneSession))
                .then()
                .statusCode(303)
                .header("Location", endsWith("ended=gone"));
        phone.get("/staff/queue").then().statusCode(200);

        laptop.submit("/account/sessions/end", Map.of("session", phoneSession))
                .then()
                .statusCode(303)
                .header("Location", endsWith("ended=1"));
        phone.get("/staff/queue")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));
        laptop.get("/account/sessions?ended=1")
                .then()
                .statusCode(200)
                .body(
                        containsString("That session was signed out."),
                        not(containsString("Safari on iPhone")));

        WebSession second =
                signInWith(
                        home.frontDeskLogin,
                        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36");
        laptop.get("/account/sessions").then().body(containsString("Chrome on Android"));
        laptop.submit("/account/sessions/end-others", Map.of())
                .then()
                .statusCode(303)
                .header("Location", endsWith("others=1"));
        second.get("/staff/queue").then().statusCode(303);
        laptop.get("/staff/queue").then().statusCode(200);

        // an admin signs the login out everywhere
        WebSession adminSession = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + home.frontDeskLogin + "/end-sessions", Map.of())
                .then()
                .statusCode(303)
                .header("Location", endsWith("done=signed-out&login=" + home.frontDeskLogin));
        laptop.get("/staff/queue")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + admin + "/end-sessions", Map.of())
                .then()
                .statusCode(422);
        adminSession.get("/admin/logins").then().statusCode(200);

        assertThat(AuditRows.ofUser(desk))
                .filteredOn(r -> r.startsWith("LOGOUT success ended-by-user Session/"))
                .hasSize(2);
        assertThat(AuditRows.ofUser(desk))
                .anyMatch(r -> r.startsWith("LOGOUT success ended-by-admin Session/"));
        assertThat(AuditRows.ofUser(userId(admin)))
                .contains(
                        "UPDATE success sessions-ended UserAccount/" + desk,
                        "UPDATE failure end-sessions.own-login UserAccount/" + userId(admin));
    }

    /** Signs in (password and second factor) from a browser that sends this User-Agent on the sign-in. */
    private static WebSession signInWith(String username, String userAgent) {
        WebSession session = new WebSession();
        session.get("/login");
        String location =
                session.submitAs(
                                userAgent,
                                "/login",
                                Map.of("username", username, "password", PracticeFixture.PASSWORD))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        assertThat(location).contains("/login/mfa");
        if (location.contains("/login/mfa/enrol")) {
            session.enrolSecondFactor(username, location);
            return session;
        }
        session.getEncoded(java.net.URI.create(location).getRawPath());
        session.submit(
                        "/login/mfa",
                        Map.of("code", dev.bluepost.testing.SecondFactor.code(username)))
                .then()
                .statusCode(303);
        return session;
    }

    private static String sent(String page) {
        int start = page.indexOf("id=\"reset-sent\"");
        return page.substring(start, page.indexOf("</div>", start));
    }

    private static String link(String text) {
        Matcher m = LINK.matcher(text);
        assertThat(m.find()).as("a reset link in the e-mail").isTrue();
        return m.group(1);
    }

    private UUID userId(String login) {
        return identities.findByUsername(login).orElseThrow().id();
    }

    private static Response attempt(String username, String password) {
        WebSession session = new WebSession();
        session.get("/login");
        return session.submit("/login", Map.of("username", username, "password", password));
    }

    private static long count(String sql, Object... parameters) throws SQLException {
        dev.bluepost.testing.AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = query.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
