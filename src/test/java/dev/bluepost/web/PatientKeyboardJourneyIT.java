package dev.bluepost.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.Browser;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * A patient who uses only the keyboard: signs in, writes and sends a message, and reads the care
 * team's answer, pressing only Tab, Shift-Tab, Enter and Space (and typing text), never clicking.
 * Every control that takes the focus shows it (a visible outline or ring).
 */
@QuarkusTest
class PatientKeyboardJourneyIT {

    private static final int MAX_TABS = 60;

    @TestHTTPResource("/")
    URI base;

    @Inject IdentityService identities;

    @Test
    void aPatientSignsInComposesSendsAndReadsTheAnswerWithTheKeyboardAlone() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Blood pressure log " + suffix;
        String question =
                "My readings this week were all about 130/85. Is that fine? (" + suffix + ")";
        String answer = "Those readings are fine; keep the log going. (" + suffix + ")";

        try (Browser patient = Browser.open(base)) {
            List<String> unfocusable = new ArrayList<>();
            patient.go("/login");
            tabTo(patient, "#username", unfocusable);
            type(patient, practice.patientLogin);
            tabTo(patient, "#password", unfocusable);
            type(patient, PracticeFixture.PASSWORD);
            press(patient, Keys.ENTER);
            patient.waitUntil(d -> patient.path().equals("/patient"));

            // skip the navigation, then the page's own "New message" button
            tabTo(patient, ".usa-skipnav", unfocusable);
            press(patient, Keys.ENTER);
            tabTo(patient, "main a[href='/patient/messages/new']", unfocusable);
            press(patient, Keys.ENTER);
            patient.waitUntil(d -> patient.path().equals("/patient/messages/new"));

            tabTo(patient, "#recipient", unfocusable);
            type(patient, "Front"); // a closed select picks the option whose text is typed
            assertThat(patient.find(By.id("recipient")).getAttribute("value"))
                    .isEqualTo(practice.pool);
            tabTo(patient, "#subject", unfocusable);
            type(patient, subject);
            tabTo(patient, "#text", unfocusable);
            type(patient, question);
            // back one field and forward again: Shift-Tab goes where it should
            new Actions(patient.driver())
                    .keyDown(Keys.SHIFT)
                    .sendKeys(Keys.TAB)
                    .keyUp(Keys.SHIFT)
                    .perform();
            assertThat(active(patient, "#subject"))
                    .as("Shift-Tab from the message goes back to the subject")
                    .isTrue();
            tabTo(patient, "button[name='action'][value='send']", unfocusable);
            press(patient, Keys.SPACE);
            patient.waitUntil(d -> patient.path().startsWith("/patient/threads/"));
            assertThat(patient.text(By.id("done"))).isEqualTo("Message sent.");
            String threadId = patient.path().substring("/patient/threads/".length());

            // the front desk answers; the open conversation shows it, and the keyboard reaches it
            WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
            desk.get("/staff/threads/" + threadId).then().statusCode(200);
            desk.submit("/staff/threads/" + threadId + "/reply", Map.of("text", answer))
                    .then()
                    .statusCode(303);
            patient.waitUntil(
                    Duration.ofSeconds(30), d -> patient.text(By.id("messages")).contains(answer));

            // back to the list and into the conversation again, by keyboard: the answer is there,
            // marked read
            tabTo(patient, ".usa-breadcrumb__link[href='/patient']", unfocusable);
            press(patient, Keys.ENTER);
            patient.waitUntil(d -> patient.path().equals("/patient"));
            tabTo(patient, "a[href='/patient/threads/" + threadId + "']", unfocusable);
            press(patient, Keys.ENTER);
            patient.waitUntil(d -> patient.path().equals("/patient/threads/" + threadId));
            assertThat(patient.text(By.cssSelector("ol.bp-messages > li:last-child")))
                    .contains(answer);
            assertThat(
                            patient.text(
                                    By.cssSelector(
                                            "ol.bp-messages > li:first-child .bp-message__receipt")))
                    .startsWith("Opened by your care team");

            assertThat(unfocusable).as("controls that took the focus without showing it").isEmpty();
        }
    }

    /** Presses Tab until the focus is on the element the selector names; checks every focused control shows its focus. */
    private static void tabTo(Browser browser, String selector, List<String> unfocusable) {
        for (int i = 0; i < MAX_TABS; i++) {
            press(browser, Keys.TAB);
            String problem =
                    (String)
                            browser.js(
                                    """
                    const e = document.activeElement;
                    if (!e || e === document.body || !e.matches('a[href], button, input, select, textarea, summary, [tabindex]')) return null;
                    const s = getComputedStyle(e);
                    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
                    const ring = s.boxShadow && s.boxShadow !== 'none';
                    return outline || ring ? null : (e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.getAttribute('href') || e.name || ''));""");
            if (problem != null) {
                unfocusable.add(browser.path() + ": " + problem);
            }
            if (active(browser, selector)) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + selector + " on " + browser.path());
    }

    private static boolean active(Browser browser, String selector) {
        return Boolean.TRUE.equals(
                browser.js(
                        "return document.activeElement !== null && document.activeElement.matches(arguments[0]);",
                        selector));
    }

    private static void press(Browser browser, CharSequence key) {
        new Actions(browser.driver()).sendKeys(key).perform();
    }

    private static void type(Browser browser, String text) {
        new Actions(browser.driver()).sendKeys(text).perform();
    }
}
