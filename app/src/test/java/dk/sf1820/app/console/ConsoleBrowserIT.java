package dk.sf1820.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.app.Sf1820Application;
import dk.sf1820.app.audit.TransferProjection;
import dk.sf1820.app.audit.TransferState;
import dk.sf1820.app.audit.TransferStatus;
import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ResendRequested;
import dk.sf1820.testsupport.TopicReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The operator console in a real browser (issue 14): Debian's headless Chromium driven by its own
 * chromedriver (no browser download), against the whole pipeline on a real broker and the emulator. One
 * transfer is delivered; another fails because DST's IN folder is made unusable (the platform answers
 * 500 ROUTING_FAILED); with the folder back, the operator resends the failed one from the page and the
 * resend is delivered. A failing test leaves a screenshot in target/.
 */
class ConsoleBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration DELIVERY = Duration.ofSeconds(90);

    static final EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1)
            .brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1"));

    @TempDir
    static Path work;

    static ConfigurableApplicationContext app;
    static ChromeDriver browser;
    static String baseUrl;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                screenshot(Path.of(
                        "target", "console-" + context.getRequiredTestMethod().getName() + "-failed.png"));
            }
        }
    };

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium or chromedriver absent (" + CHROMIUM + ", " + CHROMEDRIVER + "); install Debian's chromium"
                        + " and chromium-driver to run the console's browser test");
        kafka.afterPropertiesSet();
        app = Sf1820Application.start(
                true,
                List.of(
                        "--sf1820.work-dir=" + work,
                        "--sf1820.embedded.kafka=false",
                        "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                        "--sf1820.stages=extractor,packager,transporter,receipt-tracker",
                        "--sf1820.embedded.scan-interval=500ms",
                        "--sf1820.receipt-tracker.poll-interval=500ms",
                        "--server.port=0"),
                Map.of());
        baseUrl = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port") + "/";
        // the system's driver and browser, named explicitly, so Selenium Manager downloads nothing
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                        .usingAnyFreePort()
                        .build(),
                options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        kafka.destroy();
    }

    @Test
    void anOperatorSeesADeliveredAndAFailedTransferOpensItsTimelineAndResendsIt() throws Exception {
        // Given one transfer delivered to DST
        String delivered = submit("ky-delivered.csv");
        TransferStatus deliveredStatus = awaitState(delivered, TransferState.SUCCEEDED);
        Path dstIn = inFolderHolding(deliveredStatus.fileName());

        // and one that failed: DST's IN is a file, not a folder, while the platform routes it
        Path away = dstIn.resolveSibling("IN.away");
        Files.move(dstIn, away);
        Files.writeString(dstIn, "not a folder");
        String failed = submit("ky-failed.csv");
        awaitState(failed, TransferState.FAILED);
        Files.delete(dstIn);
        Files.move(away, dstIn, StandardCopyOption.ATOMIC_MOVE);

        // When the operator opens the console
        browser.get(baseUrl);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        WebElement deliveredRow = wait.until(ExpectedConditions.presenceOfElementLocated(row("transfers", delivered)));
        WebElement failedRow = browser.findElement(row("transfers", failed));

        // Then both show with their state, and the failed one is on top under "needs attention"
        assertThat(deliveredRow.getAttribute("data-state")).isEqualTo("SUCCEEDED");
        assertThat(deliveredRow.getText()).contains("KY", "0101", "K1", deliveredStatus.fileName());
        assertThat(failedRow.getAttribute("data-state")).isEqualTo("FAILED");
        WebElement attention = browser.findElement(row("attention", failed));
        assertThat(attention.getText()).contains("500");
        assertThat(browser.findElements(row("attention", delivered))).isEmpty();
        screenshot(Path.of("target", "console.png"));

        // When they open the failed transfer's timeline
        failedRow.click();
        WebElement timeline = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("timeline")));
        wait.until(d -> !d.findElements(By.cssSelector("#timeline-entries li[data-event=DeliveryFailed]"))
                .isEmpty());
        assertThat(timeline.getText())
                .contains(
                        "ExtractReady",
                        "PackageReady",
                        "TransferUploaded",
                        "ReceiptReceived",
                        "DeliveryFailed",
                        failed);
        screenshot(Path.of("target", "console-timeline.png"));

        // and resend it, confirming with a reason
        timeline.findElement(By.cssSelector("button.resend")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        dialog.findElement(By.id("confirm-ok")).click();
        assertThat(dialog.findElement(By.id("confirm-error")).getText()).contains("Say why");
        dialog.findElement(By.id("confirm-reason")).sendKeys("DST's IN folder is back");
        dialog.findElement(By.id("confirm-ok")).click();
        wait.until(ExpectedConditions.invisibilityOf(dialog));

        // Then the resend is recorded with who and why, and a new transfer of the same extract is delivered
        ResendRequested recorded;
        try (TopicReader<SpecificRecordBase> actions =
                TopicReader.events(kafka.getBrokersAsString(), Topics.OPERATOR_ACTIONS.name())) {
            recorded = (ResendRequested) actions.await(failed).value();
        }
        assertThat(recorded.getReason()).isEqualTo("DST's IN folder is back");
        assertThat(recorded.getRequestedBy()).startsWith("local@127.0.0.1");
        TransferStatus resent = await().atMost(DELIVERY)
                .until(
                        () -> statuses().stream()
                                .filter(s -> !s.transferId().equals(delivered)
                                        && !s.transferId().equals(failed))
                                .filter(s -> s.state() == TransferState.SUCCEEDED)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(dstIn.resolve(resent.fileName())).exists();
        wait.withTimeout(Duration.ofSeconds(20))
                // the table is redrawn as it refreshes: a row found may be replaced before it is read
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(row("transfers", resent.transferId())).stream()
                        .anyMatch(e -> "SUCCEEDED".equals(e.getAttribute("data-state"))));
        browser.findElement(row("transfers", failed)).click();
        wait.until(d -> !d.findElements(By.cssSelector("#timeline-entries li[data-event=ResendRequested]"))
                .isEmpty());
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("DST's IN folder is back");
    }

    private static By row(String table, String transferId) {
        return By.cssSelector("#" + table + " tbody tr[data-transfer-id='" + transferId + "']");
    }

    private static String submit(String name) throws IOException {
        Path file = Files.writeString(work.resolve(name), "ydelse;beloeb\n1;" + UUID.randomUUID() + "\n");
        return app.getBean(ExtractSubmitter.class).submit(new ExtractRequest("KY", "0101", "K1", file));
    }

    private static TransferStatus awaitState(String transferId, TransferState state) {
        return await().atMost(DELIVERY)
                .until(
                        () -> statuses().stream()
                                .filter(s -> s.transferId().equals(transferId) && s.state() == state)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    private static List<TransferStatus> statuses() {
        return app.getBean(TransferProjection.class)
                .current(Duration.ofSeconds(20))
                .statuses(ref -> true, Clock.systemUTC());
    }

    /** The platform's IN folder that received this data file: DST's. */
    private static Path inFolderHolding(String fileName) throws IOException {
        try (Stream<Path> files = Files.walk(work.resolve("serviceplatform"))) {
            return files.filter(p -> p.getFileName().toString().equals(fileName))
                    .filter(p -> p.getParent().getFileName().toString().equals("IN"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(fileName + " is in no IN folder of the platform"))
                    .getParent();
        }
    }

    private static void screenshot(Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("no screenshot " + target + ": " + e);
        }
    }
}
