package dk.sf1820.transporter;

import static dk.sf1820.transporter.Packages.DST;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Many transfers of several senders at once: they are worked on in parallel (seen on the emulator as
 * SFTP sessions open at the same moment, not as timings), and each still ends as one data file and one
 * trigger, with no second trigger when every event is delivered again.
 */
@SpringBootTest(
        classes = TransporterConcurrencyIT.TestApp.class,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "sf1820.kafka.partitions=6",
            "sf1820.transporter.concurrency=6"
        })
@EmbeddedKafka(partitions = 6)
class TransporterConcurrencyIT {

    private static final Path WORK_DIR = createWorkDir();
    private static final List<String> FAGSYSTEMS = List.of("KSD", "DUBU", "KY");
    private static final int PER_SENDER = 10;
    /** Transfers that must be in their upload at one moment: more than the three senders, at most 4 per sender. */
    private static final int TOGETHER = 4;

    @Autowired
    EventPublisher publisher;

    @Autowired
    ServiceplatformEmulator platform;

    @Autowired
    TransporterIT.TransferRecorder transfers;

    @Autowired
    TransporterIT.StepRecorder steps;

    @Autowired
    Rendezvous rendezvous;

    @Autowired
    KafkaListenerEndpointRegistry registry;

    @Test
    void transfersOfSeveralSendersRunAtOnceAndEachIsTriggeredOnce() throws Exception {
        List<PackageReady> events = new ArrayList<>();
        for (int i = 0; i < PER_SENDER; i++) {
            for (String fagsystem : FAGSYSTEMS) {
                Path zip = Packages.stageZip(WORK_DIR.resolve("staging"), Packages.fileName(fagsystem), 50);
                events.add(Packages.packageReady(zip, sender(fagsystem), fagsystem));
            }
        }

        // Every consumer owns its one partition before the burst: a rebalance waits for a consumer held at the
        // rendezvous. Six partitions assigned is not enough: the first members to join may hold two each, and the
        // late ones' joining then rebalances the group mid-burst (seen in CI).
        var container = (ConcurrentMessageListenerContainer<?, ?>) registry.getListenerContainer("sf1820-transporter");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> container.getContainers().size() == 6
                        && container.getContainers().stream()
                                .allMatch(consumer -> consumer.getAssignedPartitions() != null
                                        && consumer.getAssignedPartitions().size() == 1));
        events.forEach(event -> publisher.publish(Topics.PACKAGE_READY, event));

        events.forEach(event -> transfers.awaitUploaded(event.getTransferId(), 1));
        assertThat(rendezvous.sessionsWhenMet())
                .as("SFTP sessions open on the emulator while %d transfers were in their upload together", TOGETHER)
                .isGreaterThanOrEqualTo(TOGETHER);
        for (String fagsystem : FAGSYSTEMS) {
            try (Stream<Path> out = Files.list(platform.home(sender(fagsystem)).resolve("OUT"))) {
                List<String> names = out.map(p -> p.getFileName().toString()).toList();
                assertThat(names).filteredOn(n -> n.endsWith(".zip")).hasSize(PER_SENDER);
                assertThat(names).filteredOn(n -> n.endsWith(".zip.trigger")).hasSize(PER_SENDER);
                assertThat(names).hasSize(2 * PER_SENDER);
            }
        }
        ScanReport first = platform.scanNow();
        for (PackageReady event : events) {
            assertThat(first.triggers())
                    .filteredOn(t -> event.getTransferId().equals(t.sendersFileId()))
                    .singleElement()
                    .satisfies(t -> assertThat(t.succeeded())
                            .as("platform outcome %s", t)
                            .isTrue());
        }

        // Every event again, as after a rebalance or replay: nothing is sent twice.
        events.forEach(event -> publisher.publish(Topics.PACKAGE_READY, event));

        events.forEach(event -> transfers.awaitUploaded(event.getTransferId(), 2));
        for (PackageReady event : events) {
            assertThat(steps.of(event.getTransferId()))
                    .containsExactly("uploading", "uploaded", "triggering", "triggered", "alreadyTriggered");
        }
        assertThat(platform.scanNow().triggers()).isEmpty();
        for (String fagsystem : FAGSYSTEMS) {
            assertThat(platform.home(sender(fagsystem)).resolve("OUT")).isEmptyDirectory();
        }
    }

    private static String sender(String fagsystem) {
        return fagsystem + "_SFTPSIMPEL";
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
            return Files.createTempDirectory(Path.of("target"), "transporter-concurrency-it-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Holds the first {@link #TOGETHER} transfers at the start of their upload, each with its SFTP session
     * open, until all of them are there, and then counts the emulator's sessions. A transporter that
     * worked on one transfer at a time would never bring them together: the first would wait in vain.
     */
    static class Rendezvous implements TransferObserver {

        private final ServiceplatformEmulator platform;
        private final CountDownLatch arrived = new CountDownLatch(TOGETHER);
        private final AtomicInteger sessionsWhenMet = new AtomicInteger(-1);

        Rendezvous(ServiceplatformEmulator platform) {
            this.platform = platform;
        }

        @Override
        public void uploading(PackageReady event, RemoteFiles files) {
            arrived.countDown();
            try {
                // shorter than the test's wait for each upload, so a transporter without parallelism fails on the count
                if (arrived.await(20, TimeUnit.SECONDS)) {
                    sessionsWhenMet.compareAndSet(-1, platform.openSessions());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int sessionsWhenMet() {
            return sessionsWhenMet.get();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TransporterConfiguration.class)
    static class TestApp {

        @Bean(destroyMethod = "close")
        ServiceplatformEmulator platform() {
            Path keys = WORK_DIR.resolve("keys");
            ServiceplatformEmulator.Builder builder = ServiceplatformEmulator.builder()
                    .root(WORK_DIR.resolve("platform"))
                    .port(0)
                    .scanInterval(Duration.ZERO)
                    .user(DST, LocalKeys.generate(keys, DST).publicKey());
            FAGSYSTEMS.forEach(f ->
                    builder.user(sender(f), LocalKeys.generate(keys, sender(f)).publicKey()));
            ServiceplatformEmulator platform = builder.build();
            platform.start();
            return platform;
        }

        @Bean
        SftpAccounts sftpAccounts(ServiceplatformEmulator platform) {
            Path keys = WORK_DIR.resolve("keys");
            Path trusted = WORK_DIR.resolve("known_hosts");
            platform.writeKnownHosts(trusted);
            return new SftpAccounts(FAGSYSTEMS.stream()
                    .map(f -> new SftpAccount(
                            sender(f), platform.host(), platform.port(), keys.resolve(sender(f)), null, trusted))
                    .toList());
        }

        @Bean
        TransporterIT.TransferRecorder transferRecorder() {
            return new TransporterIT.TransferRecorder();
        }

        @Bean
        TransporterIT.StepRecorder stepRecorder() {
            return new TransporterIT.StepRecorder();
        }

        @Bean
        Rendezvous rendezvous(ServiceplatformEmulator platform) {
            return new Rendezvous(platform);
        }
    }
}
