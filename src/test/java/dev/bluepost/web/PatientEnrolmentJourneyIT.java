package dev.bluepost.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Browser;
import dev.bluepost.testing.Builders;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Patient enrolment in headless Chromium (ADR 0041): the front desk invites a new patient from the
 * online-access page and reads the code off the printable letter; then, in a fresh browser as a phone
 * shows it (390 px wide), the patient opens /activate, types the code and their date of birth, chooses
 * a user name and a password, skips the second factor and sends a first message, which arrives in the
 * practice's queue.
 */
@QuarkusTest
class PatientEnrolmentJourneyIT {

    @TestHTTPResource("/")
    URI base;

    @Inject IdentityService identities;

    @Test
    void frontDeskInvitesAndThePatientActivatesOnAPhoneAndSendsAFirstMessage() {
        PracticeFixture practice = PracticeFixture.create(identities);
        Patient resource = Builders.aPatient(practice.practice);
        LocalDate born = LocalDate.of(1979, 8, 14);
        resource.setBirthDate(Date.from(born.atStartOfDay(ZoneOffset.UTC).toInstant()));
        UUID patient = UUID.fromString(Api.create(resource));
        String name = resource.getNameFirstRep().getNameAsSingleString();

        String code;
        try (Browser desk = Browser.open(base)) {
            desk.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
            desk.go("/staff/online-access?q=" + resource.getNameFirstRep().getFamily());
            desk.find(By.id("invite-" + patient)).click();
            desk.waitUntil(d -> desk.path().equals("/staff/online-access/" + patient + "/invite"));
            assertThat(desk.text(By.tagName("h1"))).isEqualTo("Invite " + name + " to the portal");
            desk.find(By.id("issue-code")).click();
            desk.waitUntil(d -> !d.findElements(By.id("letter")).isEmpty());
            assertThat(desk.text(By.id("code-issued"))).contains("shown only on this page");
            // the print button is there once the script runs; the letter names the practice, the
            // page and the last day
            assertThat(desk.find(By.id("print-letter")).isDisplayed()).isTrue();
            assertThat(desk.text(By.id("letter")))
                    .contains(name)
                    .contains("/activate")
                    .contains("The code works once, until");
            code = desk.text(By.id("activation-code"));
            assertThat(code).matches("[2-9A-Z]{4}(-[2-9A-Z]{4}){3}");
            // printed, the paper shows the letter alone: no header, navigation, footer or buttons
            ((org.openqa.selenium.chromium.ChromiumDriver) desk.driver())
                    .executeCdpCommand(
                            "Emulation.setEmulatedMedia", java.util.Map.of("media", "print"));
            assertThat(desk.find(By.id("letter")).isDisplayed()).isTrue();
            assertThat(desk.find(By.id("activation-code")).isDisplayed()).isTrue();
            assertThat(desk.find(By.cssSelector("header.usa-header")).isDisplayed()).isFalse();
            assertThat(desk.find(By.cssSelector("footer.usa-footer")).isDisplayed()).isFalse();
            assertThat(desk.find(By.id("print-letter")).isDisplayed()).isFalse();
            desk.screenshot(
                    java.nio.file.Path.of(
                            "target",
                            "page-screenshots",
                            "frontdesk-activation-letter-printed.png"));
            ((org.openqa.selenium.chromium.ChromiumDriver) desk.driver())
                    .executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("media", ""));
        }

        String username = "journey-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = "First message " + username;
        try (Browser phone = Browser.open(base)) {
            phone.emulate(390, 844, true);
            phone.go("/activate");
            // typed as a person might: lower case, spaces instead of dashes
            phone.find(By.id("code")).sendKeys(code.toLowerCase().replace('-', ' '));
            new Select(phone.find(By.id("month"))).selectByVisibleText("August");
            phone.find(By.id("day")).sendKeys("14");
            phone.find(By.id("year")).sendKeys("1979");
            phone.find(By.cssSelector("form[action='/activate'] button[type='submit']")).click();
            phone.waitUntil(d -> !d.findElements(By.id("username")).isEmpty());
            assertThat(phone.text(By.tagName("h1"))).isEqualTo("Choose your sign-in details");
            phone.find(By.id("username")).sendKeys(username);
            phone.find(By.id("password")).sendKeys("quiet-meadow-58");
            phone.find(By.id("confirm")).sendKeys("quiet-meadow-58");
            phone.find(By.cssSelector("form[action='/activate/account'] button[type='submit']"))
                    .click();
            phone.waitUntil(d -> phone.path().equals("/activate/welcome"));
            assertThat(phone.text(By.id("welcome"))).isEqualTo("Your account is ready");
            assertThat(phone.find(By.id("set-up-mfa")).getAttribute("href"))
                    .endsWith("/login/mfa/enrol?next=%2Fpatient");
            phone.find(By.id("skip-mfa")).click();
            phone.waitUntil(d -> phone.path().equals("/patient"));

            phone.find(By.linkText("New message")).click();
            phone.waitUntil(d -> phone.path().equals("/patient/messages/new"));
            new Select(phone.find(By.id("recipient"))).selectByVisibleText("Front desk");
            new Select(phone.find(By.id("category"))).selectByVisibleText("Medical question");
            phone.find(By.id("subject")).sendKeys(subject);
            phone.find(By.id("text")).sendKeys("Hello, this is my first message through Bluepost.");
            phone.find(By.cssSelector("form[action='/patient/messages'] button[value='send']"))
                    .click();
            phone.waitUntil(d -> phone.path().startsWith("/patient/threads/"));
            assertThat(phone.text(By.id("done"))).isEqualTo("Message sent.");
            Object overflow =
                    phone.js("return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(1);
        }

        // the message arrived: a thread of the new patient in the practice, sent by the new login
        UUID login = identities.findByUsername(username).orElseThrow().id();
        assertThat(identities.user(login).orElseThrow().patientId()).isEqualTo(patient);
        assertThat(
                        Sql.count(
                                "select count(*) from message_thread t join message m on m.thread_id = t.id "
                                        + "where t.patient_id = ? and t.practice_id = ? and m.sent_by_user_id = ?",
                                patient,
                                PracticeFixture.id(practice.practice),
                                login))
                .isEqualTo(1);
    }
}
