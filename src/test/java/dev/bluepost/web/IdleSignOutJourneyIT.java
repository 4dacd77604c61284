package dev.bluepost.web;

import static dev.bluepost.testing.Sql.count;
import static dev.bluepost.testing.Sql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.Browser;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Automatic log-off in headless Chromium, on the staff thread page whose presence heartbeat runs
 * every 15 s: a minute before the limit the page warns (with "Stay signed in") and keeps the
 * half-written reply as a draft; left alone, it ends on the sign-in page saying why, although its
 * scripts kept polling; after signing in again the reply is back in the reply box. The session's
 * limit is shortened for this one session (70 s), so the journey takes two minutes, not fifteen.
 */
@QuarkusTest
class IdleSignOutJourneyIT {

    private static final String HALF_WRITTEN = "Your results are normal; I will";

    @TestHTTPResource("/")
    URI base;

    @Inject IdentityService identities;

    @Test
    void aStaffPageLeftOpenWarnsKeepsTheReplyAndEndsOnTheSignInPageWhileItsScriptsKeepPolling() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String thread = patientWrites(practice);
        UUID desk = identities.findByUsername(practice.frontDeskLogin).orElseThrow().id();

        try (Browser browser = Browser.open(base)) {
            browser.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
            update(
                    "update web_session set idle_timeout_seconds = 70, last_seen_at = now() where user_id = ? and ended_at is null",
                    desk);
            browser.go("/staff/threads/" + thread);
            browser.find(By.id("text")).sendKeys(HALF_WRITTEN);

            // a minute before the limit: the warning, and the reply kept as a draft
            browser.waitUntil(Duration.ofSeconds(45), d -> warningOpen(browser));
            assertTrue(
                    browser.text(By.id("session-warning")).contains("Stay signed in"),
                    browser.bodyText());
            browser.waitUntil(
                    Duration.ofSeconds(20),
                    d -> browser.find(By.id("session-draft-kept")).isDisplayed());
            assertEquals(
                    1,
                    count(
                            "select count(*) from message_draft where user_id = ? and thread_id = ?",
                            desk,
                            UUID.fromString(thread)));

            // "Stay signed in": the warning goes
            browser.find(By.id("stay-signed-in")).click();
            browser.waitUntil(Duration.ofSeconds(20), d -> !warningOpen(browser));

            // nobody touches the page again; its heartbeat goes on, and the session ends anyway
            browser.waitUntil(Duration.ofSeconds(150), d -> browser.path().startsWith("/login"));
            assertTrue(browser.path().contains("timedOut=1"), browser.path());
            assertTrue(
                    browser.bodyText()
                            .contains("signed out automatically because there was no activity"),
                    browser.bodyText());
            assertEquals(
                    1,
                    count(
                            """
                    select count(*) from web_session s join triage_viewer v on v.user_id = s.user_id and v.thread_id = ?
                    where s.user_id = ? and s.end_reason = 'idle' and v.seen_at > s.last_seen_at + interval '30 seconds'""",
                            UUID.fromString(thread),
                            desk),
                    "heartbeats went on well after the last activity");

            // signed in again: the reply is back, and says where it came from
            browser.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
            browser.go("/staff/threads/" + thread);
            assertEquals(HALF_WRITTEN, browser.find(By.id("text")).getAttribute("value"));
            assertTrue(
                    browser.text(By.id("draft-kept")).contains("kept as a draft"),
                    browser.bodyText());
        }
    }

    private static boolean warningOpen(Browser browser) {
        return Boolean.TRUE.equals(
                browser.js("return document.getElementById('session-warning').open;"));
    }

    private static String patientWrites(PracticeFixture practice) {
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
                                        "My results",
                                        "text",
                                        "Are my results back?",
                                        "action",
                                        "send"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
