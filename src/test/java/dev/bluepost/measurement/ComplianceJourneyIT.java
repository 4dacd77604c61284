package dev.bluepost.measurement;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static dev.bluepost.testing.Builders.sentAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Browser;
import dev.bluepost.testing.PracticeFixture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The compliance journey in headless Chromium: pick measure and period, read the per-EP table and
 * the chart, drill into an EP, export the CSV and the PDF worksheet (fetched by the page's own
 * links with the browser's session).
 */
@QuarkusTest
class ComplianceJourneyIT {

    @TestHTTPResource("/")
    URI base;

    @Inject IdentityService identities;

    @Test
    void complianceOfficerReadsTheNumbersDrillsIntoAnEpAndExports() {
        String practice = "Organization/" + Api.create(aPractice());
        String location = "Location/" + Api.create(aLocation(practice, true));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        org.hl7.fhir.r4.model.Patient first = aPatient(practice);
        first.setBirthDate(java.sql.Date.valueOf(java.time.LocalDate.of(1980, 2, 3)));
        String firstFamily = first.getNameFirstRep().getFamily();
        String p1 = "Patient/" + Api.create(first);
        String p2 = "Patient/" + Api.create(aPatient(practice));
        Api.create(aVisit(p1, ep, location, practice, Instant.parse("2014-05-06T15:00:00Z")));
        Api.create(aVisit(p2, ep, location, practice, Instant.parse("2014-05-07T15:00:00Z")));
        String message =
                "Communication/"
                        + Api.create(
                                sentAt(
                                        aMessage(p1, ep, "question"),
                                        Instant.parse("2014-05-08T15:00:00Z")));
        String query =
                "/fhir/Measure/sm-s2/$evaluate-measure?periodStart=2014-04-01&periodEnd=2014-06-30&practitioner="
                        + ep;
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                fhir().get(query).asString().contains("\"count\": 1")
                                        || fhir().get(query).asString().contains("\"count\":1"));
        String login = "officer-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Compliance Officer",
                        Set.of(Role.COMPLIANCE),
                        PracticeFixture.id(practice),
                        null,
                        null,
                        Set.of()));
        String epId = ep.substring("Practitioner/".length());

        try (Browser browser = Browser.open(base)) {
            browser.signIn(login, PracticeFixture.PASSWORD);
            browser.go("/compliance");
            new Select(browser.find(By.id("measure"))).selectByValue("sm-s2");
            browser.js(
                    "document.getElementById('periodStart').value = '2014-04-01'; document.getElementById('periodEnd').value = '2014-06-30';");
            browser.find(By.id("show")).click();
            browser.waitUntil(d -> browser.path().contains("periodStart=2014-04-01"));

            String table = browser.text(By.id("ep-table"));
            assertThat(table)
                    .contains("1", "2", "50.00 % MET"); // the result tag is in capitals on the page
            assertThat(browser.text(By.id("policy-flags")))
                    .contains(
                            "Messages to a shared inbox: Only the provider it was routed or assigned to (default)",
                            "Patients seen only by the provider's clinical staff: Leave them out (default)")
                    .doesNotContain("poolAttribution", "ASSIGNED_EP", "measures.md");
            String chart = browser.find(By.cssSelector("#chart svg")).getAttribute("outerHTML");
            assertThat(chart).contains("threshold: more than 5 %", "50.00 %", "met");
            assertThat(browser.text(By.id("results-period")))
                    .isEqualTo("Apr 1, 2014 to Jun 30, 2014");

            browser.find(By.cssSelector("a[href^='/compliance/ep/" + epId + "?']")).click();
            browser.waitUntil(d -> browser.path().startsWith("/compliance/ep/" + epId));
            assertThat(browser.text(By.id("ep-counts"))).contains("1 of 2 (50.00 %)");
            // names, birth dates and the dates of the visit and the message: the ids stay in the
            // CSV
            assertThat(browser.text(By.id("numerator-table")))
                    .contains(
                            firstFamily, "Feb 3, 1980", "May 6, 2014", "Thu, May 8, 2014, 11:00 AM")
                    .doesNotContain(
                            p1.substring("Patient/".length()),
                            message.substring("Communication/".length()));
            assertThat(browser.text(By.id("invite-table")))
                    .contains("May 7, 2014")
                    .doesNotContain(p2.substring("Patient/".length()));

            Map<?, ?> csv =
                    fetch(browser, browser.find(By.id("numerator-csv")).getAttribute("href"));
            assertThat(csv.get("status")).isEqualTo(200L);
            assertThat((String) csv.get("type")).startsWith("text/csv");
            assertThat((String) csv.get("head")).contains("# measure,sm-s2");
            Map<?, ?> ids =
                    fetch(browser, browser.find(By.id("numerator-csv")).getAttribute("href"), 4000);
            assertThat((String) ids.get("head"))
                    .as("the CSV keeps the ids")
                    .contains(
                            p1.substring("Patient/".length()),
                            message.substring("Communication/".length()));
            Map<?, ?> pdf =
                    fetch(browser, browser.find(By.id("worksheet-pdf")).getAttribute("href"));
            assertThat(pdf.get("status")).isEqualTo(200L);
            assertThat(pdf.get("type")).isEqualTo("application/pdf");
            assertThat((String) pdf.get("head")).startsWith("%PDF-");

            // the same page in Spanish, from the language chooser
            browser.showIn("es");
            assertThat(browser.text(By.id("ep-counts"))).contains("1 de 2 (50.00 %)");
            assertThat(browser.text(By.id("policy-flags")))
                    .contains("Mensajes a un buzón compartido");
            assertThat(browser.text(By.id("numerator-table"))).contains("feb", "1980");
        }
    }

    private static Map<?, ?> fetch(Browser browser, String href) {
        return fetch(browser, href, 40);
    }

    private static Map<?, ?> fetch(Browser browser, String href, int head) {
        Object result =
                browser.asyncJs(
                        """
                const done = arguments[arguments.length - 1];
                const length = arguments[1];
                fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text().then(t =>
                  done({status: r.status, type: r.headers.get('content-type'), head: t.substring(0, length)})))
                  .catch(e => done({status: -1, type: String(e), head: ''}));""",
                        href,
                        head);
        assertThat(result).isInstanceOf(Map.class);
        return (Map<?, ?>) result;
    }
}
