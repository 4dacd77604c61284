package dev.bluepost.identity;

import static dev.bluepost.testing.Sql.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic log-off holds on pages that poll (HIPAA 164.312(a)(2)(iii), ONC 170.315(d)(5)): the
 * presence heartbeat, the queue's row refreshes and live events, the session check and any request a
 * page's script marks as background never extend a session; only the person's own requests do
 * (a navigation, a form post, "Stay signed in"). Over the real database, with the application's clock
 * moved by the test. The browser side is {@code web.IdleSignOutJourneyIT}.
 */
@QuarkusTest
class SessionActivityIT {

    @Inject IdentityService identities;

    @Inject TestClock clock;

    @TestHTTPResource("/staff/queue/events")
    URI queueEvents;

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
    void shouldEndAnIdleSessionAtItsLimitWhileThePageKeepsPolling() {
        String thread = patientWrites("Refill, please");
        clock.set(Instant.now());
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + thread).then().statusCode(200); // the person's own navigation
        // the page polls for 14 minutes (in a browser: every 15 s); none of it is the person's
        // activity
        for (int minute = 1; minute <= 14; minute++) {
            clock.advance(Duration.ofMinutes(1));
            desk.submit("/staff/threads/" + thread + "/presence", Map.of("replying", "false"))
                    .then()
                    .statusCode(200);
            desk.get("/staff/queue/rows").then().statusCode(200);
            desk.getInBackground("/staff/queue")
                    .then()
                    .statusCode(200); // a page's request marked as background
            desk.get("/session/status").then().statusCode(200);
        }
        JsonPath status = desk.get("/session/status").then().statusCode(200).extract().jsonPath();
        assertThat(status.getBoolean("signedIn")).isTrue();
        assertThat(status.getLong("remainingSeconds")).isEqualTo(60);

