package dev.bluepost.identity.apps;

import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aProxy;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SmartApp;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The "Connected apps" page (/account/apps): a patient or proxy who connected an app through the
 * authorization-code flow sees it in words (name, abilities, whose record, authorized, last used),
 * disconnects it (CSRF-protected, one audit entry), and its token fails at once; nobody can end
 * another person's connection; ended connections are listed with why, and the table is purged.
 */
@QuarkusTest
class ConnectedAppsIT {

    private static final Pattern CONSENT =
            Pattern.compile("name=\"consent\" value=\"([0-9a-f-]{36})\"");

    @Inject IdentityService identities;

    @Inject DirectoryService directory;

    @Inject AppAuthorizationService authorizations;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldListTheAppRecordItsUseAndStopItsTokenAtOnceWhenDisconnected() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        person.get("/account/apps")
                .then()
                .statusCode(200)
                .body(containsString("No app is connected"));
        String token = SmartApp.tokenFor(person, SmartApp.ALL_SCOPES);
        UUID consent =
                UUID.fromString(
                        single(
                                "select c.id::text from app_consent c join user_account u on u.id = c.user_id "
                                        + "where u.username = ?",
                                practice.patientLogin));
        PracticeTimeFormat time =
                PracticeTimeFormat.of(
                        directory
                                .practice(PracticeFixture.id(practice.practice))
                                .orElseThrow()
                                .zone(),
                        Locale.ENGLISH);

        Response page = person.get("/account/apps");
        page.then()
                .statusCode(200)
                .body(containsString("Test Health App"))
                .body(not(containsString(SmartApp.CLIENT_ID)))
                .body(containsString("Read your messages with the care team"))
                .body(containsString("Send messages to your care team for you"))
                .body(containsString("See your patient record details"))
                .body(
                        containsString(
                                directory
                                        .patient(PracticeFixture.id(practice.patient))
                                        .orElseThrow()
                                        .displayName()))
                .body(
                        containsString(
                                "Authorized:</span> "
                                        + time.when(
                                                instant(
                                                        "select created_at from app_consent where id = ?",
                                                        consent))))
                .body(containsString("Last used:</span> Not used yet"))
                .body(containsString("recorded to within 5 minutes"));
        assertThat(consentIn(page.asString())).isEqualTo(consent.toString());

