package dev.bluepost.web;

import static dev.bluepost.testing.Api.fhir;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.IdentityService.NewUser;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Browser;
import dev.bluepost.testing.Builders;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;

/**
 * The foundation's promise, in two real browsers against the real broker and database: the
 * front-desk queue page shows a new patient message without a reload (server-sent events); the
 * patient sees the thread; staff open it and reply; the patient sees the reply, and the answered
 * item leaves the open queue page, again without a reload. A patient who asks for someone else's
 * thread gets "Not found". Needs Debian's chromium and chromium-driver (see {@link Browser}).
 */
@QuarkusTest
class QueueLiveUpdateIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Duration LIVE_UPDATE = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URI base;

    @Inject IdentityService identities;

    @Inject MessageReading reading;

    @Test
    void frontDeskSeesNewMessageLiveAndPatientSeesReply() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);

        // ---- the practice, its front-desk pool with a staff member, an EP and two patients (FHIR,
        // system client)
        String practice = "Organization/" + Api.create(Builders.aPractice());
        Practitioner staff = new Practitioner();
        staff.addName().setFamily("Desk" + suffix).addGiven("Frankie");
        staff.addExtension(
                Builders.BASE + "/StructureDefinition/practice", new Reference(practice));
        String staffId = Api.create(staff);
        String pool =
                "CareTeam/"
                        + Api.create(
                                Builders.aPool(practice, "Front desk", "Practitioner/" + staffId));
        Api.create(Builders.anEp(practice));
        String patientName = "Pat Journey" + suffix;
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:test:mrn").setValue(Builders.unique("mrn"));
        patient.addName().setFamily("Journey" + suffix).addGiven("Pat");
        patient.setManagingOrganization(new Reference(practice));
        String patientId = Api.create(patient);

        // someone else's thread in the same practice, which the patient must never see
        Patient other = Builders.aPatient(practice);
        String otherName =
                other.getNameFirstRep().getGivenAsSingleString()
                        + " "
                        + other.getNameFirstRep().getFamily();
        String otherPatient = "Patient/" + Api.create(other);
        String otherText = "Private note of another patient " + suffix;
        String otherMessage = Api.create(Builders.aMessage(otherPatient, pool, otherText));
        UUID otherThread = reading.threadOfMessage(UUID.fromString(otherMessage)).orElseThrow();
        await().atMost(LIVE_UPDATE)
                .until(
                        () ->
                                Integer.valueOf(1)
                                        .equals(
                                                fhir().get(
                                                                "/fhir/Task?focus=Communication/"
                                                                        + otherMessage)
                                                        .then()
                                                        .statusCode(200)
                                                        .extract()
                                                        .path("total")));

        String deskLogin = "desk-" + suffix;
        String patientLogin = "patient-" + suffix;
        identities.createUser(
                new NewUser(
                        deskLogin,
                        PASSWORD,
                        "Frankie Desk",
                        Set.of(Role.FRONT_DESK),
                        UUID.fromString(practice.substring("Organization/".length())),
                        UUID.fromString(staffId),
                        null,
                        Set.of()));
        identities.createUser(
                new NewUser(
                        patientLogin,
                        PASSWORD,
                        patientName,
                        Set.of(Role.PATIENT),
                        null,
                        null,
                        UUID.fromString(patientId),
                        Set.of()));

        String subject = "Lab results " + suffix;
        String question = "Are my blood test results back yet? (" + suffix + ")";
        String answer = "Yes, they came back normal. No action needed. (" + suffix + ")";

        Browser desk = null;
        Browser patientBrowser = null;
        try {
            // ---- a. the front desk signs in and opens the queue, then marks the page
            desk = Browser.open(base);
            desk.signIn(deskLogin, PASSWORD);
            desk.go("/staff/queue");
            Browser d = desk;
            desk.waitUntil(x -> d.text(By.id("live-status")).startsWith("Live"));
            assertFalse(queueShows(desk, patientName), "the new patient is not in the queue yet");
            assertTrue(queueShows(desk, otherName), "the other patient's open item is listed");
            desk.js("window.__noReload = arguments[0];", "marker-" + suffix);

            // ---- b. the patient writes to the front desk
            patientBrowser = Browser.open(base);
            Browser p = patientBrowser;
            p.signIn(patientLogin, PASSWORD);
            assertEquals("/patient", p.path());
            p.find(By.linkText("New message")).click();
            p.waitUntil(x -> p.path().equals("/patient/messages/new"));
            WebElement safety = p.find(By.cssSelector(".bp-safety"));
            assertTrue(safety.getText().contains("call 911"), safety.getText());
            assertTrue(safety.getText().contains("988"), safety.getText());
            assertEquals(
                    Boolean.TRUE,
                    p.js(
                            "return (arguments[0].compareDocumentPosition(arguments[1]) "
                                    + "& Node.DOCUMENT_POSITION_FOLLOWING) !== 0;",
                            safety,
                            p.find(By.cssSelector("form[action='/patient/messages']"))),
                    "the safety notice comes before the form");
            new Select(p.find(By.id("recipient"))).selectByVisibleText("Front desk");
            new Select(p.find(By.id("category"))).selectByVisibleText("Test results");
            p.find(By.id("subject")).sendKeys(subject);
            p.find(By.id("text")).sendKeys(question);
            p.find(By.cssSelector("form[action='/patient/messages'] button[type='submit']"))
                    .click();
            p.waitUntil(x -> p.path().startsWith("/patient/threads/"));
            String threadId = p.path().substring("/patient/threads/".length());
            assertEquals(subject, p.text(By.tagName("h1")));
            assertTrue(p.text(By.cssSelector("ol.bp-messages")).contains(question), p.bodyText());
            assertTrue(p.bodyText().contains("Expect an answer by "), p.bodyText());

            // ---- c. the queue shows the message without a reload
            desk.waitUntil(LIVE_UPDATE, x -> queueShows(d, patientName));
            assertEquals(
                    "marker-" + suffix,
                    desk.js("return window.__noReload;"),
                    "the queue page was not reloaded");
            assertEquals("/staff/queue", desk.path());
            assertTrue(
                    desk.text(By.id("live-status")).startsWith("Queue updated at"),
                    desk.text(By.id("live-status")));
            String rowText = desk.waitUntil(x -> queueRow(d, patientName).getText());
            assertTrue(rowText.contains("Test results"), rowText);
            assertTrue(rowText.contains("Front desk"), rowText);

            // ---- d. the front desk opens the thread, reads it and replies; a second tab keeps the
            // queue open
            desk.waitUntil(
                    x -> {
                        queueRow(d, patientName).findElement(By.linkText(patientName)).click();
                        return true;
                    });
            desk.waitUntil(x -> d.path().equals("/staff/threads/" + threadId));
            assertTrue(desk.text(By.id("messages")).contains(question), desk.bodyText());
            String threadTab = desk.driver().getWindowHandle();
            desk.driver().switchTo().newWindow(WindowType.TAB);
            String queueTab = desk.driver().getWindowHandle();
            desk.go("/staff/queue");
            desk.waitUntil(x -> d.text(By.id("live-status")).startsWith("Live"));
            assertTrue(queueShows(desk, patientName), "the open item is still queued");
            desk.js("window.__noReload = arguments[0];", "answered-" + suffix);

            desk.driver().switchTo().window(threadTab);
            desk.find(By.id("text")).sendKeys(answer);
            desk.find(By.cssSelector("form[action$='/reply'] button[type='submit']")).click();
            desk.waitUntil(
                    x ->
                            d.path().equals("/staff/threads/" + threadId)
                                    && d.text(By.id("messages")).contains(answer));

            p.go("/patient/threads/" + threadId);
            String thread = p.text(By.cssSelector("ol.bp-messages"));
            assertTrue(thread.contains(question) && thread.contains(answer), thread);
            assertTrue(
                    thread.indexOf(question) < thread.indexOf(answer),
                    "the reply follows the question");
            p.find(By.linkText("All messages")).click();
            p.waitUntil(x -> p.path().equals("/patient"));
            WebElement listed =
                    p.find(
                            By.xpath(
                                    "//table[contains(@class,'bp-threads')]//tr[.//a[normalize-space()='"
                                            + subject
                                            + "']]"));
            assertTrue(listed.getText().contains("Answered"), listed.getText());

            // the answered item leaves the open queue tab, again without a reload
            desk.driver().switchTo().window(queueTab);
            desk.waitUntil(LIVE_UPDATE, x -> !queueShows(d, patientName));
            assertEquals(
                    "answered-" + suffix,
                    desk.js("return window.__noReload;"),
                    "the queue page was not reloaded");

            // ---- e. another patient's thread, or one that does not exist, is "Not found"
            for (String missing : List.of(otherThread.toString(), UUID.randomUUID().toString())) {
                p.go("/patient/threads/" + missing);
                assertEquals("Not found", p.text(By.tagName("h1")), p.bodyText());
                assertFalse(
                        p.bodyText().contains(otherText),
                        "another patient's message must not show");
                assertEquals(404L, status(p, "/patient/threads/" + missing));
            }
            // so is an address no page has (every browser asks for /favicon.ico): a page, not a
            // server error
            p.go("/patient/no-such-page");
            assertEquals("Not found", p.text(By.tagName("h1")), p.bodyText());
            assertEquals(404L, status(p, "/favicon.ico"));
            assertEquals(403L, status(p, "/staff/queue"));
            p.go("/staff/queue");
            assertEquals("Not allowed", p.text(By.tagName("h1")), p.bodyText());
        } finally {
            try {
                quit(desk);
            } finally {
                quit(patientBrowser);
            }
        }
    }

    /** The HTTP status of a GET made by the page itself, with the browser's cookies. */
    private static Object status(Browser browser, String path) {
        return browser.asyncJs(
                "var done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) { done(r.status); },"
                        + " function () { done(-1); });",
                path);
    }

    private static List<WebElement> queueRows(Browser browser, String patientName) {
        return browser.driver()
                .findElements(
                        By.xpath(
                                "//tbody[@id='queue-rows']/tr[td//a[normalize-space()='"
                                        + patientName
                                        + "']]"));
    }

    private static boolean queueShows(Browser browser, String patientName) {
        return !queueRows(browser, patientName).isEmpty();
    }

    private static WebElement queueRow(Browser browser, String patientName) {
        List<WebElement> rows = queueRows(browser, patientName);
        assertEquals(1, rows.size(), "one queue row for the patient");
        return rows.get(0);
    }

    private static void quit(Browser browser) {
        if (browser != null) {
            browser.close();
        }
    }
}
