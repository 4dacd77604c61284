package dev.bluepost.web;

import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Browser;
import dev.bluepost.testing.Builders;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.triage.TriageSetup;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The front desk's journey in headless Chromium over the real broker and database: a refill
 * request arrives in the live queue (routed to Refills by the default rules), the desk claims it,
 * answers with a template, then answers two more refill requests in one batch reply.
 */
@QuarkusTest
class FrontDeskJourneyIT {

    private static final Duration LIVE_UPDATE = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URI base;

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Test
    void frontDeskClaimsRepliesWithTemplateAndBatchReplies() {
        PracticeFixture practice = PracticeFixture.create(identities);
        setup.installDefaults(id(practice.practice));
        Patient first = Builders.aPatient(practice.practice);
        String firstRef = "Patient/" + Api.create(first);
        String firstFamily = first.getNameFirstRep().getFamily();

        try (Browser desk = Browser.open(base)) {
            desk.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
            desk.go("/staff/queue");
            desk.waitUntil(x -> desk.text(By.id("live-status")).startsWith("Live"));
            desk.js("window.__noReload = 'journey';");

            // ---- the item arrives live, already routed by the rules
            Api.create(
                    aMessage(firstRef, practice.pool, "Please refill my inhaler, I am almost out"));
            desk.waitUntil(LIVE_UPDATE, x -> !rows(desk, firstFamily).isEmpty());
            assertEquals(
                    "journey",
                    desk.js("return window.__noReload;"),
                    "the queue page was not reloaded");
            String row = desk.waitUntil(x -> rows(desk, firstFamily).get(0).getText());
            assertTrue(row.contains("Refills"), row);
            assertTrue(row.contains("refill"), row);
            assertTrue(
                    row.toLowerCase(java.util.Locale.ROOT).contains("on time"),
                    row); // its answer-due state, in words
            // the pool tabs' counts follow, without a reload
            desk.waitUntil(
                    x -> desk.text(By.cssSelector("a[data-pool='Refills'] .bp-count")).equals("1"));
            assertEquals(
                    "journey",
                    desk.js("return window.__noReload;"),
                    "the queue page was not reloaded");

            // ---- claim it: the thread opens, held by the desk
            desk.waitUntil(
                    x -> {
                        rows(desk, firstFamily)
                                .get(0)
                                .findElement(
                                        By.xpath(
                                                ".//button[starts-with(normalize-space(), 'Claim')]"))
                                .click();
                        return true;
                    });
            desk.waitUntil(x -> desk.path().startsWith("/staff/threads/"));
            String threadPath = desk.path();
            assertEquals("You claimed this conversation.", desk.text(By.id("done")));
            // in plain words: the status is "Being answered", never the FHIR code
            assertTrue(
                    desk.text(By.cssSelector(".bp-item")).contains("Being answered"),
                    desk.bodyText());
            assertFalse(desk.bodyText().contains("in-progress"), desk.bodyText());
            desk.find(By.cssSelector(".bp-item button#release"));
            desk.find(By.cssSelector("button[aria-controls='rule-log']")).click();
            desk.waitUntil(x -> desk.text(By.id("rule-log")).contains("Acted"));

            // ---- reply with a template
            new Select(desk.find(By.id("template"))).selectByVisibleText("Refill sent");
            desk.find(By.id("use-template")).click();
            desk.waitUntil(
                    x ->
                            desk.find(By.id("text"))
                                    .getAttribute("value")
                                    .contains("your refill has been sent"));
            assertTrue(desk.find(By.id("text")).getAttribute("value").contains(firstFamily));
            desk.find(By.cssSelector("form[action$='/reply'] button[type='submit']")).click();
            desk.waitUntil(
                    x ->
                            desk.path().equals(threadPath.split("\\?")[0])
                                    && desk.text(By.id("messages"))
                                            .contains("your refill has been sent"));
            assertEquals("Reply sent.", desk.text(By.id("done")));

            // ---- two more refill requests arrive; one batch reply answers both
            Patient second = Builders.aPatient(practice.practice);
            Patient third = Builders.aPatient(practice.practice);
            String secondRef = "Patient/" + Api.create(second);
            String thirdRef = "Patient/" + Api.create(third);
            desk.go("/staff/queue");
            desk.waitUntil(x -> desk.text(By.id("live-status")).startsWith("Live"));
            Api.create(aMessage(secondRef, practice.pool, "Refill of my metformin please"));
            Api.create(aMessage(thirdRef, practice.pool, "I need a refill of my statin"));
            String secondFamily = second.getNameFirstRep().getFamily();
            String thirdFamily = third.getNameFirstRep().getFamily();
            desk.waitUntil(
                    LIVE_UPDATE,
                    x -> !rows(desk, secondFamily).isEmpty() && !rows(desk, thirdFamily).isEmpty());
            for (String family : List.of(secondFamily, thirdFamily)) {
                desk.waitUntil(
                        x -> {
                            WebElement box =
                                    rows(desk, family)
                                            .get(0)
                                            .findElement(By.cssSelector("input[name='item']"));
                            if (!box.isSelected()) {
                                // the USWDS checkbox: its label is what a person clicks (the input
                                // itself is drawn by the label)
                                rows(desk, family)
                                        .get(0)
                                        .findElement(By.cssSelector(".bp-pick label"))
                                        .click();
                            }
                            return box.isSelected();
                        });
            }
            new Select(desk.find(By.id("batch-template"))).selectByVisibleText("Refill sent");
            desk.find(By.id("batch-preview")).click();
            desk.waitUntil(x -> desk.path().equals("/staff/items/batch/preview"));
            String preview = desk.text(By.id("batch"));
            assertTrue(preview.contains(secondFamily + ", your refill has been sent"), preview);
            assertTrue(preview.contains(thirdFamily + ", your refill has been sent"), preview);
            desk.find(By.id("batch-send")).click();
            desk.waitUntil(x -> desk.path().equals("/staff/items/batch/send"));
            assertEquals("Reply sent to 2 patients.", desk.text(By.id("batch-summary")));
        }
    }

    private static List<WebElement> rows(Browser browser, String family) {
        return browser.driver()
                .findElements(
                        By.xpath(
                                "//tbody[@id='queue-rows']/tr[td//a[contains(normalize-space(), '"
                                        + family
                                        + "')]]"));
    }
}
