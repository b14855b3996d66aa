package com.revshare.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium and chromedriver (packages {@code chromium}, {@code chromium-driver}), found
 * at fixed paths, never downloaded: Selenium Manager cannot reach its hosts from the build
 * machines, so the driver path is always given explicitly. Overridable with
 * {@code -Drevshare.chromium=…} / {@code -Drevshare.chromedriver=…}.
 */
record Chromium(Path binary, Path driver) {
    private static final List<String> BINARIES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final String DRIVER = "/usr/bin/chromedriver";

    /** The flags that let headless Chromium run as root on a machine with no network but loopback. */
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US");

    static Optional<Chromium> find() {
        Optional<Path> binary = Optional.ofNullable(System.getProperty("revshare.chromium")).map(Path::of)
                .or(() -> BINARIES.stream().map(Path::of).filter(Files::isExecutable).findFirst())
                .filter(Files::isExecutable);
        Path driver = Path.of(System.getProperty("revshare.chromedriver", DRIVER));
        if (binary.isEmpty() || !Files.isExecutable(driver)) {
            return Optional.empty();
        }
        return Optional.of(new Chromium(binary.get(), driver));
    }

    static String whereLooked() {
        return "looked for a browser at " + BINARIES + " and a driver at " + DRIVER
                + " (Debian: apt-get install chromium chromium-driver)";
    }

    /**
     * A headless Chromium with a fresh profile in {@code work}, downloads saved to
     * {@code downloads}, a 1440×{@code height} window and the en-US locale (the test reads
     * formatted numbers).
     */
    ChromeDriver start(Path work, Path downloads, int height) {
        try {
            Files.createDirectories(downloads);
            Path profile = Files.createTempDirectory(Files.createDirectories(work), "chromium-profile-");
            System.setProperty("webdriver.chrome.driver", driver.toString());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(driver.toFile())
                    .usingAnyFreePort()
                    .withLogFile(work.resolve("chromedriver.log").toFile())
                    .withTimeout(Duration.ofSeconds(30))
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(binary.toFile());
            options.addArguments(FLAGS);
            options.addArguments("--user-data-dir=" + profile, "--window-size=1440," + height);
            options.setExperimentalOption("prefs", Map.of(
                    "download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false,
                    "download.directory_upgrade", true,
                    "intl.accept_languages", "en-US"));
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriver driver = new ChromeDriver(service, options);
            // headless Chromium saves downloads only where it is told to
            driver.executeCdpCommand("Browser.setDownloadBehavior",
                    Map.of("behavior", "allow", "downloadPath", downloads.toString()));
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
