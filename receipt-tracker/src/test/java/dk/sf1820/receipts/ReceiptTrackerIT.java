package dk.sf1820.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ReceiptError;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.FileDescriptorType;
import dk.sf1820.schemas.xml.ReceiptType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ScanReport;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The tracker against a real broker and the Serviceplatform emulator: the sender uploads a data file
 * and a trigger with the production SFTP client, the platform scans and writes its receipt into the
 * sender's IN, the tracker polls it, and the transfer ends as exactly one outcome on the outcome topic.
 */
@SpringBootTest(classes = ReceiptTrackerIT.TrackerApp.class, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "sf1820.kafka.partitions=2",
        "sf1820.receipt-tracker.poll-interval=0",
        "sf1820.receipt-tracker.timeout=1h",
        "sf1820.receipt-tracker.punctuate-interval=1s",
        "spring.kafka.streams.properties.commit.interval.ms=100"})
// the context (and its Streams state) must close before JUnit deletes the temporary directory
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@EmbeddedKafka(brokerProperties = {
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0"})
class ReceiptTrackerIT {

    private static final Fagsystem KSD = FagsystemRegistry.standard().requireExtract("KSD");
    private static final String SENDER = KSD.sftpUser();
    private static final String RECIPIENT = KSD.recipients().get(0);

    @TempDir
    static Path work;

    static ServiceplatformEmulator platform;
    static SftpAccount senderAccount;

    @Autowired
    ReceiptPoller poller;
    @Autowired
    CorrelationStreams correlation;
    @Autowired
    EventPublisher publisher;
    @Autowired
    SftpConnector connector;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    ReceiptTrackerProperties properties;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @BeforeAll
    static void startPlatform() throws IOException {
        Path keys = Files.createDirectories(work.resolve("keys"));
        LocalKey sender = LocalKeys.generate(keys, SENDER);
        LocalKey recipient = LocalKeys.generate(keys, RECIPIENT);
        platform = ServiceplatformEmulator.builder()
                .root(work.resolve("platform"))
                .port(0)
                .scanInterval(Duration.ZERO)
                .user(SENDER, sender.publicKey())
                .user(RECIPIENT, recipient.publicKey())
                .build();
        platform.start();
        Path knownHosts = work.resolve("known_hosts");
        platform.writeKnownHosts(knownHosts);
        senderAccount = new SftpAccount(SENDER, platform.host(), platform.port(), sender.privateKey(), null, knownHosts);
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @DynamicPropertySource
    static void streamsState(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.streams.state-dir", () -> work.resolve("streams").toString());
    }

    @BeforeEach
    void trackerIsRunning() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> correlation.state().orElseThrow() == KafkaStreams.State.RUNNING);
    }

    @Test
    void successfulDeliveryEndsAsExactlyOneDeliverySucceeded() throws Exception {
        Transfer transfer = uploadAndTrigger("rows;1\n".getBytes(StandardCharsets.UTF_8), null);
        ScanReport.TriggerOutcome scanned = platform.scanNow().trigger(transfer.fileName() + ".trigger").orElseThrow();
        assertThat(scanned.succeeded()).as(scanned.note()).isTrue();
        Path receipt = receiptOf(transfer);
        byte[] receiptBytes = Files.readAllBytes(receipt);

        PollReport report = poller.pollOnce();

        assertThat(report.published()).containsExactly(SENDER + ":/IN/" + receipt.getFileName());
        assertThat(receipt).doesNotExist();
        SpecificRecordBase outcome = awaitOutcome(transfer.ref().transferId());
        assertThat(outcome).isInstanceOfSatisfying(DeliverySucceeded.class, s -> {
            assertThat(TransferRef.of(s)).isEqualTo(transfer.ref());
            assertThat(s.getFileName()).isEqualTo(transfer.fileName());
            assertThat(s.getFileTransferUUID()).isEqualTo(scanned.fileTransferUUID());
        });

        // a crash between publish and delete: the same receipt is read and published again
        Files.write(receipt, receiptBytes);
        assertThat(poller.pollOnce().published()).hasSize(1);
        awaitTrackerCaughtUp();
        assertThat(outcomesOf(transfer.ref().transferId())).hasSize(1);
    }

    @Test
    void rejectedTriggerEndsAsDeliveryFailedWithThePlatformsErrors() throws Exception {
        Transfer transfer = uploadAndTrigger("rows;2\n".getBytes(StandardCharsets.UTF_8), 999L);
        List<Integer> codes = platform.scanNow().trigger(transfer.fileName() + ".trigger").orElseThrow().errorCodes();
        assertThat(codes).isNotEmpty();

        poller.pollOnce();

        assertThat(receiptOf(transfer)).doesNotExist();
        assertThat(awaitOutcome(transfer.ref().transferId())).isInstanceOfSatisfying(DeliveryFailed.class, f -> {
            assertThat(TransferRef.of(f)).isEqualTo(transfer.ref());
            assertThat(f.getErrors()).extracting(ReceiptError::getCode).containsExactlyElementsOf(codes);
            assertThat(f.getErrors()).allSatisfy(e -> assertThat(e.getDescription()).isNotBlank());
        });
    }

    @Test
    void receiptWithoutSendersFileIdIsCorrelatedByDataFileName() throws Exception {
        Transfer transfer = publishUpload(nextFileName(), 10);
        awaitTrackerCaughtUp();
        TechnicalReceiptType receipt = new TechnicalReceiptType();
        receipt.setFileTransferUUID(UUID.randomUUID().toString());
        ReceiptType success = new ReceiptType();
        success.setMessage("SUCCESS");
        receipt.setReceipt(success);
        Files.write(receiptOf(transfer), SftpXml.write(receipt));

        PollReport report = poller.pollOnce();

        assertThat(report.published()).hasSize(1);
        assertThat(awaitOutcome(transfer.ref().transferId())).isInstanceOf(DeliverySucceeded.class);
        assertThat(eventsOf(Topics.RECEIPT_RECEIVED.name(), transfer.ref().transferId())).singleElement()
                .isInstanceOfSatisfying(ReceiptReceived.class,
                        r -> assertThat(r.getCorrelatedBy()).isEqualTo(ReceiptMatcher.BY_FILE_NAME));
    }

    @Test
    void unreadableOrUncorrelatedReceiptStaysInIn() throws Exception {
        Path in = platform.home(SENDER).resolve("IN");
        Path garbage = Files.writeString(in.resolve(nextFileName() + ".sftpreceipt"), "<TechnicalReceipt>oops");
        TechnicalReceiptType foreign = new TechnicalReceiptType();
        foreign.setFileTransferUUID(UUID.randomUUID().toString());
        foreign.setSendersFileId(UUID.randomUUID().toString());
        ReceiptType success = new ReceiptType();
        success.setMessage("SUCCESS");
        foreign.setReceipt(success);
        Path uncorrelated = Files.write(in.resolve("not-an-sf1820-name.zip.sftpreceipt"), SftpXml.write(foreign));

        PollReport report = poller.pollOnce();

        assertThat(report.kept()).containsOnlyKeys(SENDER + ":/IN/" + garbage.getFileName(),
                SENDER + ":/IN/" + uncorrelated.getFileName());
        assertThat(report.kept().get(SENDER + ":/IN/" + garbage.getFileName())).contains("line 1");
        assertThat(report.published()).isEmpty();
        assertThat(garbage).exists();
        assertThat(uncorrelated).exists();
        Files.delete(garbage);
        Files.delete(uncorrelated);
    }

    // --- the sender's side, as the transporter does it ---

    private record Transfer(TransferRef ref, String fileName) {
    }

    /** Uploads data file and trigger to OUT, then publishes TransferUploaded; a wrong size makes the platform refuse. */
    private Transfer uploadAndTrigger(byte[] data, Long claimedSize) throws Exception {
        String fileName = nextFileName();
        Transfer transfer;
        try (SftpConnection sftp = connector.open(senderAccount)) {
            sftp.upload(data, "/OUT/" + fileName);
            transfer = publishUpload(fileName, data.length);
            sftp.upload(SftpXml.write(trigger(transfer, claimedSize != null ? claimedSize : data.length)),
                    "/OUT/" + fileName + ".trigger");
        }
        return transfer;
    }

    private Transfer publishUpload(String fileName, long size) {
        Transfer transfer = new Transfer(new TransferRef(UUID.randomUUID().toString(), KSD.code(), "0561", "M03"),
                fileName);
        TransferUploaded uploaded = transfer.ref().stamp(new TransferUploaded(), Clock.systemUTC());
        uploaded.setSender(SENDER);
        uploaded.setFileName(fileName);
        uploaded.setRemoteDataPath("/OUT/" + fileName);
        uploaded.setRemoteTriggerPath("/OUT/" + fileName + ".trigger");
        uploaded.setSizeBytes(size);
        uploaded.setDurationMillis(1L);
        uploaded.setServer(senderAccount.server());
        publisher.publish(Topics.TRANSFER_UPLOADED, uploaded);
        return transfer;
    }

    private static TriggerType trigger(Transfer transfer, long size) {
        FileDescriptorType file = new FileDescriptorType();
        file.setFileName(transfer.fileName());
        file.setSizeInBytes(BigInteger.valueOf(size));
        file.setSender(SENDER);
        file.setSendersFileId(transfer.ref().transferId());
        file.getRecipients().add(RECIPIENT);
        TriggerType trigger = new TriggerType();
        trigger.setFileDescriptor(file);
        trigger.setFileContentDescriptor(FileTypes.descriptor(KSD.contentType()));
        return trigger;
    }

    private static String nextFileName() {
        // SF1820 names must be unique; a counter in the stamp's place keeps them so within a run
        return String.format("KSD_DST_0561_M03_20260302%06d.zip", SEQUENCE.incrementAndGet());
    }

    private static Path receiptOf(Transfer transfer) {
        return platform.home(SENDER).resolve("IN").resolve(transfer.fileName() + ".sftpreceipt");
    }

    // --- the Kafka side ---

    private SpecificRecordBase awaitOutcome(String transferId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> outcomesOf(transferId), list -> !list.isEmpty())
                .get(0);
    }

    private List<SpecificRecordBase> outcomesOf(String transferId) {
        return eventsOf(Topics.DELIVERY_OUTCOME.name(), transferId);
    }

    private List<SpecificRecordBase> eventsOf(String topic, String transferId) {
        return TopicReader.readAll(broker.getBrokersAsString(), topic).stream()
                .filter(r -> transferId.equals(r.key())).map(r -> r.value()).toList();
    }

    /**
     * Waits until the tracker has committed every input record. Under exactly-once the outcome of a
     * record commits with its offset, so afterwards the outcome topic holds all there will ever be.
     */
    private void awaitTrackerCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).until(() -> TopicContents.lag(broker.getBrokersAsString(),
                properties.applicationId(), List.of(Topics.TRANSFER_UPLOADED.name(), Topics.RECEIPT_RECEIVED.name())) == 0);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReceiptTrackerConfiguration.class)
    static class TrackerApp {

        @Bean
        FagsystemRegistry fagsystemRegistry() {
            return FagsystemRegistry.standard();
        }

        @Bean
        SftpAccounts sftpAccounts() {
            return new SftpAccounts(List.of(senderAccount));
        }
    }
}
