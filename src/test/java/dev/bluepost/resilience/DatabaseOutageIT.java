package dev.bluepost.resilience;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.testing.ExternalKafkaBroker;
import dev.bluepost.testing.LogTailOnFailure;
import dev.bluepost.testing.PackagedApp;
import dev.bluepost.testing.PackagedStack;
import dev.bluepost.testing.RemotePractice;
import dev.bluepost.testing.RestartablePostgres;
import dev.bluepost.testing.SteadyLoad;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance: "With PostgreSQL unreachable, requests get 503 with Retry-After, never a 500, and the
 * app recovers without a restart." The packaged application keeps running while the PostgreSQL
 * server (a child process) is stopped and started again on the same port and data directory.
 */
class DatabaseOutageIT {

    private static final Path WORK = Path.of("target", "it", "database-outage");

    /** What must never reach a client: stack frames, exception or Java class names, SQL driver texts. */
    private static final List<String> INTERNALS =
            List.of(
                    "Exception",
                    "\tat ",
                    "Caused by",
                    "java.",
                    "javax.",
                    "jakarta.",
                    "org.hibernate",
                    "org.postgresql",
                    "io.quarkus",
                    "io.agroal",
                    "dev.bluepost.",
                    "PSQL",
                    "SQLState",
                    "Connection to");

    private static final String CSRF = "csrf-token-for-the-database-outage-test-0123456789";

    @RegisterExtension static final LogTailOnFailure LOGS = new LogTailOnFailure();

    private static PackagedStack stack;
    private static RestartablePostgres postgres;
    private static ExternalKafkaBroker kafka;
    private static PackagedApp app;
    private static RemotePractice clinic;

    @BeforeAll
    static void start() {
        stack = PackagedStack.start(WORK, LOGS);
        postgres = stack.postgres;
        kafka = stack.kafka;
        app = stack.app;
        app.start();
        clinic = RemotePractice.create(app);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileDatabaseIsDownAndRecoverWithoutRestart() {
        postgres.stop();

        // the first round meets the pooled connections the server has closed, the second finds no
        // server at all
        for (int round = 1; round <= 2; round++) {
            assertFhirUnavailable("read", () -> app.fhir().get("/fhir/" + clinic.patient()));
            assertFhirUnavailable(
                    "search",
                    () -> app.fhir().get("/fhir/Patient?identifier=" + clinic.patientIdentifier()));
            assertFhirUnavailable("create", () -> app.post(clinic.message()));
            assertPageUnavailable(
                    "sign-in",
                    () ->
                            app.given()
                                    .cookie("bp_csrf", CSRF)
                                    .formParam("_csrf", CSRF)
                                    .formParam("username", "someone")
                                    .formParam("password", "not-a-real-password")
                                    .post("/login"));
            assertPageUnavailable(
                    "queue page with a session",
                    () ->
                            app.given()
                                    .cookie("bp_session", UUID.randomUUID().toString())
                                    .get("/staff/queue"));
        }
        app.given().get("/q/health/ready").then().statusCode(503);

        postgres.start();

        await("reads to succeed again")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> app.fhir().get("/fhir/" + clinic.patient()).then().statusCode(200));
        assertTrue(app.isRunning(), "the application was never restarted");
        app.fhir()
                .get("/fhir/Patient?identifier=" + clinic.patientIdentifier())
                .then()
                .statusCode(200)
                .body("total", is(1));
        String message = app.create(clinic.message());
        await("the new message's Task")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                app.fhir()
                                        .get("/fhir/Task?focus=" + message)
                                        .then()
                                        .statusCode(200)
                                        .body("total", is(1)));
        app.given()
                .cookie("bp_session", UUID.randomUUID().toString())
                .get("/staff/queue")
                .then()
                .statusCode(303);
        await("readiness")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> app.given().get("/q/health/ready").then().statusCode(200));
    }

    /**
     * Under a steady load, PostgreSQL stopped for a while and started again: every send meanwhile is
     * answered 503 with Retry-After (never a 500), nothing acknowledged is lost, the listeners, the
     * relay and the jobs carry on without a restart of the app, and the recovery time is measured:
     * from the server's start to the first acknowledged send.
     */
    @Test
    void shouldLoseNothingAcknowledgedWhenDatabaseRestartsUnderLoad() {
        SteadyLoad load = SteadyLoad.start(List.of(app), clinic, 5, Duration.ofSeconds(40));
        await("the load to run for 10 s")
                .atMost(Duration.ofSeconds(30))
                .until(() -> load.elapsedMillis() >= 10_000);
        long stoppedAt = load.elapsedMillis();
        postgres.stop();
        await("the load to meet the stopped database for 10 s")
                .atMost(Duration.ofSeconds(30))
                .until(() -> load.elapsedMillis() >= stoppedAt + 10_000);
        postgres.start();
        long startedAt = load.elapsedMillis();
        load.awaitEnd();

        AcknowledgedMessages.Tally tally =
                AcknowledgedMessages.assertAllTriagedOnce(
                        postgres, kafka, load.acknowledged(), Duration.ofSeconds(120));
        long firstAfter = load.firstAcknowledgedFrom(startedAt);
        System.out.printf(
                "database restart: down %d ms; %d acknowledged (%d during the outage); refused %s;"
                        + " first acknowledged send %d ms after PostgreSQL started; last one triaged %d ms after the load%n",
                startedAt - stoppedAt,
                tally.acknowledged(),
                load.acknowledgedBetween(stoppedAt, startedAt),
                load.refusals(),
                firstAfter - startedAt,
                tally.catchUpMillis());
        assertTrue(
                load.refusals().keySet().stream().allMatch(status -> status == 503),
                "while PostgreSQL was down sends were answered 503, never 500 or no answer: "
                        + load.refusals());
        assertTrue(load.refusals().getOrDefault(503, 0L) > 0, "the load met the outage");
        assertEquals(0, load.unavailableWithoutRetryAfter(), "every 503 said when to retry");
        assertTrue(firstAfter >= 0, "sends were acknowledged again after PostgreSQL came back");
        assertTrue(app.isRunning(), "the application was never restarted");
        await("readiness")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> app.given().get("/q/health/ready").then().statusCode(200));
    }

    private static void assertFhirUnavailable(String what, Supplier<Response> request) {
        Response response = request.get();
        assertEquals(503, response.statusCode(), what + " while the database is down");
        response.then()
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .contentType(startsWith(PackagedApp.FHIR_JSON))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("fatal"))
                .body("issue[0].code", equalTo("transient"));
        assertNoInternals(what, response.asString());
    }

    private static void assertPageUnavailable(String what, Supplier<Response> request) {
        Response response = request.get();
        assertEquals(503, response.statusCode(), what + " while the database is down");
        response.then()
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .contentType(startsWith("text/html"))
                .body(containsString("Service unavailable"));
        assertNoInternals(what, response.asString());
    }

    private static void assertNoInternals(String what, String body) {
        for (String internal : INTERNALS) {
            assertFalse(body.contains(internal), what + ": the answer reveals '" + internal + "'");
        }
    }
}
