package dk.sf1820.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.receipts.correlation.CorrelationStreams;
import dk.sf1820.receipts.ownership.SenderOwnership;
import dk.sf1820.receipts.poll.PollReport;
import dk.sf1820.receipts.poll.ReceiptPoller;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.BusinessReceiptType;
import dk.sf1820.schemas.xml.FileAcceptanceType;
import dk.sf1820.schemas.xml.FileDescriptorType;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.testsupport.TopicReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * Issue 13: the emulator with business receipts on writes {@code <file>.businessreceipt} after the
 * technical receipt; the tracker publishes each as {@code BusinessReceiptReceived} beside the
 * {@code ReceiptReceived}, deletes it from IN, and the transfer still has exactly one outcome, from
 * its technical receipt. A business receipt of no known transfer stays in IN and is reported.
 */
@SpringBootTest(
        classes = BusinessReceiptIT.TrackerApp.class,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "sf1820.kafka.partitions=2",
            "sf1820.receipt-tracker.poll-interval=0",
            "sf1820.receipt-tracker.timeout=1h",
            "sf1820.receipt-tracker.housekeeping-interval=0",
            "spring.kafka.streams.properties.commit.interval.ms=100"
        })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@EmbeddedKafka(
        brokerProperties = {
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0"
        })
class BusinessReceiptIT {

    private static final Fagsystem KSD = FagsystemRegistry.standard().requireExtract("KSD");
    private static final String SENDER = KSD.sftpUser();
    private static final String RECIPIENT = KSD.recipients().get(0);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @TempDir
    static Path work;

    static ServiceplatformEmulator platform;
    static SftpAccount senderAccount;

    private final Map<String, String> fileNames = new ConcurrentHashMap<>();

    @Autowired
    ReceiptPoller poller;

    @Autowired
    CorrelationStreams correlation;

    @Autowired
    SenderOwnership ownership;

    @Autowired
    EventPublisher publisher;

    @Autowired
    SftpConnector connector;

