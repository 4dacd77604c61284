package dev.bluepost.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.testing.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Every page of every role, in Chromium, as a phone (390×844) and a desktop (1280×900) show it: the
 * demo practice's logins sign in and follow every link of the site they can reach (one page of each
 * kind: one conversation, one EP report…). On each page: the document does not scroll sideways, no
 * element is wider than the screen (a table may scroll inside its own box), the console shows no
 * error, and axe-core finds no serious or critical WCAG 2.1 A/AA violation. A screenshot of each page
 * is saved under {@code target/page-screenshots/} for review.
 */
@QuarkusTest
@TestProfile(DemoPracticeProfile.class)
class EveryPageIT {

    private static final String DEMO_PASSWORD = "bluepost-demo";
    private static final Path SCREENSHOTS = Path.of("target", "page-screenshots");
    private static final int MAX_PAGES_PER_LOGIN = 40;
    private static final Pattern ID =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\\d+");

    /** Not pages: files, downloads, the API, feeds and actions. */
    private static final Pattern NOT_A_PAGE =
            Pattern.compile(
                    ".*(\\.(csv|pdf|json|ndjson|txt|zip|png|jpg|xml)$|/download|/attachments/|/events|/stream|/fhir|/q/|/oauth|/logout|/status$).*");

    /** The directory's admin pages (ADR 0042), visited first by the admin. */
    private static final List<String> DIRECTORY_PAGES =
            List.of(
                    "/admin/practitioners",
                    "/admin/practitioners/new",
                    "/admin/locations",
                    "/admin/locations/new",
                    "/admin/pools",
                    "/admin/pools/new",
                    "/admin/practice");

    private static final List<int[]> VIEWPORTS =
            List.of(new int[] {390, 844}, new int[] {1280, 900});