        // the limit passes while the heartbeats go on: the next one finds the session ended
        clock.advance(Duration.ofSeconds(61));
        String location =
                desk.submit("/staff/threads/" + thread + "/presence", Map.of("replying", "false"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        assertThat(location).contains("/login?next=").contains("timedOut=1");
        desk.get("/session/status")
                .then()
                .statusCode(200)
                .body("signedIn", org.hamcrest.Matchers.is(false));
        desk.get("/staff/queue").then().statusCode(303);
        UUID deskUser = identities.findByUsername(practice.frontDeskLogin).orElseThrow().id();
        assertThat(AuditRows.ofUser(deskUser))
                .anyMatch(r -> r.startsWith("LOGOUT success idle-timeout Session/"));
    }

    @Test
    void shouldExtendTheSessionOnlyForThePersonsOwnRequestsAndStaySignedIn() {
        clock.set(Instant.now());
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/queue")
                .then()
                .statusCode(200)
                .body(containsString("id=\"session-warning\""))
                .body(containsString("data-remaining-seconds=\"900\""))
                .body(
                        containsString(
                                "<noscript><meta http-equiv=\"refresh\" content=\"905\"></noscript>"));
        clock.advance(Duration.ofMinutes(14));
        desk.get("/session/status")
                .then()
                .statusCode(200)
                .body("remainingSeconds", org.hamcrest.Matchers.is(60));
        // "Stay signed in": the person is here
        desk.submit("/session/keep-alive", Map.of())
                .then()
                .statusCode(200)
                .body("signedIn", org.hamcrest.Matchers.is(true))
                .body("remainingSeconds", org.hamcrest.Matchers.is(900));
        desk.submitWithoutToken("/session/keep-alive", Map.of())
                .then()
                .statusCode(403); // a form post like any other
        clock.advance(Duration.ofMinutes(14));
        desk.get("/staff/queue").then().statusCode(200); // a navigation is activity too
        clock.advance(Duration.ofMinutes(14));
        desk.get("/staff/queue").then().statusCode(200);
        clock.advance(Duration.ofMinutes(16));
        desk.get("/session/status")
                .then()
                .statusCode(200)
                .body("signedIn", org.hamcrest.Matchers.is(false))
                .body("timedOut", org.hamcrest.Matchers.is(true));

        new WebSession()
                .get("/session/status")
                .then()
                .statusCode(200)
                .body("signedIn", org.hamcrest.Matchers.is(false))
                .body("timedOut", org.hamcrest.Matchers.is(false));
        new WebSession()
                .get("/login")
                .then()
                .statusCode(200)
                .body(not(containsString("session-warning")));
    }

    @Test
    void shouldEndTheQueuesLiveEventsWhenTheSessionIdlesOut() throws Exception {
        clock.set(Instant.now());
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/queue").then().statusCode(200);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> stream =
                client.send(
                        HttpRequest.newBuilder(queueEvents)
                                .header("Cookie", desk.cookieHeader())
                                .header("Accept", "text/event-stream")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        CompletableFuture<Void> ended =
                CompletableFuture.runAsync(
                        () -> {
                            try (BufferedReader lines =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    stream.body(), StandardCharsets.UTF_8))) {
                                while (lines.readLine() != null) {
                                    // keep-alive comments and queue events, until the server ends
                                    // the stream
                                }
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
        clock.advance(Duration.ofMinutes(16));
        // the stream checks its session with its keep-alive (every 20 s) and ends
        ended.get(90, TimeUnit.SECONDS);
        desk.get("/staff/queue/events").then().statusCode(303);
    }

    @Test
    void shouldKeepAHalfWrittenReplyAsADraftAndOfferItAgainAfterSigningIn() {
        String thread = patientWrites("Question about my results");
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString("data-draft-url=\"/staff/threads/" + thread + "/draft\""));
        UUID deskUser = identities.findByUsername(practice.frontDeskLogin).orElseThrow().id();
        // the session script keeps it as the warning shows (a background request); again later:
        // still one draft
        desk.submitInBackground(
                        "/staff/threads/" + thread + "/draft",
                        Map.of("text", "Your results are normal; we"))
                .then()
                .statusCode(204);
        desk.submitInBackground(
                        "/staff/threads/" + thread + "/draft",
                        Map.of("text", "Your results are normal; we will"))
                .then()
                .statusCode(204);
        assertThat(
                        count(
                                "select count(*) from message_draft where user_id = ? and thread_id = ?",
                                deskUser,
                                UUID.fromString(thread)))
                .isEqualTo(1);
        desk.submitInBackground("/staff/threads/" + thread + "/draft", Map.of("text", " "))
                .then()
                .statusCode(422);

        WebSession again = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        again.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString("id=\"draft-kept\""))
                .body(containsString("Your results are normal; we will</textarea>"));
        again.submit(
                        "/staff/threads/" + thread + "/reply",
                        Map.of("text", "Your results are normal; we will call you."))
                .then()
                .statusCode(303);
        assertThat(
                        count(
                                "select count(*) from message_draft where user_id = ? and thread_id = ?",
                                deskUser,
                                UUID.fromString(thread)))
                .isZero();
        again.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(not(containsString("id=\"draft-kept\"")));
        // one kept and not wanted: discarded from the thread page
        again.submitInBackground(
                        "/staff/threads/" + thread + "/draft", Map.of("text", "Never mind"))
                .then()
                .statusCode(204);
        again.get("/staff/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString("id=\"discard-draft\""));
        again.submit("/staff/threads/" + thread + "/draft/discard", Map.of())
                .then()
                .statusCode(303);
        assertThat(
                        count(
                                "select count(*) from message_draft where user_id = ? and thread_id = ?",
                                deskUser,
                                UUID.fromString(thread)))
                .isZero();

        // a patient's half-written reply too; another practice's staff cannot keep a draft in the
        // thread
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/threads/" + thread).then().statusCode(200);
        patient.submitInBackground(
                        "/patient/threads/" + thread + "/draft", Map.of("text", "Thank you, and"))
                .then()
                .statusCode(204);
        patient.get("/patient/threads/" + thread)
                .then()
                .statusCode(200)
                .body(containsString("Thank you, and</textarea>"));
        PracticeFixture foreign = PracticeFixture.create(identities);
        WebSession foreignDesk =
                WebSession.signIn(foreign.frontDeskLogin, PracticeFixture.PASSWORD);
        foreignDesk.get("/staff/queue").then().statusCode(200);
        foreignDesk
                .submitInBackground("/staff/threads/" + thread + "/draft", Map.of("text", "x"))
                .then()
                .statusCode(404);
    }

    private String patientWrites(String subject) {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        subject,
                                        "text",
                                        "When will I hear back?",
                                        "action",
                                        "send"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
