package dk.sf1820.transporter;

import static dk.sf1820.transporter.Packages.DST;
import static dk.sf1820.transporter.Packages.KSD_SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferProgress;
import dk.sf1820.schemas.avro.TransferStep;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.ServiceplatformFixture;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A transporter frozen (a VM pause, a long GC) between its data file and its trigger for longer than the
 * group's session timeout: meanwhile another instance, which got the partition, redoes the transfer, the
 * platform routes it and answers. Resumed, the frozen one must not write a second trigger (the platform
 * would answer it with an error receipt for a file it delivered). Found by {@code chaos/freeze.sh}. The
 * freeze is this instance's thread held in its observer; the other instance is a second transporter with
 * a ledger of its own, on the same broker and platform.
 */
@SpringBootTest(
        classes = TransporterFreezeIT.TestApp.class,
        properties = {"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "sf1820.kafka.partitions=1"})
@EmbeddedKafka(partitions = 1)
class TransporterFreezeIT {

    private static final Path WORK_DIR = createWorkDir();
    private static final long WAIT_SECONDS = 60;

    @Autowired
    SftpTransporter frozen;

    @Autowired
    Freezer freezer;

    @Autowired
    TransferProgressLedger ledger;

    @Autowired
    ServiceplatformEmulator platform;

    @Autowired
    SftpAccounts accounts;

    @Autowired
    SftpConnector connector;

    @Autowired
    TransporterProperties properties;

    @Autowired
    EventPublisher publisher;

    @Autowired
    ConsumerFactory<String, SpecificRecordBase> consumerFactory;

    @Test
    void aTransporterResumedAfterAnotherInstanceDeliveredWritesNoSecondTrigger() throws Exception {
        Path zip = Packages.stageZip(WORK_DIR.resolve("staging"), Packages.fileName("KSD"), 2_000);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        String trigger = event.getFileName() + ".trigger";
        Path out = platform.home(KSD_SENDER).resolve("OUT");

        CompletableFuture<TransferOutcome> zombie = CompletableFuture.supplyAsync(() -> frozen.transfer(event, 1));
        assertThat(freezer.frozen.await(WAIT_SECONDS, TimeUnit.SECONDS))
                .as("data file uploaded")
                .isTrue();
        assertThat(out.resolve(event.getFileName())).exists();
        assertThat(out.resolve(trigger)).doesNotExist();

        try (TransferProgressLedger otherLedger = otherInstancesLedger("other-instance-progress")) {
            SftpTransporter other = otherInstance(otherLedger);
            TransferOutcome delivered = other.transfer(event, 1);
            assertThat(delivered).isInstanceOf(TransferOutcome.Uploaded.class);
            other.published(event, delivered, 1);
            assertThat(otherLedger.lookup(event.getTransferId()))
                    .hasValueSatisfying(
                            p -> assertThat(p.getStep()).isIn(TransferStep.TRIGGERED, TransferStep.PUBLISHED));
        }
        ScanReport routed = platform.scanNow();
        assertThat(routed.trigger(trigger))
                .hasValueSatisfying(t -> assertThat(t.succeeded()).as("%s", t).isTrue());
        assertThat(out.resolve(event.getFileName())).doesNotExist();

        freezer.thaw.countDown();
        Throwable stopped = zombie.handle((outcome, failure) -> failure).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(out.resolve(trigger)).as("a second trigger in OUT").doesNotExist();
        assertThat(platform.scanNow().trigger(trigger)).isEmpty();
        assertThat(stopped)
                .as("the resumed transfer's end")
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(RetryableTransferException.class)
                .hasMessageContaining("another instance recorded");

        // nor did it record a step behind the other's: a replay would take the transfer for one never triggered
        // (the other's PUBLISHED is sent unawaited: the latest record becomes it once acknowledged, unless one follows)
        await("the other instance's PUBLISHED stays the latest step")
                .atMost(Duration.ofSeconds(WAIT_SECONDS))
                .until(
                        () -> ledger.lookup(event.getTransferId())
                                .map(TransferProgress::getStep)
                                .orElse(null),
                        TransferStep.PUBLISHED::equals);

        // its retry (if the partition is still its own) finds the other instance's steps
        TransferOutcome retried = frozen.transfer(event, 2);
        assertThat(retried).isInstanceOf(TransferOutcome.Uploaded.class);
        assertThat(out.resolve(trigger)).doesNotExist();
        assertThat(Files.list(platform.home(DST).resolve("IN"))
                        .map(p -> p.getFileName().toString()))
                .containsOnlyOnce(event.getFileName());
    }

    /**
     * The freeze falls after the ledger check, when {@code TRIGGERING} is recorded: the ledger cannot tell
     * then, the process's own clock can. The pause is this transporter's watch seeing its clock jump.
     */
    @Test
    void aTransporterFrozenAfterRecordingTriggeringStopsBeforeItsTrigger() throws Exception {
        Path zip = Packages.stageZip(WORK_DIR.resolve("staging"), Packages.fileName("KSD"), 2_000);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        String trigger = event.getFileName() + ".trigger";
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        PauseWatch pauses = new PauseWatch(Duration.ofSeconds(5), clock::get);
        CountDownLatch frozen = new CountDownLatch(1);
        CountDownLatch thaw = new CountDownLatch(1);
        TransferObserver freezeBeforeTrigger = new TransferObserver() {
            @Override
            public void triggering(PackageReady e, RemoteFiles files) {
                frozen.countDown();
                try {
                    thaw.await(WAIT_SECONDS * 2, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        SftpTransporter zombieTransporter = new SftpTransporter(
                accounts,
                connector,
                properties,
                freezeBeforeTrigger,
                Clock.systemUTC(),
                ledger,
                dk.sf1820.kafka.ByteProgressPublisher.DISABLED,
                FagsystemRegistry.standard(),
                pauses);

        CompletableFuture<TransferOutcome> zombie =
                CompletableFuture.supplyAsync(() -> zombieTransporter.transfer(event, 1));
        assertThat(frozen.await(WAIT_SECONDS, TimeUnit.SECONDS))
                .as("TRIGGERING recorded")
                .isTrue();
        assertThat(ledger.lookup(event.getTransferId()))
                .hasValueSatisfying(p -> assertThat(p.getStep()).isEqualTo(TransferStep.TRIGGERING));

        try (TransferProgressLedger otherLedger = otherInstancesLedger("other-instance-progress-2")) {
            SftpTransporter other = otherInstance(otherLedger);
            assertThat(other.transfer(event, 1)).isInstanceOf(TransferOutcome.Uploaded.class);
        }
        assertThat(platform.scanNow().trigger(trigger))
                .hasValueSatisfying(t -> assertThat(t.succeeded()).as("%s", t).isTrue());

        clock.addAndGet(Duration.ofSeconds(12).toNanos()); // what the frozen process's clock did meanwhile
        thaw.countDown();
        Throwable stopped = zombie.handle((outcome, failure) -> failure).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(out.resolve(trigger)).as("a second trigger in OUT").doesNotExist();
        assertThat(out.resolve(trigger + ".part")).doesNotExist();
        assertThat(platform.scanNow().trigger(trigger)).isEmpty();
        assertThat(stopped)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(RetryableTransferException.class)
                .hasMessageContaining("stood still");
    }

    /** Holds the first transfer's thread once its data file is on the server, as SIGSTOP would. */
    static class Freezer implements TransferObserver {
        final CountDownLatch frozen = new CountDownLatch(1);
        final CountDownLatch thaw = new CountDownLatch(1);

        @Override
        public void uploaded(PackageReady event, RemoteFiles files, long bytes) {
            if (frozen.getCount() == 0) {
                return;
            }
            frozen.countDown();
            try {
                if (!thaw.await(WAIT_SECONDS * 2, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never thawed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @DynamicPropertySource
    static void stagingDir(DynamicPropertyRegistry registry) {
        registry.add(
                "sf1820.transporter.staging-dir",
                () -> WORK_DIR.resolve("staging").toString());
    }

    private static Path createWorkDir() {
        try {
            Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(Path.of("target"), "transporter-freeze-it-")
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TransporterConfiguration.class)
    static class TestApp {

        @Bean(destroyMethod = "close")
        ServiceplatformFixture platformFixture() {
            return ServiceplatformFixture.start(WORK_DIR, KSD_SENDER, DST);
        }

        // the fixture closes it
        @Bean(destroyMethod = "")
        ServiceplatformEmulator platform(ServiceplatformFixture fixture) {
            return fixture.emulator();
        }

        @Bean
        SftpAccounts sftpAccounts(ServiceplatformEmulator platform, ServiceplatformFixture fixture) {
            return new SftpAccounts(List.of(new SftpAccount(
                    KSD_SENDER,
                    platform.host(),
                    platform.port(),
                    WORK_DIR.resolve("keys").resolve(KSD_SENDER),
                    null,
                    fixture.knownHosts())));
        }

        @Bean
        Freezer freezer() {
            return new Freezer();
        }
    }

    /** The progress ledger of another instance of the stage, reading the same topic in its own group. */
    private TransferProgressLedger otherInstancesLedger(String group) {
        return new TransferProgressLedger(
                partition -> consumerFactory.createConsumer(null, group, "-" + partition),
                publisher,
                Clock.systemUTC(),
                Duration.ofSeconds(30));
    }

    /** Another instance's transporter, never paused, on the same accounts and staging area. */
    private SftpTransporter otherInstance(TransferProgressLedger otherLedger) {
        return new SftpTransporter(
                accounts,
                connector,
                properties,
                new TransferObserver() {},
                Clock.systemUTC(),
                otherLedger,
                dk.sf1820.kafka.ByteProgressPublisher.DISABLED,
                FagsystemRegistry.standard(),
                PauseWatch.NONE);
    }
}
