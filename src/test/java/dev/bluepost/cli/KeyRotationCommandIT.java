package dev.bluepost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.bluepost.testing.LogTailOnFailure;
import dev.bluepost.testing.PackagedApp;
import dev.bluepost.testing.PackagedApp.CommandResult;
import dev.bluepost.testing.PackagedStack;
import dev.bluepost.testing.RemotePractice;
import dev.bluepost.testing.SecondFactor;
import dev.bluepost.testing.WebSession;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's rotation procedure on the packaged application (docs/operations.md): messages are
 * stored under one KEK; the new KEK becomes active with the old one retired; {@code rotate-kek}
 * re-wraps every data key (bodies and TOTP secrets untouched) and exits 0, also while the server
 * runs beside it; {@code verify-audit} finds the chain intact; the application reads the messages
 * under the new KEK, and a staff member signs in with their authenticator app as before.
 */
class KeyRotationCommandIT {

    private static final Path WORK = Path.of("target", "it", "key-rotation");
    private static final String PASSWORD = "rotation-password-1";

    @RegisterExtension static final LogTailOnFailure LOGS = new LogTailOnFailure();

    private static PackagedStack stack;

    @BeforeAll
    static void startInfrastructure() {
        stack = PackagedStack.start(WORK, LOGS);
    }