        // a FHIR call: its use is written in the background, and the page shows it
        given().header("Authorization", "Bearer " + token)
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                instant(
                                                "select last_used_at from app_consent where id = ?",
                                                consent)
                                        != null);
        Instant used = instant("select last_used_at from app_consent where id = ?", consent);
        person.get("/account/apps")
                .then()
                .statusCode(200)
                .body(containsString("Last used:</span> " + time.when(used)));

        // without the form's CSRF token nothing happens
        person.submitWithoutToken("/account/apps/disconnect", Map.of("consent", consent.toString()))
                .then()
                .statusCode(403);
        assertThat(instant("select revoked_at from app_consent where id = ?", consent)).isNull();
        given().header("Authorization", "Bearer " + token)
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(200);

        person.submit("/account/apps/disconnect", Map.of("consent", consent.toString()))
                .then()
                .statusCode(303)
                .header("Location", endsWith("/account/apps"));
        // the same token, on its very next request
        given().header("Authorization", "Bearer " + token)
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(401);
        person.get("/account/apps")
                .then()
                .statusCode(200)
                .body(containsString("The app was disconnected"))
                .body(containsString("No app is connected"))
                .body(containsString("Recently ended"))
                .body(containsString("You disconnected it"))
                .body(not(containsString("name=\"consent\"")));
        assertThat(
                        count(
                                "select count(*) from audit_event where action = 'UPDATE' and reason_code = 'app-disconnected' "
                                        + "and resource_type = 'AppConsent' and resource_id = ?",
                                consent.toString()))
                .isEqualTo(1);

        // again: it had ended, nothing more is written
        person.submit("/account/apps/disconnect", Map.of("consent", consent.toString()))
                .then()
                .statusCode(303);
        person.get("/account/apps").then().body(containsString("already ended"));
        assertThat(
                        count(
                                "select count(*) from audit_event where reason_code = 'app-disconnected' and resource_id = ?",
                                consent.toString()))
                .isEqualTo(1);
    }

    @Test
    void shouldNotLetAnybodyEndAnotherPersonsConnection() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession owner = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String token = SmartApp.tokenFor(owner, SmartApp.ALL_SCOPES);
        String consent = consentIn(owner.get("/account/apps").asString());

        WebSession other = WebSession.signIn(practice.otherPatientLogin, PracticeFixture.PASSWORD);
        other.get("/account/apps")
                .then()
                .statusCode(200)
                .body(not(containsString(consent)))
                .body(not(containsString("Test Health App")));
        other.submit("/account/apps/disconnect", Map.of("consent", consent)).then().statusCode(404);
        other.submit("/account/apps/disconnect", Map.of("consent", "not-an-id"))
                .then()
                .statusCode(400)
                .body(containsString("Choose an app to disconnect"));
        assertThat(instant("select revoked_at from app_consent where id = ?::uuid", consent))
                .isNull();
        given().header("Authorization", "Bearer " + token)
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(200);
        assertThat(
                        count(
                                "select count(*) from audit_event where reason_code = 'app-disconnected' and resource_id = ?",
                                consent))
                .isZero();

        // staff authorize no apps: the page is not theirs
        WebSession staff = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        assertThat(staff.get("/account/apps").statusCode()).isIn(403, 302, 303);
    }

    @Test
    void shouldShowAProxyTheAppsTheyAuthorizedForWhomAndInSpanish() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String child = "Patient/" + Api.create(aPatient(practice.practice));
        String forChild = Api.create(aProxy(child));
        String login = "parent-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "A Parent",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(UUID.fromString(forChild))));
        WebSession parent = WebSession.signIn(login, PracticeFixture.PASSWORD);
        SmartApp app = new SmartApp();
        String code =
                app.approve(parent, "patient/Communication.rs", Map.of("relatedPerson", forChild));
        app.exchange(code).then().statusCode(200);

        parent.get("/account/apps")
                .then()
                .statusCode(200)
                .body(containsString("Test Health App"))
                .body(containsString("messages with the care team"))
                .body(not(containsString("Send messages")))
                .body(
                        containsString(
                                directory
                                        .patient(PracticeFixture.id(child))
                                        .orElseThrow()
                                        .displayName()));
        parent.submit("/language", Map.of("language", "es", "back", "/account/apps"))
                .then()
                .statusCode(303);
        parent.get("/account/apps")
                .then()
                .statusCode(200)
                .body(containsString("Aplicaciones conectadas"))
                .body(containsString("con el equipo de atención"))
                .body(containsString("Desconectar"));
    }

    @Test
    void shouldSayWhyAConnectionEndedWhenThePasswordWasChanged() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String token = SmartApp.tokenFor(person, "patient/Communication.rs");
        UUID login = identities.findByUsername(practice.patientLogin).orElseThrow().id();
        identities.changePassword(login, null, PracticeFixture.PASSWORD, "a-new-password-42");

        given().header("Authorization", "Bearer " + token)
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(401);
        WebSession again = WebSession.signIn(practice.patientLogin, "a-new-password-42");
        again.get("/account/apps")
                .then()
                .statusCode(200)
                .body(containsString("No app is connected"))
                .body(containsString("Test Health App"))
                .body(containsString("Your password was changed"));
    }

    @Test
    void shouldListAnExpiredConnectionAsEndedAndPurgeItAfterThirtyDays() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        SmartApp.tokenFor(person, SmartApp.ALL_SCOPES);
        String consent = consentIn(person.get("/account/apps").asString());

        // two hours later (moving the consent back, not the clock, keeps the person's session)
        update(
                "update app_consent set created_at = created_at - interval '2 hours', "
                        + "token_issued_at = token_issued_at - interval '2 hours' where id = ?::uuid",
                consent);
        person.get("/account/apps")
                .then()
                .statusCode(200)
                .body(containsString("No app is connected"))
                .body(containsString("Its access ran out after 60 minutes"));
        person.submit("/account/apps/disconnect", Map.of("consent", consent))
                .then()
                .statusCode(303);
        assertThat(instant("select revoked_at from app_consent where id = ?::uuid", consent))
                .isNull();

        authorizations.purgeOldConsents();
        assertThat(count("select count(*) from app_consent where id = ?::uuid", consent))
                .isEqualTo(1);
        clock.advance(Duration.ofDays(31));
        authorizations.purgeOldConsents();
        assertThat(count("select count(*) from app_consent where id = ?::uuid", consent)).isZero();
    }

    private static String consentIn(String html) {
        Matcher m = CONSENT.matcher(html);
        assertThat(m.find()).as("a Disconnect form").isTrue();
        return m.group(1);
    }

    private static String single(String sql, Object... parameters) throws SQLException {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = query.executeQuery()) {
                assertThat(r.next()).isTrue();
                String value = r.getString(1);
                assertThat(r.next()).as("one row").isFalse();
                return value;
            }
        }
    }

    private static Instant instant(String sql, Object parameter) throws SQLException {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet r = query.executeQuery()) {
                assertThat(r.next()).isTrue();
                Timestamp t = r.getTimestamp(1);
                return t == null ? null : t.toInstant();
            }
        }
    }

    private static void update(String sql, Object parameter) throws SQLException {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, parameter);
            assertThat(query.executeUpdate()).isEqualTo(1);
        }
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
