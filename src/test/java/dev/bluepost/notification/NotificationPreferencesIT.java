package dev.bluepost.notification;

import static dev.bluepost.notification.NotificationChecks.uniqueAddress;
import static dev.bluepost.notification.NotificationChecks.userId;
import static dev.bluepost.testing.Builders.aPatient;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * Everyone signed in sets their notification address and frequency on /account/notifications
 * (CSRF-protected); a patient's login falls back to the address on their record; admins and the
 * provisioning API can give a new login its address.
 */
@QuarkusTest
class NotificationPreferencesIT {

    @Inject IdentityService identities;

    @Inject NotificationService notifications;

    @Test
    void shouldLetThePatientChooseAddressAndFrequency_withTheRecordsAddressAsFallback() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String recordAddress = uniqueAddress("record");
        Patient withEmail = aPatient(practice.practice);
        withEmail
                .addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                .setValue(recordAddress);
        UUID patientRecord = UUID.fromString(Api.create(withEmail));
        String login = "pat-" + UUID.randomUUID().toString().substring(0, 8);
        UUID user =
                identities.createUser(
                        new IdentityService.NewUser(
                                login,
                                PracticeFixture.PASSWORD,
                                "A Patient",
                                Set.of(Role.PATIENT),
                                null,
                                null,
                                patientRecord,
                                Set.of()));
        assertThat(identities.contactEmail(user)).contains(recordAddress);

        WebSession session = WebSession.signIn(login, PracticeFixture.PASSWORD);
        session.get("/patient")
                .then()
                .statusCode(200)
                .body(containsString("href=\"/account/notifications\""));
        session.get("/account/notifications")
                .then()
                .statusCode(200)
                .body(containsString("name=\"_csrf\""), containsString(">How often</legend>"))
                .body(containsString("value=\"EACH_MESSAGE\" required"))
                .body(containsString("aria-describedby=\"help-EACH_MESSAGE\" checked"))
                .body(
                        containsString("address on your patient record:"),
                        containsString(recordAddress + "."));

        String own = uniqueAddress("own");
        session.submit("/account/notifications", Map.of("email", own, "frequency", "DAILY_DIGEST"))
                .then()
                .statusCode(303)
                .header("Location", containsString("/account/notifications?saved=1"));
        session.get("/account/notifications?saved=1")
                .then()
                .statusCode(200)
                .body(containsString("settings are saved"), containsString("value=\"" + own + "\""))
                .body(containsString("aria-describedby=\"help-DAILY_DIGEST\" checked"));
        assertThat(notifications.frequencyOf(user)).isEqualTo(Frequency.DAILY_DIGEST);
        assertThat(identities.contactEmail(user)).contains(own);

        // refused: a malformed address (nothing changes), a form without its CSRF token, an unknown
        // frequency
        session.submit(
                        "/account/notifications",
                        Map.of("email", "not an address", "frequency", "NONE"))
                .then()
                .statusCode(422)
                .body(containsString("role=\"alert\""), containsString("Enter one e-mail address"));
        session.submitWithoutToken(
                        "/account/notifications", Map.of("email", "", "frequency", "NONE"))
                .then()
                .statusCode(403);
        session.submit("/account/notifications", Map.of("email", own, "frequency", "HOURLY"))
                .then()
                .statusCode(422);
        assertThat(notifications.frequencyOf(user)).isEqualTo(Frequency.DAILY_DIGEST);
        assertThat(identities.contactEmail(user)).contains(own);

        // an empty address falls back to the record's again
        session.get("/account/notifications");
        session.submit("/account/notifications", Map.of("email", " ", "frequency", "NONE"))
                .then()
                .statusCode(303);
        assertThat(identities.contactEmail(user)).contains(recordAddress);
        assertThat(notifications.frequencyOf(user)).isEqualTo(Frequency.NONE);
    }

    @Test
    void shouldTellStaffThatTheirNotificationsAreOffAndKeepStrangersOut() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/account/notifications")
                .then()
                .statusCode(200)
                .body(containsString("switched off for this practice"));
        desk.submit(
                        "/account/notifications",
                        Map.of("email", "desk@example.org", "frequency", "EACH_MESSAGE"))
                .then()
                .statusCode(303);
        assertThat(identities.contactEmail(userId(identities, practice.frontDeskLogin)))
                .contains("desk@example.org");

        given().redirects()
                .follow(false)
                .get("/account/notifications")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));
    }

    @Test
    void shouldGiveNewLoginsAnAddressThroughTheApiAndTheAdminPage() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String admin = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        String adminAddress = uniqueAddress("admin");
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
                                practice.practice,
                                "email",
                                adminAddress))
                .post("/api/logins")
                .then()
                .statusCode(201)
                .body("email", equalTo(adminAddress));
        api().body(
                        Map.of(
                                "username",
                                admin + "-x",
                                "displayName",
                                "Admin",
                                "role",
                                "ADMIN",
                                "password",
                                "a-long-password",
                                "practice",
                                practice.practice,
                                "email",
                                "two@example.org, three@example.org"))
                .post("/api/logins")
                .then()
                .statusCode(422)
                .body("detail", not(containsString("three@")));

        WebSession session = WebSession.signIn(admin, "a-long-password");
        session.get("/admin/logins").then().statusCode(200).body(containsString("name=\"email\""));
        String login = "desk2-" + UUID.randomUUID().toString().substring(0, 6);
        String address = uniqueAddress("desk2");
        session.submit(
                        "/admin/logins",
                        Map.of(
                                "username",
                                login,
                                "displayName",
                                "Second Desk",
                                "role",
                                "FRONT_DESK",
                                "record",
                                practice.staff,
                                "password",
                                "desk-password-1",
                                "email",
                                address))
                .then()
                .statusCode(303);
        session.get("/admin/logins?created=" + login)
                .then()
                .statusCode(200)
                .body(containsString(address));
        assertThat(identities.contactEmail(userId(identities, login))).contains(address);
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer " + Api.token())
                .contentType("application/json");
    }
}
