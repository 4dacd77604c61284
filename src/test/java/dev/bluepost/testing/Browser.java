package dev.bluepost.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium session for browser journeys: Debian's {@code chromium} driven through
 * Debian's {@code chromedriver} (both installed with apt; nothing is ever downloaded, so Selenium
 * Manager is never asked), a fresh profile directory per session, no implicit waits.
 * Each instance is a separate person: its own profile, so its own cookies.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM =
            System.getProperty("bluepost.test.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER =
            System.getProperty("bluepost.test.chromedriver", "/usr/bin/chromedriver");
    private static final Duration PAGE_LOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    /**
     * Selenium warns at every start that it has no DevTools (CDP) classes for this Chromium's
     * version; the journeys use WebDriver only, never CDP. Held here so the setting is not collected.
     */
    private static final Logger CDP_VERSION_FINDER =
            quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private final URI base;
    private final Path profile;
    private final ChromeDriver driver;

    private Browser(URI base, Path profile, ChromeDriver driver) {
        this.base = base;
        this.profile = profile;
        this.driver = driver;
    }

    /** Starts a new browser whose relative paths resolve against {@code base} (e.g. http://localhost:port/). */
    public static Browser open(URI base) {
        requireExecutable(CHROMIUM);
        requireExecutable(CHROMEDRIVER);
        // Selenium asks Selenium Manager (which downloads drivers and browsers) only when no driver
        // path is known: the service below names it, and so does this property for any other code
        // path.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER);
        Path profile;
        try {
            profile = Files.createTempDirectory("bluepost-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a Chromium profile directory", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // headless as root, and nothing that reaches for the (closed) network by itself
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--no-default-browser-check",
                "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        // the console's errors are readable by the tests (consoleErrors)
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.setPageLoadTimeout(PAGE_LOAD_TIMEOUT);
        options.setImplicitWaitTimeout(Duration.ZERO);
        options.setScriptTimeout(DEFAULT_WAIT);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(CHROMEDRIVER))
                        .usingAnyFreePort()
                        .build();
        try {
            return new Browser(base, profile, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            deleteQuietly(profile);
            throw e;
        }
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    private static void requireExecutable(String path) {
        if (!new File(path).canExecute()) {
            throw new IllegalStateException(
                    path
                            + " is missing: browser tests need Debian's packages "
                            + "(apt-get install -y chromium chromium-driver)");
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Loads a page of the application (a path such as {@code /login}). */
    public void go(String path) {
        driver.get(base.resolve(path).toString());
    }

    /** The current path (and query) of the page, e.g. {@code /staff/queue}. */
    public String path() {
        URI current = URI.create(driver.getCurrentUrl());
        return current.getRawPath()
                + (current.getRawQuery() == null ? "" : "?" + current.getRawQuery());
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public String text(By by) {
        return driver.findElement(by).getText();
    }

    /** The visible text of the whole page body. */
    public String bodyText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs an asynchronous script: its last argument is the callback to call with the result. */
    public Object asyncJs(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /**
     * Shows pages as a device of this viewport would (a phone: {@code mobile} true, which also honours
     * the page's viewport meta tag), through Chromium's DevTools command of chromedriver.
     */
    public void emulate(int width, int height, boolean mobile) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** Saves a screenshot of the whole page (beyond the viewport) as PNG. */
    public void screenshot(Path file) {
        Map<String, Object> shot =
                driver.executeCdpCommand(
                        "Page.captureScreenshot",
                        Map.of("format", "png", "captureBeyondViewport", true));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot save " + file, e);
        }
    }

    /** The console's errors since the last call (failed loads, script errors, CSP refusals). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    public <T> T waitUntil(ExpectedCondition<T> condition) {
        return waitUntil(DEFAULT_WAIT, condition);
    }

    public <T> T waitUntil(Duration timeout, ExpectedCondition<T> condition) {
        // a live page may replace the elements a condition looks at between two reads, and a page
        // being replaced by the next one may answer for an element of the old document: look again
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .until(
                        d -> {
                            try {
                                return condition.apply(d);
                            } catch (WebDriverException e) {
                                if (isFromAReplacedDocument(e)) {
                                    return null;
                                }
                                throw e;
                            }
                        });
    }

    /**
     * Chromium's answer when an element was found in the document just before the next one
     * replaced it (it is not reported as a stale element).
     */
    private static boolean isFromAReplacedDocument(WebDriverException e) {
        String message = e.getMessage();
        return message != null && message.contains("does not belong to the document");
    }

    /** The language the page is shown in (its {@code lang}), read once the page has one. */
    public String language() {
        return waitUntil(d -> d.findElement(By.tagName("html")).getAttribute("lang"));
    }

    /**
     * Shows the pages in a language (a tag such as {@code es}) with the language chooser in the
     * header, unless they already are; waits until the page has come back in it.
     */
    public void showIn(String language) {
        if (!language.equals(language())) {
            find(By.cssSelector("form[action='/language'] button[value='" + language + "']"))
                    .click();
            waitUntil(d -> language.equals(d.findElement(By.tagName("html")).getAttribute("lang")));
        }
    }

    /** Fills the sign-in form and waits until the application has sent the browser on from /login. */
    public void signIn(String username, String password) {
        go("/login");
        find(By.id("username")).sendKeys(username);
        find(By.id("password")).sendKeys(password);
        find(By.cssSelector("form[action='/login'] button[type='submit']")).click();
        waitUntil(d -> !path().equals("/login") || !d.findElements(By.id("login-error")).isEmpty());
        if (path().startsWith("/login/mfa/enrol")) {
            // a staff login's first sign-in: scan the key into the tests' authenticator and confirm
            // it
            SecondFactor.remember(username, text(By.id("mfa-secret")));
            find(By.id("code")).sendKeys(SecondFactor.code(username));
            find(By.cssSelector("form[action='/login/mfa/enrol'] button[type='submit']")).click();
            waitUntil(d -> !d.findElements(By.id("continue")).isEmpty());
            find(By.id("continue")).click();
        } else if (path().startsWith("/login/mfa")) {
            find(By.id("code")).sendKeys(SecondFactor.code(username));
            find(By.cssSelector("form[action='/login/mfa'] button[type='submit']")).click();
        }
        waitUntil(
                d ->
                        !path().startsWith("/login")
                                || !d.findElements(By.id("login-error")).isEmpty());
        if (path().startsWith("/login")) {
            throw new AssertionError(
                    "sign-in of " + username + " refused: " + text(By.id("login-error")));
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover temp profile is harmless
        }
    }
}
