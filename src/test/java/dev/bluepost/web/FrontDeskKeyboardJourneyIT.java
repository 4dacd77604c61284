package dev.bluepost.web;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Browser;
import dev.bluepost.testing.Builders;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SecondFactor;
import dev.bluepost.testing.WebSession;
import dev.bluepost.triage.TriageSetup;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The front desk's day with the keyboard only, in headless Chromium: sign in with the second factor,
 * open the queue, open a conversation, claim it, start the reply from a template and send it. Only
 * Tab, Shift-Tab, Enter, Space, the arrow keys and typing; every control that takes the focus on the
 * way must show it (an outline or a ring), or a keyboard user would be lost.
 */
@QuarkusTest
class FrontDeskKeyboardJourneyIT {

    private static final Duration TRIAGE = Duration.ofSeconds(20);
    private static final int MAX_TABS = 80;

    /** Whether the focused element shows its focus: its own outline or ring, or (a USWDS checkbox or radio) its label's box. */
    private static final String FOCUS_VISIBLE =
            """
            var e = document.activeElement;
            if (!e || e === document.body || e === document.documentElement) { return 'outside the page'; }
            function shows(s) {
              return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
            }
            if (shows(getComputedStyle(e))) { return ''; }
            if (e.id && (e.type === 'checkbox' || e.type === 'radio')) {
              var label = document.querySelector('label[for="' + e.id + '"]');
              if (label && (shows(getComputedStyle(label, '::before')) || shows(getComputedStyle(label)))) { return ''; }
            }
            return e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || '').trim().substring(0, 40);
            """;

    @TestHTTPResource("/")
    URI base;

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Test
    void frontDeskSignsInClaimsAndRepliesWithATemplateUsingOnlyTheKeyboard() {
        PracticeFixture practice = PracticeFixture.create(identities);
        setup.installDefaults(id(practice.practice));
        Patient patient = Builders.aPatient(practice.practice);
        String family = patient.getNameFirstRep().getFamily();
        String message =
                Api.create(
                        aMessage(
                                "Patient/" + Api.create(patient),
                                practice.pool,
                                "Please refill my inhaler"));
        await().atMost(TRIAGE)
                .until(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .<String>path("entry[0].resource.id"),
                        task -> task != null);
        // the desk set up its authenticator at an earlier sign-in (the tests' authenticator keeps
        // the key)
        WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        assertTrue(SecondFactor.knows(practice.frontDeskLogin));

        try (Browser desk = Browser.open(base)) {
            // ---- sign in: user name, password, then the code of the authenticator
            desk.go("/login");
            tabTo(desk, e -> "username".equals(e.getAttribute("id")));
            type(desk, practice.frontDeskLogin);
            tabTo(desk, e -> "password".equals(e.getAttribute("id")));
            type(desk, PracticeFixture.PASSWORD);
            press(desk, Keys.ENTER);
            desk.waitUntil(x -> desk.path().startsWith("/login/mfa"));
            tabTo(desk, e -> "code".equals(e.getAttribute("id")));
            type(desk, SecondFactor.code(practice.frontDeskLogin));
            press(desk, Keys.ENTER);
            desk.waitUntil(x -> desk.path().startsWith("/staff/queue"));

            // ---- the queue: to the patient's conversation, and open it
            desk.waitUntil(
                    x ->
                            !desk.driver()
                                    .findElements(
                                            By.xpath(
                                                    "//tbody[@id='queue-rows']//a[contains(., '"
                                                            + family
                                                            + "')]"))
                                    .isEmpty());
            tabTo(desk, e -> e.getTagName().equals("a") && e.getText().contains(family));
            press(desk, Keys.ENTER);
            desk.waitUntil(x -> desk.path().startsWith("/staff/threads/"));
            String thread = desk.path();

            // ---- claim it
            tabTo(desk, e -> "claim".equals(e.getAttribute("id")));
            press(desk, Keys.ENTER);
            desk.waitUntil(x -> !desk.driver().findElements(By.id("done")).isEmpty());
            assertEquals("You claimed this conversation.", desk.text(By.id("done")));

            // ---- the template, chosen with the arrow keys, then "Use template" with the space bar
            tabTo(desk, e -> "template".equals(e.getAttribute("id")));
            for (int i = 0; i < 10 && !"Refill sent".equals(selectedText(desk, "template")); i++) {
                press(desk, Keys.ARROW_DOWN);
            }
            assertEquals("Refill sent", selectedText(desk, "template"));
            tabTo(desk, e -> "use-template".equals(e.getAttribute("id")));
            press(desk, Keys.SPACE);
            desk.waitUntil(
                    x ->
                            desk.find(By.id("text"))
                                    .getAttribute("value")
                                    .contains("your refill has been sent"));
            assertTrue(desk.find(By.id("text")).getAttribute("value").contains(family));

            // ---- into the reply box (Shift-Tab comes back to it after a step too far), then send
            tabTo(desk, e -> "text".equals(e.getAttribute("id")));
            press(desk, Keys.TAB);
            new Actions(desk.driver())
                    .keyDown(Keys.SHIFT)
                    .sendKeys(Keys.TAB)
                    .keyUp(Keys.SHIFT)
                    .perform();
            assertEquals("text", desk.driver().switchTo().activeElement().getAttribute("id"));
            tabTo(desk, e -> "send".equals(e.getAttribute("id")));
            press(desk, Keys.ENTER);
            desk.waitUntil(
                    x ->
                            !desk.driver().findElements(By.id("done")).isEmpty()
                                    && desk.text(By.id("done")).equals("Reply sent."));
            assertEquals(thread.split("[?#]")[0], desk.path().split("[?#]")[0]);
            assertTrue(
                    desk.text(By.id("messages")).contains("your refill has been sent"),
                    desk.bodyText());
        }
    }

    /**
     * Presses Tab until the focused element is the one wanted, checking that each focused control shows its
     * focus. A Tab may first take the focus out of the page (to the browser's own controls, as at the top of a
     * freshly loaded page): the next one comes back to it, so that is allowed, but only once in a row.
     */
    private static void tabTo(Browser browser, Predicate<WebElement> wanted) {
        boolean outside = false;
        for (int i = 0; i < MAX_TABS; i++) {
            press(browser, Keys.TAB);
            Object invisible = browser.js(FOCUS_VISIBLE);
            if ("outside the page".equals(invisible) && !outside) {
                outside = true;
                continue;
            }
            outside = false;
            assertEquals(
                    "",
                    invisible,
                    "the focus is not visible on " + invisible + " (" + browser.path() + ")");
            WebElement focused = browser.driver().switchTo().activeElement();
            if (wanted.test(focused)) {
                return;
            }
        }
        throw new AssertionError(
                "not reached with " + MAX_TABS + " presses of Tab on " + browser.path());
    }

    private static void press(Browser browser, CharSequence key) {
        new Actions(browser.driver()).sendKeys(key).perform();
    }

    private static void type(Browser browser, String text) {
        new Actions(browser.driver()).sendKeys(text).perform();
    }

    private static String selectedText(Browser browser, String selectId) {
        return (String)
                browser.js(
                        "var s = document.getElementById(arguments[0]); return s.options[s.selectedIndex].text;",
                        selectId);
    }
}
