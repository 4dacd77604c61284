package dev.bluepost.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A practice admin's account support on the logins page, over the real database: resetting a
 * login's second factor (TOTP and recovery codes gone, sessions ended, staff must enrol again)
 * and unlocking a locked login; both need the CSRF token, are refused to other roles and for a
 * foreign practice's logins, and every attempt is audited with who, whom and the outcome.
 */
@QuarkusTest
class AccountSupportIT {

    @Inject IdentityService identities;

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

    @Test
    void adminResetsAStaffMembersSecondFactorAndTheyMustEnrolAgain() throws Exception {
        UUID desk = userId(home.frontDeskLogin);
        UUID adminId = userId(admin);
        WebSession deskSession = WebSession.signIn(home.frontDeskLogin, PracticeFixture.PASSWORD);
        deskSession.get("/staff/queue").then().statusCode(200);
        assertThat(
                        count(
                                "select count(*) from user_totp where user_id = ? and enrolled_at is not null",
                                desk))
                .isEqualTo(1);
        assertThat(count("select count(*) from user_recovery_code where user_id = ?", desk))
                .isEqualTo(10);

        WebSession adminSession = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        adminSession
                .get("/admin/logins")
                .then()
                .statusCode(200)
                .body(
                        containsString(
                                "action=\"/admin/logins/" + home.frontDeskLogin + "/reset-mfa\""));

        // without the form's CSRF token nothing happens
        adminSession
                .submitWithoutToken("/admin/logins/" + home.frontDeskLogin + "/reset-mfa", Map.of())
                .then()
                .statusCode(403);
        assertThat(count("select count(*) from user_totp where user_id = ?", desk)).isEqualTo(1);

        adminSession
                .submit("/admin/logins/" + home.frontDeskLogin + "/reset-mfa", Map.of())
                .then()
                .statusCode(303)
                .header("Location", endsWith("/admin/logins?reset=" + home.frontDeskLogin));
        adminSession
                .get("/admin/logins?reset=" + home.frontDeskLogin)
                .then()
                .statusCode(200)
                .body(
                        containsString("id=\"support-notice\""),
                        not(
                                containsString(
                                        "action=\"/admin/logins/"
                                                + home.frontDeskLogin
                                                + "/reset-mfa\"")));
        assertThat(count("select count(*) from user_totp where user_id = ?", desk)).isZero();
        assertThat(count("select count(*) from user_recovery_code where user_id = ?", desk))
                .isZero();

        // the session opened with the old second factor is over
        deskSession
                .get("/staff/queue")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));

        // the next sign-in must enrol a new one before anything opens: the password alone reaches
        // nothing
        WebSession again = new WebSession();
        again.get("/login");
        String location =
                again.submit(
                                "/login",
                                Map.of(
                                        "username",
                                        home.frontDeskLogin,
                                        "password",
                                        PracticeFixture.PASSWORD))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        assertThat(location).contains("/login/mfa/enrol");
        again.get("/staff/queue")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));
        WebSession enrolling = new WebSession();
        enrolling.get("/login");
        location =
                enrolling
                        .submit(
                                "/login",
                                Map.of(
                                        "username",
                                        home.frontDeskLogin,
                                        "password",
                                        PracticeFixture.PASSWORD))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        assertThat(location).contains("/login/mfa/enrol");
        assertThat(enrolling.enrolSecondFactor(home.frontDeskLogin, location)).hasSize(10);
        enrolling.get("/staff/queue").then().statusCode(200);

        assertThat(AuditRows.ofUser(adminId))
                .contains("UPDATE success mfa-reset UserAccount/" + desk);
        assertThat(AuditRows.ofUser(desk))
                .anyMatch(r -> r.startsWith("LOGOUT success second-factor-reset Session/"));
        assertThat(AuditRows.ofUser(desk))
                .filteredOn(r -> r.equals("UPDATE success mfa-enrolled Login/" + desk))
                .hasSize(2);
        assertThat(
                        AuditRows.query(
                                "actor_user_id = ? and action = 'UPDATE' and resource_id = ?",
                                adminId,
                                desk.toString()))
                .as("the entry names the admin, the login and the admin's practice")
                .singleElement()
                .isEqualTo("UPDATE success mfa-reset UserAccount/" + desk);
        assertThat(
                        count(
                                "select count(*) from audit_event where actor_user_id = ? and resource_id = ? and practice_id = ? "
                                        + "and source_ip is not null and occurred_at is not null",
                                adminId,
                                desk.toString(),
                                PracticeFixture.id(home.practice)))
                .isEqualTo(1);

        // nothing left to reset: refused, and the attempt is audited too
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + home.patientLogin + "/reset-mfa", Map.of())
                .then()
                .statusCode(422)
                .body(containsString("no second factor to reset"));
        assertThat(AuditRows.ofUser(adminId))
                .contains(
                        "UPDATE failure mfa-reset.not-enrolled UserAccount/"
                                + userId(home.patientLogin));
    }

    @Test
    void adminUnlocksALockedLoginAndTheCountersStartAgain() throws Exception {
        UUID patient = userId(home.patientLogin);
        UUID adminId = userId(admin);
        for (int i = 0; i < 10; i++) {
            attempt(home.patientLogin, "wrong-password-" + i).then().statusCode(401);
        }
        attempt(home.patientLogin, PracticeFixture.PASSWORD).then().statusCode(401);

        WebSession adminSession = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        adminSession
                .get("/admin/logins")
                .then()
                .statusCode(200)
                .body(
                        containsString("Locked until"),
                        containsString(
                                "action=\"/admin/logins/" + home.patientLogin + "/unlock\""));
        adminSession
                .submitWithoutToken("/admin/logins/" + home.patientLogin + "/unlock", Map.of())
                .then()
                .statusCode(403);
        attempt(home.patientLogin, PracticeFixture.PASSWORD).then().statusCode(401);

        adminSession
                .submit("/admin/logins/" + home.patientLogin + "/unlock", Map.of())
                .then()
                .statusCode(303)
                .header("Location", endsWith("/admin/logins?unlocked=" + home.patientLogin));
        assertThat(
                        count(
                                "select count(*) from user_account where id = ? and locked_until is null and failed_logins = 0 "
                                        + "and lockouts = 0",
                                patient))
                .isEqualTo(1);
        attempt(home.patientLogin, PracticeFixture.PASSWORD)
                .then()
                .statusCode(303)
                .header("Location", endsWith("/patient"));

        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + home.patientLogin + "/unlock", Map.of())
                .then()
                .statusCode(422)
                .body(containsString("not locked"));
        assertThat(AuditRows.ofUser(adminId))
                .containsSubsequence(
                        "UPDATE success unlocked UserAccount/" + patient,
                        "UPDATE failure unlock.not-locked UserAccount/" + patient);
        assertThat(AuditRows.ofUser(patient))
                .containsSubsequence(
                        "LOGIN_FAILED failure lockout-started",
                        "LOGIN_FAILED failure account-locked",
                        "LOGIN success null");
    }

    @Test
    void onlyAnAdminOfTheSamePracticeMaySupportALogin() throws Exception {
        PracticeFixture foreign = PracticeFixture.create(identities);
        UUID foreignDesk = userId(foreign.frontDeskLogin);
        WebSession.signIn(foreign.frontDeskLogin, PracticeFixture.PASSWORD);
        for (int i = 0; i < 10; i++) {
            attempt(foreign.patientLogin, "wrong-password-" + i).then().statusCode(401);
        }
        UUID adminId = userId(admin);

        WebSession adminSession = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        adminSession
                .get("/admin/logins")
                .then()
                .statusCode(200)
                .body(not(containsString(foreign.frontDeskLogin)));
        adminSession
                .submit("/admin/logins/" + foreign.frontDeskLogin + "/reset-mfa", Map.of())
                .then()
                .statusCode(404)
                .body(not(containsString(foreign.frontDeskLogin)));
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + foreign.patientLogin + "/unlock", Map.of())
                .then()
                .statusCode(404);
        adminSession.get("/admin/logins");
        adminSession
                .submit(
                        "/admin/logins/nobody-"
                                + UUID.randomUUID().toString().substring(0, 8)
                                + "/unlock",
                        Map.of())
                .then()
                .statusCode(404);
        assertThat(count("select count(*) from user_totp where user_id = ?", foreignDesk))
                .isEqualTo(1);
        assertThat(
                        count(
                                "select count(*) from user_account where id = ? and locked_until is not null",
                                userId(foreign.patientLogin)))
                .isEqualTo(1);
        assertThat(AuditRows.ofUser(adminId))
                .containsSubsequence(
                        "UPDATE failure mfa-reset.foreign-practice UserAccount/" + foreignDesk,
                        "UPDATE failure unlock.foreign-practice UserAccount/"
                                + userId(foreign.patientLogin),
                        "UPDATE failure unlock.unknown-login");

        // an admin cannot reset their own second factor (another admin must)
        adminSession.get("/admin/logins");
        adminSession
                .submit("/admin/logins/" + admin + "/reset-mfa", Map.of())
                .then()
                .statusCode(422);
        assertThat(
                        count(
                                "select count(*) from user_totp where user_id = ? and enrolled_at is not null",
                                adminId))
                .isEqualTo(1);

        // other roles are refused before anything happens
        for (String login :
                new String[] {home.frontDeskLogin, home.providerLogin, home.patientLogin}) {
            WebSession other = WebSession.signIn(login, PracticeFixture.PASSWORD);
            other.get("/account/security");
            other.submit("/admin/logins/" + home.otherPatientLogin + "/unlock", Map.of())
                    .then()
                    .statusCode(403);
            other.submit("/admin/logins/" + home.frontDeskLogin + "/reset-mfa", Map.of())
                    .then()
                    .statusCode(403);
        }
        assertThat(
                        count(
                                "select count(*) from user_totp where user_id = ?",
                                userId(home.frontDeskLogin)))
                .isEqualTo(1);
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
