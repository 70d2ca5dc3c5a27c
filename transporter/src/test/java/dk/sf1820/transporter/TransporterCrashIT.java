package dk.sf1820.transporter;

import static dk.sf1820.transporter.Packages.DST;
import static dk.sf1820.transporter.Packages.KSD_SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.ServiceplatformFixture;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Issue 4's crash matrix: the transporter runs as a child JVM ({@link CrashingTransporter}) and is
 * halted, as by {@code kill -9}, at one step of a transfer; the platform scans while it is down, as it
 * would every 10 minutes, and the receipt tracker's deletion of the receipt is done by hand; then the
 * transporter is started again. Every extract must reach DST exactly once, and the platform must have
 * processed exactly one trigger per transferId.
 */
@SpringBootTest(
        classes = TransporterCrashIT.TestApp.class,
        properties = {"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "sf1820.kafka.partitions=1"})
// a killed consumer's partitions must pass to its restarted successor in seconds, not the 45 s default
@EmbeddedKafka(partitions = 1, brokerProperties = "group.min.session.timeout.ms=1000")
class TransporterCrashIT {

    private static final int TRANSFERS = 3;
    private static final Duration CHILD_WAIT = Duration.ofSeconds(120);

    static Path workDir;
    static ServiceplatformEmulator platform;

    @Autowired
    EventPublisher publisher;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    private final List<ScanReport> scans = new ArrayList<>();
    private Process child;

    @BeforeAll
    static void startPlatform() throws IOException {
        Files.createDirectories(Path.of("target"));
        workDir = Files.createTempDirectory(Path.of("target"), "transporter-crash-it-");
        platform = ServiceplatformFixture.start(workDir, KSD_SENDER, DST).emulator();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @AfterEach
    void stopChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroy();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void killedMidDataUpload() throws Exception {
        crashAndRecover("mid-upload");
    }

    @Test
    void killedAfterTheDataFileBeforeTheTrigger() throws Exception {
        crashAndRecover("uploaded");
    }

    /** DATA_UPLOADED is sent without awaiting its acknowledgement: lost or not, the restart must trigger once. */
    @Test
    void killedAfterTheDataUploadedNoteBeforeTriggering() throws Exception {
        crashAndRecover("data-uploaded");
    }

    /** The same point with the unawaited DATA_UPLOADED lost for certain: the restart uploads again and triggers once. */
    @Test
    void killedWithTheDataUploadedNoteLostBeforeTriggering() throws Exception {
        crashAndRecover("data-uploaded-lost");
    }

    @Test
    void killedAfterTheTriggerBeforeTheEvent() throws Exception {
        crashAndRecover("triggered");
    }

    @Test
    void killedAfterTheEventBeforeTheOffsetCommit() throws Exception {
        crashAndRecover("published");
    }

    private void crashAndRecover(String step) throws Exception {
        // Given transfers waiting for a transporter that will be killed at the step
        List<PackageReady> events = new ArrayList<>();
        for (int i = 0; i < TRANSFERS; i++) {
            events.add(Packages.packageReady(stageLargeZip(Packages.fileName("KSD")), KSD_SENDER, "KSD"));
        }
        for (PackageReady event : events) {
            publisher.publish(Topics.PACKAGE_READY, event);
        }
        Path marker = workDir.resolve("crashed-" + step);

        // When it dies there
        child = startTransporter(step, marker, "first");
        assertThat(child.waitFor(CHILD_WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("transporter reached %s", step)
                .isTrue();
        assertThat(child.exitValue()).as("halted at %s", step).isEqualTo(1);
        assertThat(marker).exists();

        // and the platform scans while it is down, and the receipt tracker deletes what it handled
        platformScansAndReceiptsAreHandled();

        // and it is started again
        child = startTransporter(step, marker, "restarted");
        try (TopicReader<?> transfers = TopicReader.events(brokers, Topics.TRANSFER_UPLOADED.name())) {
            for (PackageReady event : events) {
                // the restarted JVM's start counts against the wait: 20 s and more on a loaded machine
                assertThat(transfers
                                .await(event.getTransferId(), 1, CHILD_WAIT)
                                .get(0)
                                .value())
                        .isInstanceOf(TransferUploaded.class);
            }
        }
        platformScansAndReceiptsAreHandled();

        // Then DST has every file exactly once, from exactly one trigger per transferId
        for (PackageReady event : events) {
            List<ScanReport.TriggerOutcome> triggers = scans.stream()
                    .flatMap(s -> s.triggers().stream())
                    .filter(t -> event.getTransferId().equals(t.sendersFileId()))
                    .toList();
            assertThat(triggers)
                    .as("triggers processed for transferId=%s", event.getTransferId())
                    .singleElement()
                    .satisfies(t -> assertThat(t.succeeded()).as("%s", t).isTrue());
            assertThat(platform.home(DST).resolve("IN").resolve(event.getFileName()))
                    .hasSameBinaryContentAs(Path.of(URI.create(event.getPackageRef())));
        }
        try (var out = Files.list(platform.home(KSD_SENDER).resolve("OUT"))) {
            assertThat(out).as("nothing left in OUT").isEmpty();
        }
        System.out.printf(
                "CRASH MATRIX step=%s transfers=%d kills=1 delivered=%d duplicates=0%n",
                step, TRANSFERS, events.size());
    }

    private void platformScansAndReceiptsAreHandled() throws IOException {
        ScanReport report = platform.scanNow();
        scans.add(report);
        for (ScanReport.TriggerOutcome t : report.triggers()) {
            Files.deleteIfExists(platform.home(KSD_SENDER).resolve("IN").resolve(t.fileName() + ".sftpreceipt"));
        }
    }

    private Process startTransporter(String step, Path marker, String run) throws IOException {
        Path log = workDir.resolve("transporter-" + step + "-" + run + ".log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingTransporter.class.getName(),
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--spring.kafka.consumer.properties.session.timeout.ms=2000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=500",
                "--sf1820.kafka.partitions=1",
                "--logging.level.org.apache.kafka=WARN",
                "--logging.level.org.apache.sshd=WARN",
                "--sf1820.transporter.staging-dir=" + workDir.resolve("staging"),
                "--crash.user=" + KSD_SENDER,
                "--crash.port=" + platform.port(),
                "--crash.key=" + workDir.resolve("keys").resolve(KSD_SENDER),
                "--crash.known-hosts=" + workDir.resolve("known_hosts"),
                "--crash.halt-at=" + step,
                "--crash.marker=" + marker,
                "--crash.platform-out=" + platform.home(KSD_SENDER).resolve("OUT"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
    }

    /** 8 MiB that do not compress, so an upload takes long enough to be caught in the middle. */
    private static Path stageLargeZip(String fileName) throws IOException {
        Path zip = Packages.packagePath(
                workDir.resolve("staging"), java.util.UUID.randomUUID().toString(), fileName);
        Random random = new Random(fileName.hashCode());
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("extract.bin"));
            for (int i = 0; i < 128; i++) {
                random.nextBytes(block);
                z.write(block);
            }
            z.closeEntry();
        }
        return zip;
    }

    /** The test's side: publishes PackageReady and creates the pipeline topics; the transporter runs in the child. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApp {}
}
