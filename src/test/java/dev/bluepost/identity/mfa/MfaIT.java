package dev.bluepost.identity.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SecondFactor;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TOTP second factor (RFC 6238) over the real database: required for staff (a staff login without
 * it is refused and sent to enrolment), offered to patients; QR enrolment, replay refused,
 * single-use recovery codes; all of it audited.
 */
@QuarkusTest
class MfaIT {

    @Inject IdentityService identities;

    private PracticeFixture practice;

    @BeforeEach
    void createPractice() {
        practice = PracticeFixture.create(identities);
    }

    @Test
    void staffLoginWithoutSecondFactorIsRefusedUntilEnrolled() {
        UUID desk = identities.findByUsername(practice.frontDeskLogin).orElseThrow().id();
        WebSession session = new WebSession();
        session.get("/login");
        String location =
                session.submit(
                                "/login",
                                Map.of(
                                        "username",
                                        practice.frontDeskLogin,
                                        "password",
                                        PracticeFixture.PASSWORD))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        assertThat(location).contains("/login/mfa/enrol");

        // the password alone signs in nothing: staff pages and the API refuse the half-open session
        session.get("/staff/queue")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login?next="));
        session.get("/account/security")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));
        assertThat(AuditRows.ofUser(desk)).noneMatch(r -> r.startsWith("LOGIN success"));

        // the enrolment page: a QR code drawn on the server (SVG; no script draws it: the page's
        // only scripts are the
        // layout's own files) and the key to type
        session = new WebSession();
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
        Response page = session.get("/login/mfa/enrol");
        page.then()
                .statusCode(200)
                .body(
                        containsString("<svg"),
                        containsString("id=\"mfa-secret\""),
                        not(containsString("<script>")));
        assertThat(
                        java.util.regex.Pattern.compile("<script src=\"([^\"]+)\"")
                                .matcher(page.asString())
                                .results()
                                .map(m -> m.group(1)))
                .allMatch(src -> src.startsWith("/uswds/js/") || src.startsWith("/js/"));
        String secret = page.asString().replaceAll("(?s).*id=\"mfa-secret\">([A-Z2-7]+)<.*", "$1");
        assertThat(secret).hasSize(32);
        session.submit("/login/mfa/enrol", Map.of("code", "000000"))
                .then()
                .statusCode(422)
                .body(containsString("not right"));

        SecondFactor.remember(practice.frontDeskLogin, secret);
        Response codes =
                session.submit(
                        "/login/mfa/enrol",
                        Map.of("code", SecondFactor.code(practice.frontDeskLogin)));
        codes.then().statusCode(200).header("Cache-Control", containsString("no-store"));
        List<String> recovery =
                java.util.regex.Pattern.compile("<li><code>([a-z0-9-]+)</code></li>")
                        .matcher(codes.asString())
                        .results()
                        .map(m -> m.group(1))
                        .toList();
        assertThat(recovery)
                .hasSize(10)
                .allMatch(c -> c.matches("[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}"));
        session.get("/staff/queue").then().statusCode(200);

        assertThat(AuditRows.ofUser(desk))
                .containsSubsequence(
                        "UPDATE failure mfa-enrolment-code-invalid Login/" + desk,
                        "UPDATE success mfa-enrolled Login/" + desk,
                        "LOGIN success mfa-enrolled");
        // only Argon2id hashes of the recovery codes are stored, and the secret only sealed
        assertThat(
                        storedText(
                                "select string_agg(lookup || ' ' || code_hash, ',') from user_recovery_code where user_id = ?",
                                desk))
                .contains("$argon2id$")
                .doesNotContain(recovery.get(0).substring(5));
        assertThat(
                        storedText(
                                "select encode(secret_ciphertext, 'escape') || encode(secret_ciphertext, 'hex') from user_totp where user_id = ?",
                                desk))
                .doesNotContain(secret)
                .doesNotContain(java.util.HexFormat.of().formatHex(Totp.fromBase32(secret)));
    }

    @Test
    void enrolledLoginNeedsTheCodeEachTimeAndACodeWorksOnce() {
        UUID doc = identities.findByUsername(practice.providerLogin).orElseThrow().id();
        WebSession.signIn(practice.providerLogin, PracticeFixture.PASSWORD)
                .get("/staff/queue")
                .then()
                .statusCode(200);

        WebSession session = new WebSession();
        session.get("/login");
        session.submit(
                        "/login",
                        Map.of(
                                "username",
                                practice.providerLogin,
                                "password",
                                PracticeFixture.PASSWORD))
                .then()
                .statusCode(303)
                .header("Location", endsWith("/login/mfa"));
        session.get("/staff/queue").then().statusCode(303);
        session = new WebSession();
        session.get("/login");
        session.submit(
                        "/login",
                        Map.of(
                                "username",
                                practice.providerLogin,
                                "password",
                                PracticeFixture.PASSWORD))
                .then()
                .statusCode(303);
        session.get("/login/mfa").then().statusCode(200).body(containsString("authenticator app"));
        session.submit("/login/mfa", Map.of("code", "12345"))
                .then()
                .statusCode(401)
                .body(containsString("not right"));
        String code = SecondFactor.code(practice.providerLogin);
        session.submit("/login/mfa", Map.of("code", code))
                .then()
                .statusCode(303)
                .header("Location", endsWith("/staff/queue"));
        session.get("/staff/queue").then().statusCode(200);

        // the same code again (replay) is refused
        WebSession replay = new WebSession();
        replay.get("/login");
        replay.submit(
                        "/login",
                        Map.of(
                                "username",
                                practice.providerLogin,
                                "password",
                                PracticeFixture.PASSWORD))
                .then()
                .statusCode(303);
        replay.get("/login/mfa");
        replay.submit("/login/mfa", Map.of("code", code)).then().statusCode(401);

        assertThat(AuditRows.ofUser(doc))
                .containsSubsequence(
                        "LOGIN_FAILED failure mfa-code-invalid",
                        "LOGIN success totp",
                        "LOGIN_FAILED failure mfa-code-invalid");
    }

    @Test
    void recoveryCodeSignsInOnceAndIsAudited() {
        WebSession first = new WebSession();
        first.get("/login");
        String enrol =
                first.submit(
                                "/login",
                                Map.of(
                                        "username",
                                        practice.frontDeskLogin,
                                        "password",
                                        PracticeFixture.PASSWORD))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        List<String> codes = first.enrolSecondFactor(practice.frontDeskLogin, enrol);
        assertThat(codes).hasSize(10);
        UUID desk = identities.findByUsername(practice.frontDeskLogin).orElseThrow().id();

        for (int attempt = 0; attempt < 2; attempt++) {
            WebSession session = new WebSession();
            session.get("/login");
            session.submit(
                    "/login",
                    Map.of(
                            "username",
                            practice.frontDeskLogin,
                            "password",
                            PracticeFixture.PASSWORD));
            session.get("/login/mfa");
            Response answer =
                    session.submit("/login/mfa", Map.of("code", codes.get(3).toUpperCase()));
            if (attempt == 0) {
                answer.then()
                        .statusCode(303)
                        .header("Location", endsWith("/account/security?recoveryUsed=1"));
                session.get("/account/security?recoveryUsed=1")
                        .then()
                        .statusCode(200)
                        .body(
                                containsString("recovery code"),
                                containsString("Unused recovery codes: 9"));
            } else {
                answer.then().statusCode(401);
            }
        }
        assertThat(AuditRows.ofUser(desk))
                .containsSubsequence(
                        "LOGIN success recovery-code", "LOGIN_FAILED failure mfa-code-invalid");
    }

    @Test
    void patientsMayTurnItOnAndOff() {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/account/security")
                .then()
                .statusCode(200)
                .body(containsString("Set up an authenticator app"));
        List<String> codes = patient.enrolSecondFactor(practice.patientLogin, "/login/mfa/enrol");
        assertThat(codes).hasSize(10);
        patient.get("/account/security")
                .then()
                .statusCode(200)
                .body(containsString("Unused recovery codes: 10"));

        WebSession again = new WebSession();
        again.get("/login");
        again.submit(
                        "/login",
                        Map.of(
                                "username",
                                practice.patientLogin,
                                "password",
                                PracticeFixture.PASSWORD))
                .then()
                .statusCode(303)
                .header("Location", endsWith("/login/mfa"));
        WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD)
                .get("/patient")
                .then()
                .statusCode(200);

        patient.get("/account/security");
        patient.submit("/account/security/remove-mfa", Map.of("code", "999999"))
                .then()
                .statusCode(422);
        patient.submit(
                        "/account/security/remove-mfa",
                        Map.of("code", SecondFactor.code(practice.patientLogin)))
                .then()
                .statusCode(303);
        WebSession plain = new WebSession();
        plain.get("/login");
        plain.submit(
                        "/login",
                        Map.of(
                                "username",
                                practice.patientLogin,
                                "password",
                                PracticeFixture.PASSWORD))
                .then()
                .statusCode(303)
                .header("Location", endsWith("/patient"));
        UUID user = identities.findByUsername(practice.patientLogin).orElseThrow().id();
        assertThat(AuditRows.ofUser(user))
                .contains(
                        "UPDATE success mfa-enrolled Login/" + user,
                        "UPDATE success mfa-removed Login/" + user);
    }

    private static String storedText(String sql, UUID user) {
        try (var db = dev.bluepost.testing.EmbeddedPostgresResource.dataSource().getConnection();
                var query = db.prepareStatement(sql)) {
            query.setObject(1, user);
            try (var r = query.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void staffCannotTurnItOff() {
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/account/security")
                .then()
                .statusCode(200)
                .body(not(containsString("remove-mfa")));
        desk.submit(
                        "/account/security/remove-mfa",
                        Map.of("code", SecondFactor.code(practice.frontDeskLogin)))
                .then()
                .statusCode(403);
    }
}