    @AfterAll
    static void stopInfrastructure() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldRewrapEveryDataKeyUnderTheNewKekAndExitZero() throws Exception {
        PackagedApp app = stack.app;
        app.start();
        RemotePractice clinic = RemotePractice.create(app);
        String first = app.create(clinic.message());
        app.create(clinic.message());
        String admin = "rotation-admin-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        app.given()
                .header("Authorization", "Bearer " + app.token())
                .contentType("application/json")
                .body(
                        java.util.Map.of(
                                "username",
                                admin,
                                "displayName",
                                "Rotation Admin",
                                "role",
                                "ADMIN",
                                "password",
                                PASSWORD,
                                "practice",
                                clinic.practice()))
                .post("/api/logins")
                .then()
                .statusCode(201);
        int port = RestAssured.port;
        RestAssured.port = app.port();
        try {
            // the first sign-in of a staff login enrols its authenticator app (the secret is sealed
            // under a data key)
            WebSession.signIn(admin, PASSWORD).get("/admin/logins").then().statusCode(200);
        } finally {
            RestAssured.port = port;
        }
        app.stop();
        String totpBefore = totpCiphertext(admin);
        String note = staffNoteSealedLikeTheThread();
        String ciphertextsBefore = ciphertexts();
        String noteBefore = noteCiphertext(note);

        String oldKekId = app.environment("BLUEPOST_KEK_ID");
        String retired =
                "bluepost.crypto.retired-keks." + oldKekId + "=" + app.environment("BLUEPOST_KEK");
        app.setEnvironment("BLUEPOST_KEK", randomKek());
        app.setEnvironment("BLUEPOST_KEK_ID", "kek-it-2");

        CommandResult rotated = app.runCommand(List.of(retired), "rotate-kek", "--batch-size=1");

        assertThat(rotated.exitStatus()).as(rotated.output()).isZero();
        assertThat(rotated.output())
                .contains(
                        "rotate-kek: active KEK kek-it-2; re-wrapped 4 data keys in 4 batches; failed 0; still wrapped by other KEKs 0")
                .contains("rotate-kek: complete.")
                .doesNotContain(RemotePractice.TEXT);
        assertThat(count("select count(*) from message_thread where dek_kek_id <> 'kek-it-2'"))
                .isZero();
        assertThat(ciphertexts())
                .as("no body, IV or digest byte changed")
                .isEqualTo(ciphertextsBefore);
        assertThat(count("select count(*) from triage_note where dek_kek_id <> 'kek-it-2'"))
                .as("notes' data keys too")
                .isZero();
        assertThat(noteCiphertext(note)).as("the note's body untouched").isEqualTo(noteBefore);
        assertThat(count("select count(*) from user_totp where dek_kek_id <> 'kek-it-2'"))
                .as("TOTP secrets' data keys too")
                .isZero();
        assertThat(totpCiphertext(admin))
                .as("the sealed TOTP secret untouched")
                .isEqualTo(totpBefore);
        assertThat(
                        count(
                                "select count(*) from audit_event where action = 'KEY_ROTATION' and resource_id = 'kek-it-2' "
                                        + "and outcome = 'success'"))
                .isEqualTo(1);

        app.start(retired);
        app.fhir()
                .get("/fhir/" + first)
                .then()
                .statusCode(200)
                .body("payload[0].contentString", equalTo(RemotePractice.TEXT));
        RestAssured.port = app.port();
        try {
            // the second factor still opens under the new KEK: password, then a code from the same
            // authenticator app
            WebSession session = new WebSession();
            session.get("/login").then().statusCode(200);
            session.submit("/login", java.util.Map.of("username", admin, "password", PASSWORD))
                    .then()
                    .statusCode(303)
                    .header("Location", endsWith("/login/mfa"));
            session.get("/login/mfa").then().statusCode(200);
            session.submit("/login/mfa", java.util.Map.of("code", SecondFactor.code(admin)))
                    .then()
                    .statusCode(303)
                    .header("Location", not(containsString("/login")));
            session.get("/admin/logins").then().statusCode(200);
        } finally {
            RestAssured.port = port;
        }
        // an import job the running server is working on is its own: a command beside it leaves it
        // alone
        java.util.UUID job = java.util.UUID.randomUUID();
        try (Connection db = stack.postgres.connect();
                PreparedStatement s =
                        db.prepareStatement(
                                "insert into encounter_import_job "
                                        + "(id, source, state, bytes, requested_by, submitted_at, started_at) values (?, 'FHIR', 'RUNNING', 10, 'test', now(), now())")) {
            s.setObject(1, job);
            s.executeUpdate();
        }
        CommandResult again = app.runCommand(List.of(retired), "rotate-kek");
        assertThat(again.exitStatus())
                .as("beside the running server (no HTTP listener of its own)" + again.output())
                .isZero();
        assertThat(again.output()).contains("re-wrapped 0 data keys");

        CommandResult verified = app.runCommand(List.of(), "verify-audit");
        assertThat(verified.exitStatus()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("verify-audit: audit chain intact");
        try (Connection db = stack.postgres.connect();
                PreparedStatement s =
                        db.prepareStatement(
                                "select state from encounter_import_job where id = ?")) {
            s.setObject(1, job);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1))
                        .as("the commands did not take over the server's import job")
                        .isEqualTo("RUNNING");
            }
        }
        app.stop();
    }

    private static String ciphertexts() throws SQLException {
        try (Connection db = stack.postgres.connect();
                Statement sql = db.createStatement();
                ResultSet rows =
                        sql.executeQuery(
                                """
                     select string_agg(encode(m.body_iv, 'hex') || encode(m.body_ciphertext, 'hex') || encode(m.body_sha256, 'hex'),
                                       ',' order by m.id) from message m""")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /**
     * A triage internal note as the console stores it (sealed under a data key wrapped by the KEK):
     * the note takes a copy of the thread's wrapped data key and a message's sealed body, which is
     * what a note sealed under the old KEK looks like to the rotation.
     */
    private static String staffNoteSealedLikeTheThread() throws SQLException {
        String id = java.util.UUID.randomUUID().toString();
        try (Connection db = stack.postgres.connect();
                Statement sql = db.createStatement()) {
            sql.executeUpdate(
                    """
                    insert into triage_note (id, practice_id, thread_id, author_name, dek_kek_id, dek_wrapped, body_iv,
                                             body_ciphertext, body_sha256, created_at)
                    select '%s', t.practice_id, t.id, 'Front desk', t.dek_kek_id, t.dek_wrapped, m.body_iv, m.body_ciphertext,
                           m.body_sha256, now()
                    from message_thread t join message m on m.thread_id = t.id order by m.id limit 1"""
                            .formatted(id));
        }
        return id;
    }

    private static String noteCiphertext(String id) throws SQLException {
        try (Connection db = stack.postgres.connect();
                Statement sql = db.createStatement();
                ResultSet rows =
                        sql.executeQuery(
                                "select encode(body_iv, 'hex') || encode(body_ciphertext, 'hex') from triage_note "
                                        + "where id = '"
                                        + id
                                        + "'")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String totpCiphertext(String username) throws SQLException {
        try (Connection db = stack.postgres.connect();
                Statement sql = db.createStatement();
                ResultSet rows =
                        sql.executeQuery(
                                "select encode(t.secret_iv, 'hex') || encode(t.secret_ciphertext, 'hex') "
                                        + "|| encode(t.secret_sha256, 'hex') from user_totp t join user_account u on u.id = t.user_id "
                                        + "where t.enrolled_at is not null and u.username = '"
                                        + username
                                        + "'")) {
            assertThat(rows.next()).as("an enrolled TOTP secret of " + username).isTrue();
            return rows.getString(1);
        }
    }

    private static long count(String query) {
        // the packaged server and the commands link their audit journal into the chain themselves
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(
                        () ->
                                stack.postgres.queryForLong("select count(*) from audit_journal")
                                        == 0);
        return stack.postgres.queryForLong(query);
    }

    private static String randomKek() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
