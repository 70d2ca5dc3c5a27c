package dk.sf1820.transporter;

import static dk.sf1820.transporter.Packages.DST;
import static dk.sf1820.transporter.Packages.KSD_SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ScanReport;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The transporter against a real broker and the Serviceplatform emulator: a PackageReady becomes a
 * data file and a trigger in the sender's OUT that the platform accepts, exactly once.
 */
@SpringBootTest(classes = TransporterIT.TestApp.class, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "sf1820.kafka.partitions=1",
        "sf1820.kafka.retry-initial=200ms",
        "sf1820.kafka.retry-elapsed=5s"})
@EmbeddedKafka(partitions = 1)
@ExtendWith(OutputCaptureExtension.class)
class TransporterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String UNTRUSTING_SENDER = "DUBU_SFTPSIMPEL";

    @Autowired
    EventPublisher publisher;
    @Autowired
    ServiceplatformEmulator platform;
    @Autowired
    TransferRecorder transfers;
    @Autowired
    StepRecorder steps;
    @Autowired
    Path workDir;
    @Autowired
    DeadLetterRecorder deadLetters;
    @org.springframework.beans.factory.annotation.Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void putsDataFileThenTriggerInOutAndPlatformAcceptsThem() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 2_000);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");

        publisher.publish(Topics.PACKAGE_READY, event);

        TransferUploaded uploaded = transfers.awaitUploaded(event.getTransferId(), 1).get(0);
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        String fileName = event.getFileName();
        assertThat(out.resolve(fileName)).hasSameBinaryContentAs(zip);
        assertThat(out.resolve(fileName + ".trigger")).exists();
        assertThat(out.resolve(fileName + ".trigger.part")).doesNotExist();
        assertThat(uploaded.getRemoteDataPath()).isEqualTo("/OUT/" + fileName);
        assertThat(uploaded.getRemoteTriggerPath()).isEqualTo("/OUT/" + fileName + ".trigger");
        assertThat(uploaded.getSizeBytes()).isEqualTo(Files.size(zip));
        assertThat(uploaded.getServer()).isEqualTo("127.0.0.1:" + platform.port());
        assertThat(TransferRef.of(uploaded)).isEqualTo(TransferRef.of(event));

        TriggerType trigger = readTrigger(out.resolve(fileName + ".trigger"));
        assertThat(trigger.getFileDescriptor().getFileName()).isEqualTo(fileName);
        assertThat(trigger.getFileDescriptor().getSizeInBytes().longValueExact()).isEqualTo(Files.size(zip));
        assertThat(trigger.getFileDescriptor().getSender()).isEqualTo(KSD_SENDER);
        assertThat(trigger.getFileDescriptor().getSendersFileId()).isEqualTo(event.getTransferId());
        assertThat(trigger.getFileDescriptor().getRecipients()).containsExactly(DST);
        assertThat(FileTypes.of(trigger.getFileContentDescriptor())).contains("SF1820_KSD");
        assertThat(steps.of(event.getTransferId())).containsExactly("uploading", "uploaded", "triggering", "triggered");

        ScanReport report = platform.scanNow();

        assertThat(report.trigger(fileName + ".trigger")).hasValueSatisfying(t -> assertThat(t.succeeded())
                .as("platform outcome %s", t).isTrue());
        TechnicalReceiptType receipt = readReceipt(platform.home(KSD_SENDER).resolve("IN").resolve(fileName + ".sftpreceipt"));
        assertThat(receipt.getReceipt().getMessage()).isEqualTo("SUCCESS");
        assertThat(receipt.getSendersFileId()).isEqualTo(event.getTransferId());
        assertThat(platform.home(DST).resolve("IN").resolve(fileName)).hasSameBinaryContentAs(zip);
    }

    @Test
    void redeliveryWhileTriggerWaitsForTheScanWritesNoSecondTrigger() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        publisher.publish(Topics.PACKAGE_READY, event);
        transfers.awaitUploaded(event.getTransferId(), 1);
        Path triggerFile = platform.home(KSD_SENDER).resolve("OUT").resolve(event.getFileName() + ".trigger");
        FileTime firstWritten = Files.getLastModifiedTime(triggerFile);

        publisher.publish(Topics.PACKAGE_READY, event);

        transfers.awaitUploaded(event.getTransferId(), 2);
        assertThat(steps.of(event.getTransferId())).containsExactly("uploading", "uploaded", "triggering", "triggered",
                "alreadyTriggered");
        assertThat(Files.getLastModifiedTime(triggerFile)).isEqualTo(firstWritten);
        ScanReport report = platform.scanNow();
        assertThat(report.triggers()).filteredOn(t -> event.getTransferId().equals(t.sendersFileId()))
                .singleElement().satisfies(t -> assertThat(t.succeeded()).isTrue());
    }

    @Test
    void redeliveryAfterThePlatformRoutedTheFileSendsNothingAgain() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        publisher.publish(Topics.PACKAGE_READY, event);
        transfers.awaitUploaded(event.getTransferId(), 1);
        assertThat(platform.scanNow().delivered()).anyMatch(t -> event.getTransferId().equals(t.sendersFileId()));

        publisher.publish(Topics.PACKAGE_READY, event);

        transfers.awaitUploaded(event.getTransferId(), 2);
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        assertThat(out.resolve(event.getFileName())).as("data file must not be uploaded again").doesNotExist();
        assertThat(out.resolve(event.getFileName() + ".trigger")).doesNotExist();
        assertThat(platform.scanNow().triggers()).noneMatch(t -> event.getTransferId().equals(t.sendersFileId()));
    }

    @Test
    void replayAfterTheReceiptWasHandledAndDeletedUploadsNothing() throws Exception {
        // Given a transfer the platform routed and whose receipt the receipt tracker handled and deleted
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        publisher.publish(Topics.PACKAGE_READY, event);
        transfers.awaitUploaded(event.getTransferId(), 1);
        assertThat(platform.scanNow().delivered()).anyMatch(t -> event.getTransferId().equals(t.sendersFileId()));
        Path receipt = platform.home(KSD_SENDER).resolve("IN").resolve(event.getFileName() + ".sftpreceipt");
        Files.delete(receipt);
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        assertThat(out.resolve(event.getFileName())).doesNotExist();

        // When the same PackageReady is replayed, e.g. by an operator re-running the topic
        publisher.publish(Topics.PACKAGE_READY, event);

        // Then only the recorded progress knows, and nothing is sent again
        transfers.awaitUploaded(event.getTransferId(), 2);
        assertThat(steps.of(event.getTransferId())).containsExactly("uploading", "uploaded", "triggering", "triggered",
                "alreadyTriggered");
        assertThat(out.resolve(event.getFileName())).as("data file must not be uploaded again").doesNotExist();
        assertThat(out.resolve(event.getFileName() + ".trigger")).doesNotExist();
        assertThat(platform.scanNow().triggers()).noneMatch(t -> event.getTransferId().equals(t.sendersFileId()));
    }

    @Test
    void dataFileLeftCompleteByACrashedAttemptIsNotUploadedAgain() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        Files.copy(zip, platform.home(KSD_SENDER).resolve("OUT").resolve(event.getFileName()));

        publisher.publish(Topics.PACKAGE_READY, event);

        transfers.awaitUploaded(event.getTransferId(), 1);
        assertThat(steps.of(event.getTransferId())).containsExactly("uploaded", "triggering", "triggered");
        assertThat(platform.scanNow().delivered()).anyMatch(t -> event.getTransferId().equals(t.sendersFileId()));
    }

    @Test
    void dataFileLeftTruncatedByACrashedAttemptIsUploadedWhole() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        Path remote = platform.home(KSD_SENDER).resolve("OUT").resolve(event.getFileName());
        Files.write(remote, java.util.Arrays.copyOf(Files.readAllBytes(zip), 100));

        publisher.publish(Topics.PACKAGE_READY, event);

        transfers.awaitUploaded(event.getTransferId(), 1);
        assertThat(steps.of(event.getTransferId())).containsExactly("uploading", "uploaded", "triggering", "triggered");
        assertThat(remote).hasSameBinaryContentAs(zip);
    }

    @Test
    void untrustedHostKeyEndsTheTransferAsFailedNamingTheFingerprint(CapturedOutput output) throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("DUBU"), 10);
        PackageReady event = Packages.packageReady(zip, UNTRUSTING_SENDER, "DUBU");

        publisher.publish(Topics.PACKAGE_READY, event);

        TransferFailed failed = transfers.awaitFailed(event.getTransferId());
        assertThat(failed.getCause()).contains(platform.hostKeyFingerprint()).contains(UNTRUSTING_SENDER);
        assertThat(failed.getFileName()).isEqualTo(event.getFileName());
        try (Stream<Path> files = Files.list(platform.home(UNTRUSTING_SENDER).resolve("OUT"))) {
            assertThat(files).isEmpty();
        }
        assertThat(transfers.uploaded(event.getTransferId())).isEmpty();
        for (String user : List.of(KSD_SENDER, UNTRUSTING_SENDER)) {
            assertThat(privateKeyLines(workDir.resolve("keys").resolve(user)))
                    .allSatisfy(line -> assertThat(output.getAll()).doesNotContain(line));
        }
        assertThat(output.getAll()).contains("transferId=" + event.getTransferId());
    }

    @Test
    void packageMissingFromStagingGoesToTheDeadLetterTopicNamingThePath() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 10);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        Files.delete(zip);

        publisher.publish(Topics.PACKAGE_READY, event);

        await().atMost(WAIT).until(() -> deadLetters.reason(event.getTransferId()) != null);
        assertThat(deadLetters.reason(event.getTransferId())).contains(zip.toString()).contains("does not exist");
        assertThat(platform.home(KSD_SENDER).resolve("OUT").resolve(event.getFileName())).doesNotExist();
        assertThat(transfers.uploaded(event.getTransferId())).isEmpty();
    }

    @Test
    void unreadableEventGoesToTheDeadLetterTopicWithTheReason() throws Exception {
        String key = "unreadable-" + java.util.UUID.randomUUID();
        byte[] garbage = "not an event".getBytes(StandardCharsets.UTF_8);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of(
                "bootstrap.servers", brokers), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.PACKAGE_READY.name(), key, garbage)).get();
        }

        try (TopicReader<byte[]> dlt = new TopicReader<>(brokers, Topics.PACKAGE_READY.deadLetter(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            ConsumerRecord<String, byte[]> dead = dlt.await(key);
            assertThat(dead.value()).as("the original bytes").isEqualTo(garbage);
            assertThat(new String(dead.headers().lastHeader(DeadLetterReason.HEADER).value(), StandardCharsets.UTF_8))
                    .contains(Topics.PACKAGE_READY.name()).contains("not Avro single-object encoded");
        }
    }

    private static TriggerType readTrigger(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return SftpXml.readTrigger(in, file.toString());
        }
    }

    private static TechnicalReceiptType readReceipt(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return SftpXml.readTechnicalReceipt(in, file.toString());
        }
    }

    /** The base64 lines of an OpenSSH private key file: what must never reach a log. */
    private static List<String> privateKeyLines(Path keyFile) throws IOException {
        List<String> lines = Files.readAllLines(keyFile).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("-----")).toList();
        assertThat(lines).isNotEmpty();
        return lines;
    }

    /** Records what the transporter publishes to the transfer topic, as a downstream stage sees it. */
    static class TransferRecorder {

        private final List<SpecificRecordBase> events = new CopyOnWriteArrayList<>();

        @KafkaListener(id = "transporter-it-recorder", groupId = "transporter-it-recorder",
                topics = "#{T(dk.sf1820.schemas.Topics).TRANSFER_UPLOADED.name()}")
        void on(SpecificRecordBase event) {
            events.add(event);
        }

        List<TransferUploaded> uploaded(String transferId) {
            return events.stream().filter(TransferUploaded.class::isInstance).map(TransferUploaded.class::cast)
                    .filter(e -> e.getTransferId().equals(transferId)).toList();
        }

        List<TransferUploaded> awaitUploaded(String transferId, int count) {
            await().atMost(WAIT).until(() -> uploaded(transferId).size() >= count);
            return uploaded(transferId);
        }

        TransferFailed awaitFailed(String transferId) {
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof TransferFailed f
                    && f.getTransferId().equals(transferId)));
            return events.stream().filter(TransferFailed.class::isInstance).map(TransferFailed.class::cast)
                    .filter(e -> e.getTransferId().equals(transferId)).findFirst().orElseThrow();
        }
    }

    /** Records the reason of each PackageReady the transporter refused, by transferId. */
    static class DeadLetterRecorder {

        private final Map<String, String> reasons = new ConcurrentHashMap<>();

        @KafkaListener(id = "transporter-it-dlt", groupId = "transporter-it-dlt",
                topics = "#{T(dk.sf1820.schemas.Topics).PACKAGE_READY.deadLetter()}")
        void on(ConsumerRecord<String, SpecificRecordBase> record) {
            Header reason = record.headers().lastHeader(DeadLetterReason.HEADER);
            reasons.put(record.key(), reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8));
        }

        String reason(String transferId) {
            return reasons.get(transferId);
        }
    }

    /** Records the transporter's hooks per transfer, in order. */
    static class StepRecorder implements TransferObserver {

        private final Map<String, List<String>> steps = new ConcurrentHashMap<>();

        List<String> of(String transferId) {
            return steps.getOrDefault(transferId, List.of());
        }

        private void record(PackageReady event, String step) {
            steps.computeIfAbsent(event.getTransferId(), id -> Collections.synchronizedList(new ArrayList<>())).add(step);
        }

        @Override
        public void uploading(PackageReady event, RemoteFiles files) {
            record(event, "uploading");
        }

        @Override
        public void uploaded(PackageReady event, RemoteFiles files, long bytes) {
            record(event, "uploaded");
        }

        @Override
        public void triggering(PackageReady event, RemoteFiles files) {
            record(event, "triggering");
        }

        @Override
        public void triggered(PackageReady event, RemoteFiles files) {
            record(event, "triggered");
        }

        @Override
        public void alreadyTriggered(PackageReady event, RemoteFiles files, String evidence) {
            record(event, "alreadyTriggered");
        }
    }

    /**
     * What the app would provide: the registry, the SFTP accounts. Here the accounts log in to an
     * emulator on a random port: KSD trusts the emulator's host key, DUBU's known_hosts holds another
     * key for the same address, as after a server swap or an attack.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TransporterConfiguration.class)
    static class TestApp {

        @Bean
        Path workDir() throws IOException {
            Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(Path.of("target"), "transporter-it-");
        }

        @Bean(destroyMethod = "close")
        ServiceplatformEmulator platform(Path workDir) {
            Path keys = workDir.resolve("keys");
            ServiceplatformEmulator platform = ServiceplatformEmulator.builder()
                    .root(workDir.resolve("platform"))
                    .port(0)
                    .scanInterval(Duration.ZERO)
                    .user(KSD_SENDER, LocalKeys.generate(keys, KSD_SENDER).publicKey())
                    .user(UNTRUSTING_SENDER, LocalKeys.generate(keys, UNTRUSTING_SENDER).publicKey())
                    .user(DST, LocalKeys.generate(keys, DST).publicKey())
                    .build();
            platform.start();
            return platform;
        }

        @Bean
        SftpAccounts sftpAccounts(ServiceplatformEmulator platform, Path workDir) throws IOException {
            Path keys = workDir.resolve("keys");
            Path trusted = workDir.resolve("known_hosts");
            platform.writeKnownHosts(trusted);
            LocalKey impostor = LocalKeys.generate(workDir.resolve("impostor"), "impostor");
            Path untrusting = workDir.resolve("known_hosts_other_key");
            Files.writeString(untrusting, "[127.0.0.1]:" + platform.port() + " "
                    + impostor.authorizedKeyLine().split(" ")[0] + " " + impostor.authorizedKeyLine().split(" ")[1] + "\n");
            return new SftpAccounts(List.of(
                    new SftpAccount(KSD_SENDER, platform.host(), platform.port(), keys.resolve(KSD_SENDER), null, trusted),
                    new SftpAccount(UNTRUSTING_SENDER, platform.host(), platform.port(), keys.resolve(UNTRUSTING_SENDER),
                            null, untrusting)));
        }

        @Bean
        FagsystemRegistry fagsystemRegistry() {
            return FagsystemRegistry.standard();
        }

        @Bean
        TransferRecorder transferRecorder() {
            return new TransferRecorder();
        }

        @Bean
        DeadLetterRecorder deadLetterRecorder() {
            return new DeadLetterRecorder();
        }

        @Bean
        StepRecorder stepRecorder() {
            return new StepRecorder();
        }
    }
}
