package io.dicomspanner.systemtest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dicomspanner.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven through its chromedriver (Selenium), for the web console's browser tests: the
 * driver on a port of the run's range, a profile and the driver's log in the run directory, no download of any
 * browser or driver. A test class without chromium and chromedriver is skipped, saying so.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Bound on any wait for the page (a query of these tests ends within seconds). */
    static final Duration WAIT = Duration.ofSeconds(60);

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private ConsoleBrowser(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Skips the calling test class (a JUnit assumption) when chromium or chromedriver is not installed. */
    static void assumeInstalled() {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the console's browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                        + CHROMEDRIVER + "); scripts/dev-services.sh installs them");
    }

    static ConsoleBrowser start(Path runDir) throws IOException {
        return start(runDir, "chromium", 1500, 1300);
    }

    /**
     * A browser of its own {@code name} (profile {@code <name>-profile}, driver log {@code <name>-driver.log}; the
     * default one's are {@code chromium-profile} and {@code chromedriver.log}), so that two can run side by side, with
     * a window of {@code width} x {@code height}.
     */
    static ConsoleBrowser start(Path runDir, String name, int width, int height) throws IOException {
        boolean first = name.equals("chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingPort(FreePorts.one())
                .withLogFile(runDir.resolve(first ? "chromedriver.log" : name + "-driver.log")
                        .toFile())
                // at its default level the driver's log quotes every command, typed patient IDs among them
                .withLogLevel(ChromiumDriverLogLevel.WARNING)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--no-first-run",
                // DevTools over a pipe: no debugging port outside the run's range
                "--remote-debugging-pipe",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createDirectories(runDir.resolve(name + "-profile")));
        try {
            return new ConsoleBrowser(service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Waits until the query shown in {@code section} (e.g. {@code #answer}) has ended in {@code state} ({@code
     * complete}, {@code partial}, ...) and its results are shown.
     */
    void awaitAnswer(String section, String state) {
        await(
                "the query in " + section + " to end " + state,
                d -> d.findElements(By.cssSelector(section + " .progress[data-state='" + state + "']"))
                                .size()
                        == 1);
        awaitElement(section + " .results");
    }

    /** Signs in to the console at {@code base} with {@code key} and waits for the search page. */
    void signIn(String base, String key) {
        driver.get(base + "/ui/");
        awaitElement("#sign-in-form");
        find("#apiKey").sendKeys(key);
        find("#sign-in").click();
        awaitElement("#search-form");
    }

    /** Runs {@code script} in the page and gives what it returns. */
    Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits (bounded) until {@code condition} gives a non-null, non-false value, and returns it. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT)
                .withMessage(what)
                .ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    /** Waits until an element matches {@code css} and returns it. */
    WebElement awaitElement(String css) {
        return await("an element " + css, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /** Scrolls the page so that the element {@code css} is at the top of the window (for a screenshot). */
    void scrollTo(String css) {
        driver.executeScript("arguments[0].scrollIntoView(true);", find(css));
    }

    /** Saves what the browser shows as {@code docs/ui/<name>.png} of the repository. */
    void screenshot(String name) throws IOException {
        Path docs =
                Path.of(System.getProperty("user.dir")).resolve("../docs/ui").normalize();
        Files.createDirectories(docs);
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
