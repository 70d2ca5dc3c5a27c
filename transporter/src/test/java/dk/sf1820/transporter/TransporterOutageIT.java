package dk.sf1820.transporter;

import static dk.sf1820.transporter.Packages.DST;
import static dk.sf1820.transporter.Packages.KSD_SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The platform in a service window: transfers wait in the retry topics while the SFTP server is away,
 * and are delivered once it is back, each exactly once; a server that never comes back within the
 * budget ends the transfer in TransferFailed with the cause and the attempts. Short pauses here
 * (0.5 s growing to 1 s, 8 s budget) stand in for the production 10 s .. 15 min over 9 hours.
 */
@SpringBootTest(
        classes = TransporterOutageIT.TestApp.class,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "sf1820.kafka.partitions=2",
            "sf1820.transporter.retry-initial=500ms",
            "sf1820.transporter.retry-max=1s",
            "sf1820.transporter.retry-budget=8s"
        })
@EmbeddedKafka(partitions = 2)
class TransporterOutageIT {

    private static final String ABSENT_SENDER = "KY_SFTPSIMPEL";
    private static final Duration WAIT = Duration.ofSeconds(40);

    static Path workDir;
    static int platformPort;
    static int deadPort;
    static ServiceplatformEmulator platform;

    @Autowired
    EventPublisher publisher;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @DynamicPropertySource
    static void stagingDir(DynamicPropertyRegistry registry) {
        registry.add(
                "sf1820.transporter.staging-dir",
                () -> workDir.resolve("staging").toString());
    }

    @BeforeAll
    static void startPlatform() throws IOException {
        Files.createDirectories(Path.of("target"));
        workDir = Files.createTempDirectory(Path.of("target"), "transporter-outage-it-");
        platformPort = freePort();
        deadPort = freePort();
        platform = startedPlatform();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void transfersQueuedDuringAnOutageAreDeliveredOnceWhenTheServerIsBack() throws Exception {
        // Given the platform is in its service window
        platform.close();
        List<PackageReady> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 200);
            events.add(Packages.packageReady(zip, KSD_SENDER, "KSD"));
        }

        // When transfers arrive and have failed at least twice each
        for (PackageReady event : events) {
            publisher.publish(Topics.PACKAGE_READY, event);
        }
        List<ConsumerRecord<String, SpecificRecordBase>> retried = new ArrayList<>();
        try (TopicReader<SpecificRecordBase> secondRetry =
                TopicReader.events(brokers, "sf1820.package.ready.retry-1000")) {
            for (PackageReady event : events) {
                retried.add(secondRetry.await(event.getTransferId()));
            }
        }
        assertThat(uploaded(events.get(0).getTransferId())).isEmpty();
        // each retry carries one due time, lengthened by jitter beyond the topic's bare 1 s pause
        for (ConsumerRecord<String, SpecificRecordBase> record : retried) {
            assertThat(record.headers().headers(RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP))
                    .hasSize(1);
            assertThat(dueAfter(record)).isBetween(900L, 1300L);
        }
        assertThat(retried).anyMatch(record -> dueAfter(record) > 1010);

        // and the platform comes back on the same address
        platform = startedPlatform();

        // Then every transfer is delivered, and each was triggered exactly once
        await().atMost(WAIT)
                .until(() -> events.stream()
                        .allMatch(e -> !uploaded(e.getTransferId()).isEmpty()));
        ScanReport report = platform.scanNow();
        for (PackageReady event : events) {
            assertThat(report.triggers())
                    .filteredOn(t -> event.getTransferId().equals(t.sendersFileId()))
                    .singleElement()
                    .satisfies(t -> assertThat(t.succeeded()).isTrue());
            assertThat(platform.home(DST).resolve("IN").resolve(event.getFileName()))
                    .hasSameBinaryContentAs(Path.of(java.net.URI.create(event.getPackageRef())));
            assertThat(uploaded(event.getTransferId())).hasSize(1);
            assertThat(failed(event.getTransferId())).isEmpty();
        }
    }

    @Test
    void serverAwayBeyondTheBudgetEndsInTransferFailedWithCauseAndAttempts() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KY"), 10);
        PackageReady event = Packages.packageReady(zip, ABSENT_SENDER, "KY");

        publisher.publish(Topics.PACKAGE_READY, event);

        await().atMost(WAIT).until(() -> !failed(event.getTransferId()).isEmpty());
        TransferFailed failed = failed(event.getTransferId()).get(0);
        assertThat(failed.getCause()).contains(ABSENT_SENDER).contains("127.0.0.1:" + deadPort);
        // 0.5 s + 1 s * 8 pauses reach the 8 s budget: the first attempt and 9 retries
        assertThat(failed.getAttempts()).isEqualTo(TransferRetries.attemptsFor(500, 2.0, 1000, Duration.ofSeconds(8)));
        assertThat(failed.getFileName()).isEqualTo(event.getFileName());
        assertThat(uploaded(event.getTransferId())).isEmpty();

        // a replay after the give-up repeats the verdict instead of trying again
        publisher.publish(Topics.PACKAGE_READY, event);
        await().atMost(WAIT).until(() -> failed(event.getTransferId()).size() == 2);
        assertThat(failed(event.getTransferId()).get(1).getAttempts()).isEqualTo(failed.getAttempts());
    }

    /** How long after it was written a retried record is due. */
    private static long dueAfter(ConsumerRecord<String, SpecificRecordBase> record) {
        byte[] due = record.headers()
                .lastHeader(RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP)
                .value();
        return new java.math.BigInteger(due).longValue() - record.timestamp();
    }

    private List<TransferUploaded> uploaded(String transferId) {
        return transferEvents(transferId).stream()
                .filter(TransferUploaded.class::isInstance)
                .map(TransferUploaded.class::cast)
                .toList();
    }

    private List<TransferFailed> failed(String transferId) {
        return transferEvents(transferId).stream()
                .filter(TransferFailed.class::isInstance)
                .map(TransferFailed.class::cast)
                .toList();
    }

    private List<SpecificRecordBase> transferEvents(String transferId) {
        return TopicReader.readAll(brokers, Topics.TRANSFER_UPLOADED.name()).stream()
                .filter(r -> transferId.equals(r.key()))
                .map(ConsumerRecord::value)
                .toList();
    }

    private static ServiceplatformEmulator startedPlatform() {
        Path keys = workDir.resolve("keys");
        ServiceplatformEmulator emulator = ServiceplatformEmulator.builder()
                .root(workDir.resolve("platform"))
                .port(platformPort)
                .scanInterval(Duration.ZERO)
                .user(KSD_SENDER, LocalKeys.loadOrGenerate(keys, KSD_SENDER).publicKey())
                .user(DST, LocalKeys.loadOrGenerate(keys, DST).publicKey())
                .build();
        emulator.start();
        return emulator;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** KSD logs in to the emulator, KY to a port where nothing listens: a platform that stays away. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TransporterConfiguration.class)
    static class TestApp {

        @Bean
        SftpAccounts sftpAccounts() {
            Path keys = workDir.resolve("keys");
            Path knownHosts = workDir.resolve("known_hosts");
            platform.writeKnownHosts(knownHosts);
            return new SftpAccounts(List.of(
                    new SftpAccount(
                            KSD_SENDER, platform.host(), platformPort, keys.resolve(KSD_SENDER), null, knownHosts),
                    new SftpAccount(
                            ABSENT_SENDER,
                            platform.host(),
                            deadPort,
                            LocalKeys.loadOrGenerate(keys, ABSENT_SENDER).privateKey(),
                            null,
                            knownHosts)));
        }
    }
}
