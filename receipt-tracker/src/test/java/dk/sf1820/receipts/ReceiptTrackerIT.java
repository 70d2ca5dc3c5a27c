package dk.sf1820.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.receipts.correlation.CorrelationStreams;
import dk.sf1820.receipts.housekeeping.SenderFolderSweep;
import dk.sf1820.receipts.housekeeping.SweepReport;
import dk.sf1820.receipts.ownership.SenderOwnership;
import dk.sf1820.receipts.poll.PollReport;
import dk.sf1820.receipts.poll.ReceiptArchive;
import dk.sf1820.receipts.poll.ReceiptMatcher;
import dk.sf1820.receipts.poll.ReceiptPoller;
import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.avro.ReceiptError;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.ReceiptType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.ServiceplatformFixture;
import dk.sf1820.serviceplatform.scan.PlatformError;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.testsupport.SampleEvents;
import dk.sf1820.testsupport.TopicReader;
import dk.sf1820.testsupport.Triggers;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
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
@SpringBootTest(
        classes = {TrackerStage.class, ReceiptTrackerIT.SenderAccount.class},
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "sf1820.kafka.partitions=2",
            "sf1820.receipt-tracker.poll-interval=0",
            "sf1820.receipt-tracker.timeout=1h",
            "sf1820.receipt-tracker.punctuate-interval=1s",
            "sf1820.receipt-tracker.housekeeping-interval=0",
            "spring.kafka.streams.properties.commit.interval.ms=100",
            // the restart test waits for the stopped member to leave the group: the broker's minimum, not 45 s
            "spring.kafka.streams.properties.session.timeout.ms=6000"
        })
// the context (and its Streams state) must close before JUnit deletes the temporary directory
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@EmbeddedKafka(
        brokerProperties = {
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0"
        })
class ReceiptTrackerIT {

    private static final Fagsystem KSD = FagsystemRegistry.standard().requireExtract("KSD");
    private static final String SENDER = KSD.sftpUser();
    private static final String RECIPIENT = KSD.recipients().get(0);
    /** A recipient whose IN is broken on the platform, so routing to it fails (code 500). */
    private static final String BROKEN = "BROKEN_RECIPIENT";

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

    @Autowired
    SenderFolderSweep sweep;

    @Autowired
    SenderOwnership ownership;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @BeforeAll
    static void startPlatform() throws IOException {
        ServiceplatformFixture fixture = ServiceplatformFixture.start(work, SENDER, RECIPIENT, BROKEN);
        platform = fixture.emulator();
        Path brokenIn = platform.home(BROKEN).resolve("IN");
        Files.delete(brokenIn);
        Files.writeString(brokenIn, "not a folder");
        senderAccount = new SftpAccount(
                SENDER, platform.host(), platform.port(), fixture.key(SENDER).privateKey(), null, fixture.knownHosts());
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
        registry.add(
                "sf1820.receipt-tracker.archive-dir",
                () -> work.resolve("archive").toString());
    }