    private static String axe;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void loadAxe() throws IOException {
        try (InputStream in =
                EveryPageIT.class.getClassLoader().getResourceAsStream("axe/axe.min.js")) {
            assertThat(in).as("axe-core (copied into the test classes by the build)").isNotNull();
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void forget() {
        axe = null;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "alice",
                "alice:es",
                "parent",
                "frontdesk",
                "dr.chen",
                "compliance",
                "admin"
            })
    void everyPageWorksOnAPhoneAndADesktop(String loginAndLanguage) {
        String login =
                loginAndLanguage.contains(":")
                        ? loginAndLanguage.substring(0, loginAndLanguage.indexOf(':'))
                        : loginAndLanguage;
        String language =
                loginAndLanguage.contains(":")
                        ? loginAndLanguage.substring(loginAndLanguage.indexOf(':') + 1)
                        : "en";
        List<String> problems = new ArrayList<>();
        Map<String, String> visited = new LinkedHashMap<>();
        try (Browser browser = Browser.open(base)) {
            String who =
                    (login.isEmpty() ? "signed-out" : login)
                            + ("en".equals(language) ? "" : "-" + language);
            if (login.isEmpty()) {
                for (String path :
                        List.of("/login", "/login/forgot", "/activate", "/no-such-page")) {
                    visited.put(path, path);
                    check(browser, who, path, problems);
                }
            } else {
                browser.signIn(login, DEMO_PASSWORD);
                // the language chooser in the header: this login's pages from now on in that
                // language
                browser.showIn(language);
                if (browser.path().startsWith("/proxy/choose")) {
                    visited.put(kind("/proxy/choose"), "/proxy/choose");
                    check(browser, who, "/proxy/choose", problems);
                    browser.go("/proxy/choose");
                    browser.find(By.cssSelector("main form button[type='submit']")).click();
                    browser.waitUntil(d -> !browser.path().startsWith("/proxy/choose"));
                }
                String start = browser.path();
                if ("alice".equals(login) && "en".equals(language)) {
                    // one transmit to the mock HISP's recipient, so that "What you sent" on
                    // /patient/history has a row
                    browser.go("/patient/history/send");
                    browser.find(By.id("direct-address"))
                            .sendKeys(dev.bluepost.bluebutton.MockHisp.RECIPIENT_ADDRESS);
                    browser.find(By.id("direct-submit")).click();
                    browser.waitUntil(d -> browser.path().equals("/patient/history"));
                    assertThat(browser.find(By.id("sent-list")).getText())
                            .contains(dev.bluepost.bluebutton.MockHisp.RECIPIENT_ADDRESS);
                }
                Deque<String> queue = new ArrayDeque<>(List.of(start));
                if ("admin".equals(login)) {
                    queue.addAll(
                            DIRECTORY_PAGES); // the directory's admin pages first (their edit pages
                    // are linked from them)
                }
                while (!queue.isEmpty() && visited.size() < MAX_PAGES_PER_LOGIN) {
                    String path = queue.poll();
                    String kind = kind(path);
                    if (visited.containsKey(kind)) {
                        continue;
                    }
                    visited.put(kind, path);
                    for (String link : check(browser, who, path, problems)) {
                        if (!visited.containsKey(kind(link))) {
                            queue.add(link);
                        }
                    }
                }
            }
            assertThat(visited.size())
                    .as("pages %s reached: %s", who, visited.values())
                    .isGreaterThan(1);
            if ("admin".equals(login)) {
                assertThat(visited.keySet())
                        .as("the directory's admin pages")
                        .contains(
                                "/admin/practitioners",
                                "/admin/practitioners/new",
                                "/admin/practitioners/{id}",
                                "/admin/locations",
                                "/admin/locations/new",
                                "/admin/locations/{id}",
                                "/admin/pools",
                                "/admin/pools/new",
                                "/admin/pools/{id}",
                                "/admin/practice");
                assertThat(visited.keySet())
                        .as("the connected systems pages (ADR 0048)")
                        .contains(
                                "/admin/integrations",
                                "/admin/integrations/new",
                                "/admin/integrations/{id}");
            }
        }
        assertThat(problems)
                .as(
                        "problems on the pages of "
                                + (login.isEmpty() ? "a signed-out visitor" : login)
                                + " (visited "
                                + visited.values()
                                + ")")
                .isEmpty();
    }

    /**
     * Patient enrolment (ADR 0041), pages that no link reaches by itself: the front desk's invitation of a
     * demo patient without a login, the printable letter (the answer of the invitation's form), and the
     * patient's pages with that letter's code: the sign-in details form (the answer of /activate) and the
     * welcome page once the account exists.
     */
    @org.junit.jupiter.api.Test
    void enrolmentPagesWorkOnAPhoneAndADesktop() {
        List<String> problems = new ArrayList<>();
        String[] code = new String[1];
        String invite;
        try (Browser desk = Browser.open(base)) {
            desk.signIn("frontdesk", DEMO_PASSWORD);
            desk.go("/staff/online-access");
            invite =
                    URI.create(desk.find(By.cssSelector("a[id^='invite-']")).getAttribute("href"))
                            .getRawPath();
            check(desk, "frontdesk", invite, problems);
            check(
                    desk,
                    "frontdesk",
                    invite + "/letter",
                    problems,
                    () -> {
                        desk.go(invite);
                        desk.find(By.id("issue-code")).click();
                        desk.waitUntil(d -> !d.findElements(By.id("letter")).isEmpty());
                        code[0] = desk.text(By.id("activation-code"));
                    });
        }
        String patient = invite.split("/")[3];
        java.time.LocalDate born =
                java.time.LocalDate.parse(
                        dev.bluepost.testing.Sql.single(
                                "select birth_date from patient where id = ?::uuid", patient));
        try (Browser person = Browser.open(base)) {
            check(
                    person,
                    "signed-out",
                    "/activate/account",
                    problems,
                    () -> {
                        person.go("/activate");
                        person.find(By.id("code")).sendKeys(code[0]);
                        new org.openqa.selenium.support.ui.Select(person.find(By.id("month")))
                                .selectByValue(Integer.toString(born.getMonthValue()));
                        person.find(By.id("day")).sendKeys(Integer.toString(born.getDayOfMonth()));
                        person.find(By.id("year")).sendKeys(Integer.toString(born.getYear()));
                        person.find(
                                        By.cssSelector(
                                                "form[action='/activate'] button[type='submit']"))
                                .click();
                        person.waitUntil(d -> !d.findElements(By.id("username")).isEmpty());
                    });
            person.find(By.id("username")).sendKeys("every-page-" + patient.substring(0, 8));
            person.find(By.id("password")).sendKeys("every-page-walk-1");
            person.find(By.id("confirm")).sendKeys("every-page-walk-1");
            person.find(By.cssSelector("form[action='/activate/account'] button[type='submit']"))
                    .click();
            person.waitUntil(d -> person.path().equals("/activate/welcome"));
            check(person, "new-patient", "/activate/welcome", problems);
        }
        assertThat(problems).as("problems on the enrolment pages").isEmpty();
    }

    /**
     * The consent page of a patient app (SMART App Launch 2, ADR 0047), which only an app's request
     * reaches: every scope the demo app may ask for, with the lasting-access choice, for a patient,
     * in Spanish, and for a proxy (who also chooses the patient).
     */
    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice:es", "parent"})
    void appConsentPageWorksOnAPhoneAndADesktop(String loginAndLanguage) {
        String login =
                loginAndLanguage.contains(":")
                        ? loginAndLanguage.substring(0, loginAndLanguage.indexOf(':'))
                        : loginAndLanguage;
        String language =
                loginAndLanguage.contains(":")
                        ? loginAndLanguage.substring(loginAndLanguage.indexOf(':') + 1)
                        : "en";
        String consent =
                "/oauth/authorize?response_type=code&client_id=demo-app&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback"
                        + "&scope=launch%2Fpatient%20patient%2FCommunication.crs%20patient%2FEncounter.rs%20patient%2FDocumentReference.rs"
                        + "%20patient%2FPatient.rs%20offline_access&state=every-page"
                        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        List<String> problems = new ArrayList<>();
        try (Browser browser = Browser.open(base)) {
            browser.signIn(login, DEMO_PASSWORD);
            browser.showIn(language);
            String who = login + ("en".equals(language) ? "" : "-" + language);
            check(browser, who, consent, problems);
            assertThat(
                            browser.driver()
                                    .findElements(
                                            By.cssSelector(
                                                    "input[type='checkbox'][name^='grant-']")))
                    .hasSize(5);
            assertThat(
                            browser.driver()
                                    .findElements(
                                            By.cssSelector("input[type='radio'][name='lifetime']")))
                    .hasSize(2);
        }
        assertThat(problems).as("problems on the consent page of " + loginAndLanguage).isEmpty();
    }

    /** Looks at one page at both widths; returns the same-site page links it shows. */
    private List<String> check(Browser browser, String who, String path, List<String> problems) {
        return check(browser, who, path, problems, () -> browser.go(path));
    }

    /** Looks at the page {@code open} shows (e.g. by submitting a form) at both widths; returns its same-site page links. */
    private List<String> check(
            Browser browser, String who, String path, List<String> problems, Runnable open) {
        Set<String> links = new LinkedHashSet<>();
        for (int[] viewport : VIEWPORTS) {
            int width = viewport[0];
            browser.emulate(width, viewport[1], width < 600);
            open.run();
            if (!"text/html".equals(browser.js("return document.contentType;"))) {
                return List.of(); // a download (a FHIR bundle, a file), not a page
            }
            String where = who + " " + path + " @" + width + "px: ";
            if (browser.path().startsWith("/login") && !path.startsWith("/login")) {
                problems.add(where + "the page sent the login to the sign-in page");
                continue;
            }
            Object overflow =
                    browser.js("return document.documentElement.scrollWidth - window.innerWidth;");
            if (((Number) overflow).intValue() > 1) {
                problems.add(where + "the page scrolls sideways by " + overflow + " px");
            }
            @SuppressWarnings("unchecked")
            List<String> wide = (List<String>) browser.js(WIDER_THAN_THE_SCREEN);
            if (!wide.isEmpty()) {
                problems.add(where + "wider than the screen: " + wide);
            }
            if (width < 600) {
                @SuppressWarnings("unchecked")
                List<String> small = (List<String>) browser.js(SMALL_TAP_TARGETS);
                if (!small.isEmpty()) {
                    problems.add(where + "tap targets under 44 px: " + small);
                }
            }
            browser.js(axe);
            Object axeFindings = browser.asyncJs(AXE_RUN);
            if (!"[]".equals(axeFindings)) {
                problems.add(where + "axe: " + axeFindings);
            }
            // (reading the log empties it: each page's check sees only its own errors; a page
            // answered
            // with an error status, the "not found" page, logs its own load as failed)
            List<String> errors =
                    browser.consoleErrors().stream()
                            .filter(e -> !(path.equals("/no-such-page") && e.contains(path)))
                            .toList();
            if (!errors.isEmpty()) {
                problems.add(where + "console errors: " + errors);
            }
            browser.screenshot(SCREENSHOTS.resolve(who + "-" + slug(path) + "-" + width + ".png"));
            if (width > 1000) {
                for (WebElement a : browser.driver().findElements(By.cssSelector("a[href^='/']"))) {
                    String href = a.getAttribute("href");
                    String local = URI.create(href).getRawPath();
                    if (local != null
                            && !local.equals("/")
                            && !NOT_A_PAGE.matcher(local).matches()) {
                        links.add(local);
                    }
                }
            }
        }
        return new ArrayList<>(links);
    }

    /** A page's kind: its path with ids replaced, so one conversation stands for all. */
    static String kind(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return ID.matcher(p).replaceAll("{id}");
    }

    private static String slug(String path) {
        String s = kind(path).replaceAll("[^a-zA-Z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "home" : s;
    }

    /**
     * Controls a finger taps that are less than 44 CSS pixels tall or wide on a phone: buttons, fields, menus,
     * disclosure buttons and links styled as buttons or placed in the navigation (links inside a sentence are not
     * tap targets of their own). A USWDS checkbox or radio counts by its label, the box the finger hits.
     */
    private static final String SMALL_TAP_TARGETS =
            """
            const out = [];
            const controls = document.body.querySelectorAll('button, select, textarea, summary, a.usa-button, .usa-nav a, '
                + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), .usa-checkbox__label, .usa-radio__label');
            for (const e of controls) {
              const r = e.getBoundingClientRect();
              if (r.width <= 1 || r.height <= 1) continue;
              const style = getComputedStyle(e);
              if (style.visibility === 'hidden' || style.display === 'none') continue;
              if (r.height < 43.5 || r.width < 43.5) {
                out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' (' + Math.round(r.width) + '×' + Math.round(r.height) + ')');
              }
              if (out.length >= 6) break;
            }
            return out;
            """;

    /**
     * Visible elements reaching past the screen's right edge that are not inside a box of their own
     * that scrolls or clips (a wide table in a scrolling box is fine; visually hidden text is not seen).
     */
    private static final String WIDER_THAN_THE_SCREEN =
            """
            const vw = document.documentElement.clientWidth;
            const out = [];
            for (const e of document.body.querySelectorAll('*')) {
              const r = e.getBoundingClientRect();
              if (r.width <= 1 || r.height <= 1 || r.right <= vw + 1) continue;
              const style = getComputedStyle(e);
              if (style.visibility === 'hidden' || style.display === 'none' || style.position === 'fixed') continue;
              let contained = false;
              for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                const o = getComputedStyle(a).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') { contained = a.getBoundingClientRect().right <= vw + 1; break; }
              }
              if (!contained) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' (' + Math.round(r.width) + ' px)');
              if (out.length >= 5) break;
            }
            return out;
            """;

    /** axe-core's WCAG 2.1 A and AA rules; the serious and critical findings as "rule: n × selector". */
    private static final String AXE_RUN =
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
              .then(r => done(JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.length + ' x ' + v.nodes[0].target.join(' ')))))
              .catch(e => done('axe failed: ' + e));
            """;
}
