package com.revshare.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a browser test class, with the handful of moves every one of them
 * makes: open a page afresh, run a script, wait until a condition on the page holds (never a
 * sleep), click an element scrolled into view, take a screenshot. The driver itself stays
 * available for what a test does only once.
 */
final class BrowserSession implements AutoCloseable {
    /** Each {@code [data-field]} element under a root: its field name and exact value ({@code data-value}). */
    private static final String READ_VALUES_JS = """
            window.__values = (root) => Object.fromEntries([...root.querySelectorAll('[data-field]')].map((n) => [
              n.dataset.field, n.dataset.value ?? null]));
            """;

    private final ChromeDriver driver;
    private final Duration uiTimeout;

    private BrowserSession(ChromeDriver driver, Duration uiTimeout) {
        this.driver = driver;
        this.uiTimeout = uiTimeout;
    }

    /**
     * The installed Chromium, or a failure saying where it was looked for (only reached with
     * {@code CI=true}: {@link ChromiumAvailable} skips the class elsewhere).
     */
    static Chromium requireChromium() {
        return Chromium.find().orElseGet(() -> {
            fail("CI=true but no Chromium: " + Chromium.whereLooked() + "; .ci/run installs them");
            return null;
        });
    }

    /** {@link #requireChromium()}, with {@code work} emptied for this run's logs, profile and screenshots. */
    static Chromium requireChromiumAndFreshWork(Path work) throws IOException {
        Chromium chromium = requireChromium();
        Chromium.deleteTree(work);
        Files.createDirectories(work);
        return chromium;
    }

    /**
     * Starts Chromium (profile and driver log in {@code work}, downloads to {@code downloads}, a
     * 1440×{@code height} window); scripts may run {@code scriptTimeout}, conditions are awaited
     * up to {@code uiTimeout}.
     */
    static BrowserSession start(Chromium chromium, Path work, Path downloads, int height, Duration scriptTimeout,
            Duration uiTimeout) {
        ChromeDriver driver = chromium.start(work, downloads, height);
        driver.manage().timeouts().scriptTimeout(scriptTimeout);
        return new BrowserSession(driver, uiTimeout);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Loads {@code url} from a blank page, so that a page with only a new #fragment loads anew. */
    void open(String url) {
        driver.get("about:blank");
        driver.get(url);
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Waits until the JavaScript expression {@code condition} is true on the page. */
    void awaitTrue(String condition) {
        new WebDriverWait(driver, uiTimeout).withMessage(condition)
                .until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript("return " + condition)));
    }

    /** Clicks the element after scrolling it to the middle of the window (a sticky header cannot cover it). */
    void click(By by) {
        WebElement element = driver.findElement(by);
        js("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    /** The field names and exact values ({@code data-value}) of the {@code [data-field]} elements under {@code selector}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> values(String selector) {
        return (Map<String, Object>) js(READ_VALUES_JS + "return __values(document.querySelector(arguments[0]));",
                selector);
    }

    byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
