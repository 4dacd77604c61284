package dev.bluepost.web;

import static dev.bluepost.testing.Builders.aProxy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Browser;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SampleFiles;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The patient's and the proxy's journeys in headless Chromium against the real broker and
 * database: sign in (the proxy picks whom they act for), read the safety notice, send a message
 * with an attachment ("Message sent"), see the care team's answer arrive on the open conversation
 * without a reload (server-sent events), see it "opened by your care team", and download the whole
 * history (printable page, FHIR file, the attachment's bytes). The proxy never sees a thread the
 * patient marked sensitive, in the list or in the download.
 */
@QuarkusTest
class PatientJourneyIT {

    @TestHTTPResource("/")
    URI base;

    @Inject IdentityService identities;

    @Test
    void patientSendsWithAttachmentSeesItOpenedReadsReplyAndDownloadsHistory() throws IOException {
        PracticeFixture practice = PracticeFixture.create(identities);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String subject = "Rash on my arm " + suffix;
        String question = "Here is a photo of the rash. Should I come in? (" + suffix + ")";
        String answer =
                "It looks like contact dermatitis; use the cream we discussed. (" + suffix + ")";
        Path photo = file("rash-" + suffix + ".png", SampleFiles.png());

        try (Browser patient = Browser.open(base)) {
            patient.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
            assertThat(patient.path()).isEqualTo("/patient");

            String threadId = send(patient, subject, question, photo);
            assertThat(patient.text(By.cssSelector("ol.bp-messages")))
                    .contains(question)
                    .contains(photo.getFileName().toString());
            assertThat(patient.text(By.cssSelector("ol.bp-messages .bp-message__receipt")))
                    .isEqualTo("Not yet opened by your care team");
            // the attachment is marked by an icon image (no emoji that a phone without the font
            // shows as a box)
            assertThat(patient.find(By.cssSelector(".bp-attachments img")).getAttribute("src"))
                    .endsWith("/uswds/img/usa-icons/attach_file.svg");
            assertThat(patient.find(By.cssSelector(".bp-attachments img")).getAttribute("alt"))
                    .isEmpty();

            // the front desk opens the thread and answers, while the patient keeps the conversation
            // open
            WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
            desk.get("/staff/threads/" + threadId).then().statusCode(200);
            desk.submit("/staff/threads/" + threadId + "/reply", Map.of("text", answer))
                    .then()
                    .statusCode(303);

            // the answer appears on the open page without a reload (the event names the message;
            // the page fetches it)
            patient.waitUntil(
                    Duration.ofSeconds(30), d -> patient.text(By.id("messages")).contains(answer));
            assertThat(patient.path()).isEqualTo("/patient/threads/" + threadId);
            assertThat(
                            patient.find(By.cssSelector("ol.bp-messages > li:last-child"))
                                    .getAttribute("class"))
                    .contains("bp-message--care-team");
            // a status line says so to screen readers (it is visually hidden, so its text is read
            // from the DOM)
            assertThat(patient.find(By.id("live-status")).getAttribute("textContent"))
                    .isEqualTo("A new message arrived in this conversation.");

            patient.go("/patient");
            patient.find(By.linkText(subject)).click();
            patient.waitUntil(d -> patient.path().equals("/patient/threads/" + threadId));
            List<WebElement> messages =
                    patient.driver().findElements(By.cssSelector("ol.bp-messages > li"));
            assertThat(messages).hasSize(2);
            assertThat(
                            messages.get(0)
                                    .findElement(By.cssSelector(".bp-message__receipt"))
                                    .getText())
                    .startsWith("Opened by your care team ");
            assertThat(messages.get(1).getText()).contains(answer);
            assertThat(messages.get(1).getAttribute("class")).contains("bp-message--care-team");

            // the attachment comes back byte for byte, typed from its content
            String href =
                    messages.get(0)
                            .findElement(By.cssSelector(".bp-attachments a"))
                            .getAttribute("href");
            Map<?, ?> download = fetch(patient, href);
            assertThat(download.get("status")).isEqualTo(200L);
            assertThat((String) download.get("type")).startsWith("image/png");
            assertThat(download.get("size")).isEqualTo((long) SampleFiles.png().length);

            // Blue Button: the printable page and the FHIR file hold the whole conversation
            patient.go("/patient/history");
            patient.find(By.linkText("Printable page")).click();
            patient.waitUntil(d -> patient.path().equals("/patient/history/print"));
            assertThat(patient.bodyText()).contains(subject).contains(question).contains(answer);
            Map<?, ?> bundle = fetch(patient, base.resolve("/patient/history/bundle").toString());
            assertThat(bundle.get("status")).isEqualTo(200L);
            assertThat((String) bundle.get("type")).startsWith("application/fhir+json");
            assertThat((String) bundle.get("text"))
                    .contains("\"resourceType\": \"Bundle\"")
                    .contains("\"Communication\"")
                    .contains("contentAttachment")
                    .contains(photo.getFileName().toString());
        } finally {
            Files.deleteIfExists(photo);
        }
    }

    @Test
    void proxyActsForThePatientAndNeverSeesSensitiveThreads() throws IOException {
        PracticeFixture practice = PracticeFixture.create(identities);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        // a proxy for two patients of the practice: they pick whom they act for
        String forPatient = relatedPerson(practice.patient);
        String proxyLogin = proxyLogin(forPatient, relatedPerson(practice.otherPatient));

        // the patient keeps one conversation to themself
        String secretSubject = "Private matter " + suffix;
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new").then().statusCode(200);
        String secretLocation =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        secretSubject,
                                        "text",
                                        "Only for my care team " + suffix,
                                        "action",
                                        "send"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String secretThread = secretLocation.substring(secretLocation.lastIndexOf('/') + 1);
        patient.submit(
                        "/patient/threads/" + secretThread + "/sensitive",
                        Map.of("sensitive", "true"))
                .then()
                .statusCode(303);

        String subject = "Mum's referral letter " + suffix;
        String question = "I attach the referral letter for my mother. (" + suffix + ")";
        String answer = "Thank you, we have added it to her record. (" + suffix + ")";
        Path letter = file("referral-" + suffix + ".pdf", SampleFiles.pdf("Referral " + suffix));

        try (Browser proxy = Browser.open(base)) {
            proxy.go("/login");
            proxy.find(By.id("username")).sendKeys(proxyLogin);
            proxy.find(By.id("password")).sendKeys(PracticeFixture.PASSWORD);
            proxy.find(By.cssSelector("form[action='/login'] button[type='submit']")).click();
            proxy.waitUntil(d -> proxy.path().equals("/proxy/choose"));
            assertThat(proxy.text(By.tagName("h1"))).isEqualTo("Who are you acting for?");
            assertThat(proxy.driver().findElements(By.cssSelector("input[name='relatedPerson']")))
                    .hasSize(2);
            proxy.find(By.cssSelector("label[for='patient-" + forPatient + "']")).click();
            assertThat(
                            proxy.find(
                                            By.cssSelector(
                                                    "input[name='relatedPerson'][value='"
                                                            + forPatient
                                                            + "']"))
                                    .isSelected())
                    .isTrue();
            proxy.find(By.cssSelector("form[action='/proxy/choose'] button[type='submit']"))
                    .click();
            proxy.waitUntil(d -> proxy.path().equals("/patient"));
            assertThat(proxy.text(By.cssSelector(".bp-acting"))).startsWith("You are acting for ");
            assertThat(proxy.text(By.id("done"))).startsWith("You are now acting for ");
            assertThat(proxy.bodyText()).doesNotContain(secretSubject);

            String threadId = send(proxy, subject, question, letter);
            assertThat(proxy.text(By.cssSelector("ol.bp-messages .bp-message__meta")))
                    .startsWith("You · ");

            // the care team sees who wrote it: the proxy, on the patient's behalf
            WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
            desk.get("/staff/threads/" + threadId)
                    .then()
                    .statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("(on behalf of the patient)"));
            desk.submit("/staff/threads/" + threadId + "/reply", Map.of("text", answer))
                    .then()
                    .statusCode(303);

            proxy.go("/patient/threads/" + threadId);
            List<WebElement> messages =
                    proxy.driver().findElements(By.cssSelector("ol.bp-messages > li"));
            assertThat(messages).hasSize(2);
            assertThat(
                            messages.get(0)
                                    .findElement(By.cssSelector(".bp-message__receipt"))
                                    .getText())
                    .startsWith("Opened by your care team ");
            assertThat(messages.get(1).getText()).contains(answer);

            // the sensitive thread is not there, not even by its address
            proxy.go("/patient/threads/" + secretThread);
            assertThat(proxy.text(By.tagName("h1"))).isEqualTo("Not found");
            proxy.go("/patient/history/print");
            assertThat(proxy.bodyText())
                    .contains(subject)
                    .contains(answer)
                    .doesNotContain(secretSubject);
            Map<?, ?> bundle = fetch(proxy, base.resolve("/patient/history/bundle").toString());
            assertThat(bundle.get("status")).isEqualTo(200L);
            assertThat((String) bundle.get("text"))
                    .contains(question)
                    .contains(letter.getFileName().toString())
                    .doesNotContain(secretSubject)
                    .doesNotContain(secretThread);
        } finally {
            Files.deleteIfExists(letter);
        }
    }

    /** Composes a message to the practice's front desk with one file and returns the new thread's id. */
    private static String send(Browser browser, String subject, String text, Path file) {
        browser.find(By.linkText("New message")).click();
        browser.waitUntil(d -> browser.path().equals("/patient/messages/new"));
        WebElement safety = browser.find(By.cssSelector(".bp-safety"));
        assertThat(safety.getText()).contains("call 911").contains("988");
        new Select(browser.find(By.id("recipient"))).selectByVisibleText("Front desk");
        new Select(browser.find(By.id("category"))).selectByVisibleText("Medical question");
        browser.find(By.id("subject")).sendKeys(subject);
        browser.find(By.id("text")).sendKeys(text);
        browser.find(By.id("files")).sendKeys(file.toAbsolutePath().toString());
        browser.find(By.cssSelector("form[action='/patient/messages'] button[value='send']"))
                .click();
        browser.waitUntil(d -> browser.path().startsWith("/patient/threads/"));
        assertThat(browser.text(By.tagName("h1"))).isEqualTo(subject);
        assertThat(browser.text(By.id("done"))).isEqualTo("Message sent.");
        assertThat(browser.find(By.id("done")).getAttribute("role")).isEqualTo("status");
        return browser.path().substring("/patient/threads/".length());
    }

    /** Fetches a URL with the browser's own session and reports status, content type, size and (for text) the body. */
    private static Map<?, ?> fetch(Browser browser, String url) {
        return (Map<?, ?>)
                browser.asyncJs(
                        """
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {credentials: 'same-origin'}).then(async r => {
                  const bytes = new Uint8Array(await r.arrayBuffer());
                  const type = r.headers.get('content-type') || '';
                  const text = type.startsWith('image/') ? '' : new TextDecoder().decode(bytes);
                  done({status: r.status, type: type, size: bytes.length, text: text});
                }).catch(e => done({status: -1, type: '', size: 0, text: String(e)}));""",
                        url);
    }

    private static Path file(String name, byte[] content) throws IOException {
        Path dir = Files.createTempDirectory("bluepost-upload-");
        return Files.write(dir.resolve(name), content);
    }

    private static String relatedPerson(String patient) {
        RelatedPerson proxy = aProxy(patient);
        proxy.getPeriod().setStart(Date.from(Instant.now().minus(Duration.ofDays(30))));
        return Api.create(proxy);
    }

    private String proxyLogin(String... relatedPersonIds) {
        String login = "proxy-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Proxy",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        java.util.Arrays.stream(relatedPersonIds)
                                .map(UUID::fromString)
                                .collect(java.util.stream.Collectors.toSet())));
        return login;
    }
}