    @BeforeEach
    void trackerIsRunning() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> correlation.state().orElseThrow() == KafkaStreams.State.RUNNING);
        await().atMost(Duration.ofSeconds(60)).until(() -> ownership.ready());
    }

    @Test
    void successfulDeliveryEndsAsExactlyOneDeliverySucceeded() throws Exception {
        Transfer transfer = uploadAndTrigger("rows;1\n".getBytes(StandardCharsets.UTF_8), null);
        ScanReport.TriggerOutcome scanned =
                platform.scanNow().trigger(transfer.fileName() + ".trigger").orElseThrow();
        assertThat(scanned.succeeded()).as(scanned.note()).isTrue();
        Path receipt = receiptOf(transfer);
        byte[] receiptBytes = Files.readAllBytes(receipt);

        PollReport report = poller.pollOnce();

        assertThat(report.published()).containsExactly(SENDER + ":/IN/" + receipt.getFileName());
        assertThat(receipt).doesNotExist();
        assertThat(work.resolve("archive").resolve(SENDER).resolve(receipt.getFileName()))
                .hasBinaryContent(receiptBytes);
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
    void severalReceiptsInOnePollAreEachPublishedOnceWithTheirOwnContent() throws Exception {
        // the poller reads each receipt while the one before awaits its acknowledgement: contents must not swap
        List<Transfer> transfers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            transfers.add(uploadAndTrigger(("rows;" + (10 + i) + "\n").getBytes(StandardCharsets.UTF_8), null));
        }
        Map<String, String> uuidByTransfer = new HashMap<>();
        ScanReport scan = platform.scanNow();
        for (Transfer transfer : transfers) {
            ScanReport.TriggerOutcome scanned =
                    scan.trigger(transfer.fileName() + ".trigger").orElseThrow();
            assertThat(scanned.succeeded()).as(scanned.note()).isTrue();
            uuidByTransfer.put(transfer.ref().transferId(), scanned.fileTransferUUID());
        }
        // an unreadable receipt among them is kept and does not stop the ones after it
        Path garbage = Files.writeString(
                platform.home(SENDER).resolve("IN").resolve(transfers.get(1).fileName() + "-.sftpreceipt"), "<oops");

        PollReport report = poller.pollOnce();

        assertThat(report.published())
                .containsExactlyInAnyOrderElementsOf(transfers.stream()
                        .map(t -> SENDER + ":/IN/" + receiptOf(t).getFileName())
                        .toList());
        assertThat(report.kept()).containsOnlyKeys(SENDER + ":/IN/" + garbage.getFileName());
        for (Transfer transfer : transfers) {
            assertThat(receiptOf(transfer)).doesNotExist();
            List<SpecificRecordBase> receipts =
                    eventsOf(Topics.RECEIPT_RECEIVED.name(), transfer.ref().transferId());
            assertThat(receipts)
                    .singleElement()
                    .isInstanceOfSatisfying(
                            ReceiptReceived.class,
                            r -> assertThat(r.getFileTransferUUID())
                                    .isEqualTo(uuidByTransfer.get(transfer.ref().transferId())));
            assertThat(awaitOutcome(transfer.ref().transferId())).isInstanceOf(DeliverySucceeded.class);
        }
        Files.delete(garbage);
    }

    @Test
    void rejectedTriggerEndsAsDeliveryFailedWithThePlatformsErrors() throws Exception {
        Transfer transfer = uploadAndTrigger("rows;2\n".getBytes(StandardCharsets.UTF_8), 999L);
        List<Integer> codes = platform.scanNow()
                .trigger(transfer.fileName() + ".trigger")
                .orElseThrow()
                .errorCodes();
        assertThat(codes).isNotEmpty();

        poller.pollOnce();

        assertThat(receiptOf(transfer)).doesNotExist();
        assertThat(awaitOutcome(transfer.ref().transferId())).isInstanceOfSatisfying(DeliveryFailed.class, f -> {
            assertThat(TransferRef.of(f)).isEqualTo(transfer.ref());
            assertThat(f.getErrors()).extracting(ReceiptError::getCode).containsExactlyElementsOf(codes);
            assertThat(f.getErrors())
                    .allSatisfy(e -> assertThat(e.getDescription()).isNotBlank());
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
        assertThat(eventsOf(Topics.RECEIPT_RECEIVED.name(), transfer.ref().transferId()))
                .singleElement()
                .isInstanceOfSatisfying(
                        ReceiptReceived.class,
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

        assertThat(report.kept())
                .containsOnlyKeys(
                        SENDER + ":/IN/" + garbage.getFileName(), SENDER + ":/IN/" + uncorrelated.getFileName());
        assertThat(report.kept().get(SENDER + ":/IN/" + garbage.getFileName())).contains("line 1");
        assertThat(report.published()).isEmpty();
        assertThat(garbage).exists();
        assertThat(uncorrelated).exists();
        Files.delete(garbage);
        Files.delete(uncorrelated);
    }

    /** A file named like a receipt but of megabytes is kept unread, naming the rule; a real receipt still goes. */
    @Test
    void aReceiptLargerThanAnyReceiptIsKeptUnread() throws Exception {
        Path in = platform.home(SENDER).resolve("IN");
        Path huge = Files.write(in.resolve("AAA-" + nextFileName() + ".sftpreceipt"), new byte[2 * 1024 * 1024 + 1]);

        PollReport report = poller.pollOnce();

        assertThat(report.kept()).containsOnlyKeys(SENDER + ":/IN/" + huge.getFileName());
        assertThat(report.kept().get(SENDER + ":/IN/" + huge.getFileName()))
                .contains("2097153 bytes, more than the 1048576 a receipt may be");
        assertThat(huge).exists();
        Files.delete(huge);
    }

    // --- every failure the platform can answer, and the sender's cleanup after it (issue 5) ---

    @ParameterizedTest
    @EnumSource(PlatformError.class)
    void everyCatalogueFailureEndsAsExactlyOneDeliveryFailedAndTheDataFileLeavesOut(PlatformError error)
            throws Exception {
        String fileName = nextFileName();
        Path out = platform.home(SENDER).resolve("OUT");
        Transfer transfer =
                new Transfer(new TransferRef(UUID.randomUUID().toString(), KSD.code(), "0561", "M03"), fileName);
        byte[] trigger = triggerProvoking(error, transfer);
        boolean dataFileUploaded =
                error != PlatformError.DATA_FILE_MISSING && error != PlatformError.DATA_FILE_NOT_REGULAR;
        try (SftpConnection sftp = connector.open(senderAccount)) {
            if (dataFileUploaded) {
                sftp.upload("abc".getBytes(StandardCharsets.UTF_8), "/OUT/" + fileName);
            }
            publishUpload(transfer, 3);
            sftp.upload(trigger, "/OUT/" + fileName + ".trigger");
        }
        ScanReport.TriggerOutcome scanned =
                platform.scanNow().trigger(fileName + ".trigger").orElseThrow();
        assertThat(scanned.errorCodes()).as(scanned.note()).containsExactly(error.code());
        // receipts without SendersFileId (unreadable triggers) are matched by file name, from the store
        awaitTrackerCaughtUp();

        poller.pollOnce();

        assertThat(awaitOutcome(transfer.ref().transferId())).isInstanceOfSatisfying(DeliveryFailed.class, f -> {
            assertThat(TransferRef.of(f)).isEqualTo(transfer.ref());
            assertThat(f.getFileTransferUUID()).isEqualTo(scanned.fileTransferUUID());
            assertThat(f.getErrors()).singleElement().satisfies(e -> {
                assertThat(e.getCode()).isEqualTo(error.code());
                assertThat(e.getCodeDescription()).isEqualTo(error.description());
                assertThat(e.getDescription()).isNotBlank();
            });
        });
        if (dataFileUploaded) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(out.resolve(fileName)));
            assertThat(eventsOf(Topics.HOUSEKEEPING.name(), transfer.ref().transferId()))
                    .singleElement()
                    .isInstanceOfSatisfying(HousekeepingPerformed.class, h -> {
                        assertThat(h.getAction()).isEqualTo(HousekeepingAction.FAILED_DATA_FILE_DELETED.name());
                        assertThat(h.getPath()).isEqualTo("/OUT/" + fileName);
                    });
        }
        awaitTrackerCaughtUp();
        assertThat(outcomesOf(transfer.ref().transferId())).hasSize(1);
        cleanUpAfter(error, fileName);
    }

    /** A trigger for {@code transfer} that the platform rejects with exactly {@code error}. */
    private static byte[] triggerProvoking(PlatformError error, Transfer transfer) throws IOException {
        String fileName = transfer.fileName();
        TriggerType trigger = trigger(transfer, 3);
        switch (error) {
            case MALFORMED_XML -> {
                return "<ns2:Trigger><oops".getBytes(StandardCharsets.UTF_8);
            }
            case SCHEMA_VIOLATION -> {
                return ("<ns2:Trigger xmlns:ns2=\"" + SftpXml.NAMESPACE + "\"><FileDescriptor><FileName>" + fileName
                                + "</FileName><Sender>" + SENDER + "</Sender><Recipients>" + RECIPIENT
                                + "</Recipients></FileDescriptor><FileContentDescriptor/></ns2:Trigger>")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case TRIGGER_TOO_LARGE -> {
                byte[] huge = new byte[1024 * 1024 + 1];
                Arrays.fill(huge, (byte) ' ');
                return huge;
            }
            case XML_VERSION_NOT_SUPPORTED -> {
                // issue 10: XML 1.1 lets a control character in, which no receipt could carry on
                return new String(SftpXml.write(trigger), StandardCharsets.UTF_8)
                        .replaceFirst("version=\"1.0\"", "version=\"1.1\"")
                        .replace("<SendersFileId>", "<SendersFileId>&#1;")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case FILE_TRANSFER_UUID_IN_TRIGGER ->
                trigger.setFileTransferUUID(UUID.randomUUID().toString());
            case SENDER_MISMATCH -> trigger.getFileDescriptor().setSender(RECIPIENT);
            case UNKNOWN_RECIPIENT ->
                trigger.getFileDescriptor().getRecipients().set(0, "NOBODY");
            case DATA_FILE_MISSING -> {
                // no data file is uploaded
            }
            case SIZE_MISMATCH -> trigger.getFileDescriptor().setSizeInBytes(BigInteger.valueOf(4));
            case FORBIDDEN_FILE_NAME -> trigger.getFileDescriptor().setFileName("../" + fileName);
            case DATA_FILE_NOT_REGULAR ->
                Files.createDirectory(platform.home(SENDER).resolve("OUT").resolve(fileName));
            case FILE_NAME_IN_USE ->
                Files.writeString(
                        platform.home(RECIPIENT).resolve("IN").resolve(fileName),
                        "an earlier delivery DST has not fetched");
            case ROUTING_FAILED -> trigger.getFileDescriptor().getRecipients().add(BROKEN);
            default -> throw new IllegalArgumentException("no trigger provokes " + error + " yet: add a case");
        }
        return SftpXml.write(trigger);
    }

    private static void cleanUpAfter(PlatformError error, String fileName) throws IOException {
        if (error == PlatformError.DATA_FILE_NOT_REGULAR) {
            Files.delete(platform.home(SENDER).resolve("OUT").resolve(fileName));
        } else if (error == PlatformError.FILE_NAME_IN_USE) {
            Files.delete(platform.home(RECIPIENT).resolve("IN").resolve(fileName));
        }
    }

    // --- order and restarts on a real broker (the rules themselves: ReceiptCorrelationTopologyTest) ---

    @Test
    void receiptReadBeforeItsUploadEventEndsAsExactlyOneOutcome() throws Exception {
        Transfer transfer =
                new Transfer(new TransferRef(UUID.randomUUID().toString(), KSD.code(), "0561", "M03"), nextFileName());
        Files.write(
                receiptOf(transfer), SftpXml.write(successReceipt(transfer.ref().transferId())));

        assertThat(poller.pollOnce().published()).hasSize(1);
        awaitTrackerCaughtUp();
        assertThat(outcomesOf(transfer.ref().transferId()))
                .as("held until the upload event")
                .isEmpty();

        publishUpload(transfer, 10);

        assertThat(awaitOutcome(transfer.ref().transferId())).isInstanceOf(DeliverySucceeded.class);
        awaitTrackerCaughtUp();
        assertThat(outcomesOf(transfer.ref().transferId())).hasSize(1);
    }

    @Test
    void restartWithItsLocalStateLostMidCorrelationStillYieldsExactlyOneOutcome() throws Exception {
        Transfer transfer = publishUpload(nextFileName(), 10);
        awaitTrackerCaughtUp();

        // Given the tracker stops after recording the upload, and its local state is lost with the machine
        correlation.stop();
        ReceiptReceived receipt = receiptEvent(transfer);
        try {
            deleteRecursively(work.resolve("streams").resolve(properties.applicationId()));
            // When the receipt arrives twice while it is down (a poll redelivered after a crash)
            publisher.publish(Topics.RECEIPT_RECEIVED, receipt);
            publisher.publish(Topics.RECEIPT_RECEIVED, receiptEvent(transfer));
        } finally {
            correlation.start();
        }
        trackerIsRunning();

        // Then the upload comes back from the changelog, and the transfer settles once, with the upload's fields
        assertThat(awaitOutcome(transfer.ref().transferId()))
                .isInstanceOfSatisfying(
                        DeliverySucceeded.class,
                        s -> assertThat(s.getFileTransferUUID()).isEqualTo(receipt.getFileTransferUUID()));
        awaitTrackerCaughtUp();
        assertThat(outcomesOf(transfer.ref().transferId())).hasSize(1);
    }

    // --- housekeeping: orphans and the platform's 30-day deletion ---

    @Test
    void orphanSweepDeletesOnlyOldDataFilesWithoutTrigger() throws Exception {
        Path out = platform.home(SENDER).resolve("OUT");
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        // Given a transfer the transporter gave up on after its data file was in OUT, two hours ago
        String orphanName = nextFileName();
        Transfer orphan =
                new Transfer(new TransferRef(UUID.randomUUID().toString(), KSD.code(), "0561", "M03"), orphanName);
        TransferFailed gaveUp = orphan.ref().stamp(new TransferFailed(), Clock.systemUTC());
        gaveUp.setSender(SENDER);
        gaveUp.setFileName(orphanName);
        gaveUp.setCause("SFTP server unreachable");
        gaveUp.setAttempts(5);
        publisher.publish(Topics.TRANSFER_UPLOADED, gaveUp);
        Path old = oldFile(out.resolve(orphanName), twoHoursAgo);
        // and an unknown old orphan, a fresh data file, and old data files whose trigger lies there or is being written
        Path unknownOld = oldFile(out.resolve(nextFileName()), twoHoursAgo);
        Path fresh = Files.writeString(out.resolve(nextFileName()), "just uploaded, trigger follows");
        String triggeredName = nextFileName();
        Path triggered = oldFile(out.resolve(triggeredName), twoHoursAgo);
        Path trigger = oldFile(out.resolve(triggeredName + ".trigger"), twoHoursAgo);
        String writingName = nextFileName();
        Path writing = oldFile(out.resolve(writingName), twoHoursAgo);
        Path triggerPart = oldFile(out.resolve(writingName + ".trigger.part"), twoHoursAgo);
        awaitTrackerCaughtUp();

        SweepReport report = sweep.sweepOnce();

        assertThat(report.orphansDeleted())
                .containsExactlyInAnyOrder(
                        SENDER + ":/OUT/" + orphanName, SENDER + ":/OUT/" + unknownOld.getFileName());
        assertThat(old).doesNotExist();
        assertThat(unknownOld).doesNotExist();
        assertThat(List.of(fresh, triggered, trigger, writing, triggerPart))
                .allSatisfy(p -> assertThat(p).exists());
        assertThat(eventsOf(Topics.HOUSEKEEPING.name(), orphan.ref().transferId()))
                .singleElement()
                .isInstanceOfSatisfying(HousekeepingPerformed.class, h -> {
                    assertThat(h.getAction()).isEqualTo(HousekeepingAction.ORPHAN_DELETED.name());
                    assertThat(h.getPath()).isEqualTo("/OUT/" + orphanName);
                });
        for (Path p : List.of(fresh, triggered, trigger, writing, triggerPart)) {
            Files.delete(p);
        }
    }

    @Test
    void filesOfOursOnThePlatformForTwentyDaysAreReportedOnce() throws Exception {
        // Given a known transfer whose data file lies in OUT (the platform has not taken it)
        Transfer transfer = publishUpload(nextFileName(), 3);
        Path dataFile = Files.writeString(platform.home(SENDER).resolve("OUT").resolve(transfer.fileName()), "abc");
        awaitTrackerCaughtUp();
        // and a clock 21 days ahead; orphan-age far beyond it, so this sweep deletes nothing
        SenderFolderSweep later = new SenderFolderSweep(
                new OwnedSenders(List.of(senderAccount), ownership),
                connector,
                publisher,
                correlation,
                Duration.ofDays(365),
                properties.deadlineWarningAfter(),
                properties.folders(),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(21)));
        SenderFolderSweep today = new SenderFolderSweep(
                new OwnedSenders(List.of(senderAccount), ownership),
                connector,
                publisher,
                correlation,
                Duration.ofDays(365),
                properties.deadlineWarningAfter(),
                properties.folders(),
                Clock.systemUTC());

        assertThat(today.sweepOnce().nearDeadline()).doesNotContain(SENDER + ":/OUT/" + transfer.fileName());
        SweepReport first = later.sweepOnce();
        SweepReport second = later.sweepOnce();

        assertThat(first.nearDeadline()).contains(SENDER + ":/OUT/" + transfer.fileName());
        assertThat(second.nearDeadline())
                .as("reported at every sweep")
                .contains(SENDER + ":/OUT/" + transfer.fileName());
        assertThat(dataFile).exists();
        assertThat(eventsOf(Topics.HOUSEKEEPING.name(), transfer.ref().transferId()))
                .as("one event per file")
                .singleElement()
                .isInstanceOfSatisfying(HousekeepingPerformed.class, h -> {
                    assertThat(h.getAction()).isEqualTo(HousekeepingAction.DEADLINE_NEAR.name());
                    assertThat(h.getPath()).isEqualTo("/OUT/" + transfer.fileName());
                    assertThat(h.getDetail()).contains("the platform deletes it at");
                });
        Files.delete(dataFile);
    }

    /** Issue 11: with other folders configured, sweep and poll work there, and leave the platform's defaults alone. */
    @Test
    void sweepAndPollUseTheConfiguredFoldersNotOutAndIn() throws Exception {
        SenderFolders configured = new SenderFolders("/SENT", "/ANSWERS/");
        Path sent = Files.createDirectories(platform.home(SENDER).resolve("SENT"));
        Path answers = Files.createDirectories(platform.home(SENDER).resolve("ANSWERS"));
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Path orphanInSent = oldFile(sent.resolve(nextFileName()), twoHoursAgo);
        Path orphanInOut = oldFile(platform.home(SENDER).resolve("OUT").resolve(nextFileName()), twoHoursAgo);
        Transfer transfer = publishUpload(nextFileName(), 3);
        awaitTrackerCaughtUp();
        Path receipt = Files.write(
                answers.resolve(transfer.fileName() + ".sftpreceipt"),
                SftpXml.write(successReceipt(transfer.ref().transferId())));
        Path receiptInIn = Files.write(
                platform.home(SENDER).resolve("IN").resolve(nextFileName() + ".sftpreceipt"),
                SftpXml.write(successReceipt(UUID.randomUUID().toString())));
        SenderFolderSweep sweep = new SenderFolderSweep(
                new OwnedSenders(List.of(senderAccount), ownership),
                connector,
                publisher,
                correlation,
                properties.orphanAge(),
                properties.deadlineWarningAfter(),
                configured,
                Clock.systemUTC());
        ReceiptPoller receipts = new ReceiptPoller(
                new OwnedSenders(List.of(senderAccount), ownership),
                connector,
                publisher,
                correlation,
                new ReceiptMatcher(correlation, FagsystemRegistry.standard()),
                new ReceiptArchive(null),
                configured,
                Clock.systemUTC());
        try {
            SweepReport swept = sweep.sweepOnce();
            PollReport polled = receipts.pollOnce();

            assertThat(swept.orphansDeleted()).containsExactly(SENDER + ":/SENT/" + orphanInSent.getFileName());
            assertThat(orphanInSent).doesNotExist();
            assertThat(orphanInOut).as("not the configured folder").exists();
            assertThat(polled.published()).containsExactly(SENDER + ":/ANSWERS/" + receipt.getFileName());
            assertThat(receipt).doesNotExist();
            assertThat(receiptInIn).as("not the configured folder").exists();
            assertThat(awaitOutcome(transfer.ref().transferId()))
                    .isInstanceOfSatisfying(
                            DeliverySucceeded.class,
                            s -> assertThat(TransferRef.of(s)).isEqualTo(transfer.ref()));
        } finally {
            Files.deleteIfExists(orphanInOut);
            Files.deleteIfExists(receiptInIn);
            deleteRecursively(sent);
            deleteRecursively(answers);
        }
    }

    private static Path oldFile(Path path, FileTime modified) throws IOException {
        Files.writeString(path, "abc");
        Files.setLastModifiedTime(path, modified);
        return path;
    }

    private static TechnicalReceiptType successReceipt(String sendersFileId) {
        TechnicalReceiptType receipt = new TechnicalReceiptType();
        receipt.setFileTransferUUID(UUID.randomUUID().toString());
        receipt.setSendersFileId(sendersFileId);
        ReceiptType success = new ReceiptType();
        success.setMessage("SUCCESS");
        receipt.setReceipt(success);
        return receipt;
    }

    private static ReceiptReceived receiptEvent(Transfer transfer) {
        ReceiptReceived receipt = transfer.ref().stamp(new ReceiptReceived(), Clock.systemUTC());
        receipt.setSender(SENDER);
        receipt.setFileName(transfer.fileName());
        receipt.setReceiptPath("/IN/" + transfer.fileName() + ".sftpreceipt");
        receipt.setFileTransferUUID("7d0f3a52-7f0e-4c0b-9a51-1d5c0e3b2a10");
        receipt.setSuccess(true);
        receipt.setErrors(List.of());
        receipt.setCorrelatedBy(ReceiptMatcher.BY_SENDERS_FILE_ID);
        return receipt;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // --- the sender's side, as the transporter does it ---

    private record Transfer(TransferRef ref, String fileName) {}

    /** Uploads data file and trigger to OUT, then publishes TransferUploaded; a wrong size makes the platform refuse. */
    private Transfer uploadAndTrigger(byte[] data, Long claimedSize) throws Exception {
        String fileName = nextFileName();
        Transfer transfer;
        try (SftpConnection sftp = connector.open(senderAccount)) {
            sftp.upload(data, "/OUT/" + fileName);
            transfer = publishUpload(fileName, data.length);
            sftp.upload(
                    SftpXml.write(trigger(transfer, claimedSize != null ? claimedSize : data.length)),
                    "/OUT/" + fileName + ".trigger");
        }
        return transfer;
    }

    private Transfer publishUpload(String fileName, long size) {
        return publishUpload(
                new Transfer(new TransferRef(UUID.randomUUID().toString(), KSD.code(), "0561", "M03"), fileName), size);
    }

    private Transfer publishUpload(Transfer transfer, long size) {
        String fileName = transfer.fileName();
        TransferUploaded uploaded = SampleEvents.transferUploaded(transfer.ref(), fileName, size, Clock.systemUTC());
        uploaded.setSender(SENDER);
        uploaded.setServer(senderAccount.server());
        publisher.publish(Topics.TRANSFER_UPLOADED, uploaded);
        return transfer;
    }

    private static TriggerType trigger(Transfer transfer, long size) {
        return Triggers.trigger(
                transfer.fileName(), size, SENDER, transfer.ref().transferId(), List.of(RECIPIENT), KSD.contentType());
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
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> outcomesOf(transferId), list -> !list.isEmpty())
                .get(0);
    }

    private List<SpecificRecordBase> outcomesOf(String transferId) {
        return eventsOf(Topics.DELIVERY_OUTCOME.name(), transferId);
    }

    private List<SpecificRecordBase> eventsOf(String topic, String transferId) {
        return TopicReader.readAll(broker.getBrokersAsString(), topic).stream()
                .filter(r -> transferId.equals(r.key()))
                .map(r -> r.value())
                .toList();
    }

    /**
     * Waits until the tracker has committed every input record. Under exactly-once the outcome of a
     * record commits with its offset, so afterwards the outcome topic holds all there will ever be.
     */
    private void awaitTrackerCaughtUp() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> TopicContents.lag(
                                broker.getBrokersAsString(),
                                properties.applicationId(),
                                List.of(Topics.TRANSFER_UPLOADED.name(), Topics.RECEIPT_RECEIVED.name()))
                        == 0);
    }

    /** The tracker polls the sender's IN on the emulator. */
    static class SenderAccount {

        @Bean
        SftpAccounts sftpAccounts() {
            return new SftpAccounts(List.of(senderAccount));
        }
    }
}