    @Autowired
    EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startPlatform() throws Exception {
        Path keys = Files.createDirectories(work.resolve("keys"));
        LocalKey sender = LocalKeys.generate(keys, SENDER);
        LocalKey recipient = LocalKeys.generate(keys, RECIPIENT);
        platform = ServiceplatformEmulator.builder()
                .root(work.resolve("platform"))
                .port(0)
                .scanInterval(Duration.ZERO)
                .businessReceipts(true)
                .user(SENDER, sender.publicKey())
                .user(RECIPIENT, recipient.publicKey())
                .build();
        platform.start();
        Path knownHosts = work.resolve("known_hosts");
        platform.writeKnownHosts(knownHosts);
        senderAccount =
                new SftpAccount(SENDER, platform.host(), platform.port(), sender.privateKey(), null, knownHosts);
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @DynamicPropertySource
    static void streamsState(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.kafka.streams.state-dir", () -> work.resolve("streams").toString());
    }

    @BeforeEach
    void trackerIsRunning() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> correlation.state().orElseThrow() == KafkaStreams.State.RUNNING
                        && correlation.ready()
                        && ownership.ready());
    }

    @Test
    void anAcceptedFileGetsABusinessReceiptBesideItsOneOutcome() throws Exception {
        TransferRef transfer = uploadAndTrigger("rows;1\n".getBytes(StandardCharsets.UTF_8), null);
        platform.scanNow();
        Path businessReceipt = in(fileNameOf(transfer) + ".businessreceipt");
        assertThat(businessReceipt)
                .as("the emulator writes it with business receipts on")
                .exists();
        awaitKnown(transfer);

        PollReport report = poller.pollOnce();

        assertThat(report.published())
                .containsExactlyInAnyOrder(
                        SENDER + ":/IN/" + fileNameOf(transfer) + ".sftpreceipt",
                        SENDER + ":/IN/" + fileNameOf(transfer) + ".businessreceipt");
        assertThat(businessReceipt).doesNotExist();
        assertThat(awaitBusinessReceipt(transfer)).satisfies(b -> {
            assertThat(TransferRef.of(b)).isEqualTo(transfer);
            assertThat(b.getFileAcceptance()).isEqualTo("ACCEPTED");
            assertThat(b.getRecipient()).isEqualTo(RECIPIENT);
            assertThat(b.getFileName()).isEqualTo(fileNameOf(transfer));
            assertThat(b.getReceiptPath()).isEqualTo("/IN/" + fileNameOf(transfer) + ".businessreceipt");
        });
        assertThat(eventsOf(Topics.RECEIPT_RECEIVED.name(), transfer.transferId()))
                .filteredOn(ReceiptReceived.class::isInstance)
                .hasSize(1);
        assertThat(awaitOutcomes(transfer)).singleElement().isInstanceOf(DeliverySucceeded.class);
    }

    @Test
    void aRejectedFileGetsABusinessReceiptWithTheReasonAndStillOneOutcome() throws Exception {
        TransferRef transfer = uploadAndTrigger("rows;2\n".getBytes(StandardCharsets.UTF_8), 999L);
        platform.scanNow();
        awaitKnown(transfer);

        poller.pollOnce();

        assertThat(awaitBusinessReceipt(transfer)).satisfies(b -> {
            assertThat(b.getFileAcceptance()).isEqualTo("REJECTED");
            assertThat(b.getReason()).isNotBlank();
        });
        assertThat(awaitOutcomes(transfer)).singleElement().isInstanceOf(DeliveryFailed.class);
        assertThat(in(fileNameOf(transfer) + ".businessreceipt")).doesNotExist();
    }

    @Test
    void aBusinessReceiptOfNoKnownTransferIsKeptInInAndReported() throws Exception {
        String stranger = "KSD_DST_0561_M03_20260302999999.zip";
        BusinessReceiptType receipt = new BusinessReceiptType();
        receipt.setFileTransferUUID(UUID.randomUUID().toString());
        receipt.setFilename(stranger);
        receipt.setRecipient(RECIPIENT);
        receipt.setFileAcceptance(FileAcceptanceType.ACCEPTED);
        Path kept = Files.write(in(stranger + ".businessreceipt"), SftpXml.write(receipt));
        try {
            PollReport report = poller.pollOnce();

            assertThat(report.kept()).containsKey(SENDER + ":/IN/" + stranger + ".businessreceipt");
            assertThat(report.kept().get(SENDER + ":/IN/" + stranger + ".businessreceipt"))
                    .contains("no upload of " + stranger + " by " + SENDER + " is known");
            assertThat(kept).exists();
        } finally {
            Files.deleteIfExists(kept);
        }
    }

    // --- the sender's side, as the transporter does it ---

    private TransferRef uploadAndTrigger(byte[] data, Long claimedSize) throws Exception {
        String fileName = String.format("KSD_DST_0561_M03_20260302%06d.zip", SEQUENCE.incrementAndGet());
        TransferRef ref = new TransferRef(UUID.randomUUID().toString(), KSD.code(), "0561", "M03");
        try (SftpConnection sftp = connector.open(senderAccount)) {
            sftp.upload(data, "/OUT/" + fileName);
            TransferUploaded uploaded = ref.stamp(new TransferUploaded(), Clock.systemUTC());
            uploaded.setSender(SENDER);
            uploaded.setFileName(fileName);
            uploaded.setRemoteDataPath("/OUT/" + fileName);
            uploaded.setRemoteTriggerPath("/OUT/" + fileName + ".trigger");
            uploaded.setSizeBytes((long) data.length);
            uploaded.setDurationMillis(1L);
            uploaded.setServer(senderAccount.server());
            publisher.publish(Topics.TRANSFER_UPLOADED, uploaded);
            FileDescriptorType file = new FileDescriptorType();
            file.setFileName(fileName);
            file.setSizeInBytes(BigInteger.valueOf(claimedSize != null ? claimedSize : data.length));
            file.setSender(SENDER);
            file.setSendersFileId(ref.transferId());
            file.getRecipients().add(RECIPIENT);
            TriggerType trigger = new TriggerType();
            trigger.setFileDescriptor(file);
            trigger.setFileContentDescriptor(FileTypes.descriptor(KSD.contentType()));
            sftp.upload(SftpXml.write(trigger), "/OUT/" + fileName + ".trigger");
        }
        fileNames.put(ref.transferId(), fileName);
        return ref;
    }

    private String fileNameOf(TransferRef ref) {
        return fileNames.get(ref.transferId());
    }

    private static Path in(String name) {
        return platform.home(SENDER).resolve("IN").resolve(name);
    }

    private void awaitKnown(TransferRef ref) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> correlation.byTransferId(ref.transferId()).isPresent());
    }

    // --- the Kafka side ---

    private BusinessReceiptReceived awaitBusinessReceipt(TransferRef ref) {
        return (BusinessReceiptReceived) await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> eventsOf(Topics.RECEIPT_RECEIVED.name(), ref.transferId()).stream()
                                .filter(BusinessReceiptReceived.class::isInstance)
                                .toList(),
                        list -> list.size() == 1)
                .get(0);
    }

    private List<SpecificRecordBase> awaitOutcomes(TransferRef ref) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> eventsOf(Topics.DELIVERY_OUTCOME.name(), ref.transferId()), list -> !list.isEmpty());
        // under exactly-once an outcome commits with its input's offset: once every input (the business
        // receipt too) is committed, the outcome topic holds all there will ever be
        await().atMost(Duration.ofSeconds(30))
                .until(() -> TopicContents.lag(
                                broker.getBrokersAsString(),
                                "sf1820-receipt-tracker",
                                List.of(Topics.TRANSFER_UPLOADED.name(), Topics.RECEIPT_RECEIVED.name()))
                        == 0);
        return eventsOf(Topics.DELIVERY_OUTCOME.name(), ref.transferId());
    }

    private List<SpecificRecordBase> eventsOf(String topic, String transferId) {
        return TopicReader.readAll(broker.getBrokersAsString(), topic).stream()
                .filter(r -> transferId.equals(r.key()))
                .map(r -> r.value())
                .toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReceiptTrackerConfiguration.class)
    static class TrackerApp {

        @Bean
        SftpAccounts sftpAccounts() {
            return new SftpAccounts(List.of(senderAccount));
        }
    }
}
