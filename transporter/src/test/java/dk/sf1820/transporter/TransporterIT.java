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
import dk.sf1820.schemas.avro.TransferStep;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.ServiceplatformFixture;
import dk.sf1820.serviceplatform.scan.ScanReport;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The transporter against a real broker and the Serviceplatform emulator: a PackageReady becomes a
 * data file and a trigger in the sender's OUT that the platform accepts, exactly once.
 */
@SpringBootTest(
        classes = TransporterIT.TestApp.class,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "sf1820.kafka.partitions=1",
            "sf1820.kafka.retry-initial=200ms",
            "sf1820.kafka.retry-elapsed=5s"
        })
@EmbeddedKafka(partitions = 1)
@ExtendWith(OutputCaptureExtension.class)
class TransporterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path WORK_DIR = createWorkDir();
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

    @Autowired
    TransferProgressLedger ledger;

    @org.springframework.beans.factory.annotation.Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void putsDataFileThenTriggerInOutAndPlatformAcceptsThem() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 2_000);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");

        publisher.publish(Topics.PACKAGE_READY, event);

        TransferUploaded uploaded =
                transfers.awaitUploaded(event.getTransferId(), 1).get(0);
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
        assertThat(trigger.getFileDescriptor().getSizeInBytes().longValueExact())
                .isEqualTo(Files.size(zip));
        assertThat(trigger.getFileDescriptor().getSender()).isEqualTo(KSD_SENDER);
        assertThat(trigger.getFileDescriptor().getSendersFileId()).isEqualTo(event.getTransferId());
        assertThat(trigger.getFileDescriptor().getRecipients()).containsExactly(DST);
        assertThat(FileTypes.of(trigger.getFileContentDescriptor())).contains("SF1820_KSD");
        assertThat(steps.of(event.getTransferId())).containsExactly("uploading", "uploaded", "triggering", "triggered");

        ScanReport report = platform.scanNow();

        assertThat(report.trigger(fileName + ".trigger"))
                .hasValueSatisfying(t ->
                        assertThat(t.succeeded()).as("platform outcome %s", t).isTrue());
        TechnicalReceiptType receipt =
                readReceipt(platform.home(KSD_SENDER).resolve("IN").resolve(fileName + ".sftpreceipt"));
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
        assertThat(steps.of(event.getTransferId()))
                .containsExactly("uploading", "uploaded", "triggering", "triggered", "alreadyTriggered");
        assertThat(Files.getLastModifiedTime(triggerFile)).isEqualTo(firstWritten);
        ScanReport report = platform.scanNow();
        assertThat(report.triggers())
                .filteredOn(t -> event.getTransferId().equals(t.sendersFileId()))
                .singleElement()
                .satisfies(t -> assertThat(t.succeeded()).isTrue());
    }

    @Test
    void redeliveryAfterThePlatformRoutedTheFileSendsNothingAgain() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        publisher.publish(Topics.PACKAGE_READY, event);
        transfers.awaitUploaded(event.getTransferId(), 1);
        assertThat(platform.scanNow().delivered())
                .anyMatch(t -> event.getTransferId().equals(t.sendersFileId()));

        publisher.publish(Topics.PACKAGE_READY, event);

        transfers.awaitUploaded(event.getTransferId(), 2);
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        assertThat(out.resolve(event.getFileName()))
                .as("data file must not be uploaded again")
                .doesNotExist();
        assertThat(out.resolve(event.getFileName() + ".trigger")).doesNotExist();
        assertThat(platform.scanNow().triggers())
                .noneMatch(t -> event.getTransferId().equals(t.sendersFileId()));
    }

    @Test
    void replayAfterTheReceiptWasHandledAndDeletedUploadsNothing() throws Exception {
        // Given a transfer the platform routed and whose receipt the receipt tracker handled and deleted
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        publisher.publish(Topics.PACKAGE_READY, event);
        transfers.awaitUploaded(event.getTransferId(), 1);
        assertThat(platform.scanNow().delivered())
                .anyMatch(t -> event.getTransferId().equals(t.sendersFileId()));
        Path receipt = platform.home(KSD_SENDER).resolve("IN").resolve(event.getFileName() + ".sftpreceipt");
        Files.delete(receipt);
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        assertThat(out.resolve(event.getFileName())).doesNotExist();

        // When the same PackageReady is replayed, e.g. by an operator re-running the topic
        publisher.publish(Topics.PACKAGE_READY, event);

        // Then only the recorded progress knows, and nothing is sent again
        transfers.awaitUploaded(event.getTransferId(), 2);
        assertThat(steps.of(event.getTransferId()))
                .containsExactly("uploading", "uploaded", "triggering", "triggered", "alreadyTriggered");
        assertThat(out.resolve(event.getFileName()))
                .as("data file must not be uploaded again")
                .doesNotExist();
        assertThat(out.resolve(event.getFileName() + ".trigger")).doesNotExist();
        assertThat(platform.scanNow().triggers())
                .noneMatch(t -> event.getTransferId().equals(t.sendersFileId()));
    }

    @Test
    void replayAfterThePackagerDeletedTheDeliveredPackageEndsCleanly() throws Exception {
        // Given a delivered transfer whose package the packager deleted on DeliverySucceeded (issue 12)
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        publisher.publish(Topics.PACKAGE_READY, event);
        transfers.awaitUploaded(event.getTransferId(), 1);
        assertThat(platform.scanNow().delivered())
                .anyMatch(t -> event.getTransferId().equals(t.sendersFileId()));
        Files.delete(zip);
        Files.delete(zip.getParent());

        // When the same PackageReady is replayed
        publisher.publish(Topics.PACKAGE_READY, event);

        // Then the recorded progress answers: the outcome again, no upload, no dead letter
        transfers.awaitUploaded(event.getTransferId(), 2);
        assertThat(steps.of(event.getTransferId()))
                .containsExactly("uploading", "uploaded", "triggering", "triggered", "alreadyTriggered");
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        assertThat(out.resolve(event.getFileName())).doesNotExist();
        assertThat(out.resolve(event.getFileName() + ".trigger")).doesNotExist();
        assertThat(deadLetters.reason(event.getTransferId())).isNull();
        assertThat(TopicReader.readAll(
                        brokers,
                        Topics.PACKAGE_READY.deadLetter(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer()))
                .noneMatch(r -> event.getTransferId().equals(r.key()));
    }

    @Test
    void dataFileLeftCompleteByACrashedAttemptIsNotUploadedAgain() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        Files.copy(zip, platform.home(KSD_SENDER).resolve("OUT").resolve(event.getFileName()));
        // the crashed attempt recorded the whole upload: only that makes the file on the server this transfer's
        ledger.record(event, TransferStep.DATA_UPLOADED, Files.size(zip), 1, null);

        publisher.publish(Topics.PACKAGE_READY, event);

        transfers.awaitUploaded(event.getTransferId(), 1);
        assertThat(steps.of(event.getTransferId())).containsExactly("uploaded", "triggering", "triggered");
        assertThat(platform.scanNow().delivered())
                .anyMatch(t -> event.getTransferId().equals(t.sendersFileId()));
    }

    @Test
    void aSameSizeDataFileThisTransferNeverRecordedIsOverwritten() throws Exception {
        // issue 10: a file of the right size under the name is not proof that this transfer uploaded it
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        Path remote = platform.home(KSD_SENDER).resolve("OUT").resolve(event.getFileName());
        Files.write(remote, new byte[(int) Files.size(zip)]);

        publisher.publish(Topics.PACKAGE_READY, event);

        transfers.awaitUploaded(event.getTransferId(), 1);
        assertThat(steps.of(event.getTransferId())).containsExactly("uploading", "uploaded", "triggering", "triggered");
        assertThat(remote).hasSameBinaryContentAs(zip);
    }

    @Test
    void anotherTransfersTriggerOfTheSameNameIsNoEvidenceAndIsLeftAlone() throws Exception {
        // Given another transfer's data file and trigger under this transfer's name, waiting for the scan
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        Path otherZip = Packages.stageZip(workDir.resolve("staging"), event.getFileName(), 50);
        PackageReady other = Packages.packageReady(otherZip, KSD_SENDER, "KSD");
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        Files.copy(otherZip, out.resolve(event.getFileName()));
        Files.write(out.resolve(event.getFileName() + ".trigger"), TriggerFile.content(other));

        // When this transfer's PackageReady comes
        publisher.publish(Topics.PACKAGE_READY, event);

        // Then it is not taken as sent: it fails naming the other transfer, and the other's files are untouched
        TransferFailed failed = transfers.awaitFailed(event.getTransferId());
        assertThat(failed.getCause())
                .contains("SendersFileId=" + other.getTransferId())
                .contains(event.getFileName())
                .contains("taken by another transfer");
        assertThat(transfers.uploaded(event.getTransferId())).isEmpty();
        assertThat(steps.of(event.getTransferId())).isEmpty();
        assertThat(ledger.lookup(event.getTransferId()))
                .hasValueSatisfying(p -> assertThat(p.getStep()).isEqualTo(TransferStep.FAILED));
        assertThat(out.resolve(event.getFileName())).hasSameBinaryContentAs(otherZip);
        assertThat(readTrigger(out.resolve(event.getFileName() + ".trigger"))
                        .getFileDescriptor()
                        .getSendersFileId())
                .isEqualTo(other.getTransferId());
    }

    @Test
    void anotherTransfersReceiptOfTheSameNameIsNoEvidence() throws Exception {
        // Given the platform processed another transfer of this name and its receipt still waits in IN
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        Path otherZip = Packages.stageZip(workDir.resolve("staging"), event.getFileName(), 50);
        PackageReady other = Packages.packageReady(otherZip, KSD_SENDER, "KSD");
        publisher.publish(Topics.PACKAGE_READY, other);
        transfers.awaitUploaded(other.getTransferId(), 1);
        assertThat(platform.scanNow().delivered())
                .anyMatch(t -> other.getTransferId().equals(t.sendersFileId()));
        Path receipt = platform.home(KSD_SENDER).resolve("IN").resolve(event.getFileName() + ".sftpreceipt");
        assertThat(receipt).exists();

        // When this transfer's PackageReady comes
        publisher.publish(Topics.PACKAGE_READY, event);

        // Then nothing is sent under the taken name, no trigger written, and the failure names the other
        TransferFailed failed = transfers.awaitFailed(event.getTransferId());
        assertThat(failed.getCause())
                .contains("SendersFileId=" + other.getTransferId())
                .contains(receipt.getFileName().toString());
        assertThat(transfers.uploaded(event.getTransferId())).isEmpty();
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        assertThat(out.resolve(event.getFileName())).doesNotExist();
        assertThat(out.resolve(event.getFileName() + ".trigger")).doesNotExist();
        assertThat(platform.scanNow().triggers())
                .noneMatch(t -> event.getTransferId().equals(t.sendersFileId()));
    }

    @Test
    void forgedPackageRefOutsideTheStagingAreaIsNotSent() throws Exception {
        // issue 10: a forged PackageReady made the transporter upload a file from elsewhere to DST
        Path secret = Files.writeString(workDir.resolve("secret.txt"), "not for DST");
        Path elsewhere = Packages.stageZip(workDir.resolve("elsewhere"), Packages.fileName("KSD"), 10);
        PackageReady outside = Packages.packageReady(elsewhere, KSD_SENDER, "KSD");
        PackageReady absolute = Packages.packageReady(
                Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 10), KSD_SENDER, "KSD");
        absolute.setPackageRef(secret.toUri().toString());
        absolute.setSizeBytes(Files.size(secret));
        PackageReady dotDot = Packages.packageReady(
                Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 10), KSD_SENDER, "KSD");
        dotDot.setPackageRef(workDir.resolve("staging")
                        .resolve("packages")
                        .resolve(dotDot.getTransferId())
                        .toUri() + "../../../elsewhere/packages/" + outside.getTransferId() + "/"
                + outside.getFileName());
        dotDot.setFileName(outside.getFileName());
        dotDot.setSizeBytes(outside.getSizeBytes());
        dotDot.setSha256(outside.getSha256());

        for (PackageReady forged : List.of(outside, absolute, dotDot)) {
            assertRefusedAndNothingSent(forged, "is not this transfer's package");
        }
    }

    @Test
    void packageLinkedOutOfTheStagingAreaIsNotSent() throws Exception {
        Path secret =
                Files.writeString(workDir.resolve("secret-" + java.util.UUID.randomUUID() + ".txt"), "not for DST");
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 10);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        Files.delete(zip);
        Files.createSymbolicLink(zip, secret.toAbsolutePath());
        event.setSizeBytes(Files.size(secret));
        event.setSha256(Packages.sha256(secret));

        assertRefusedAndNothingSent(event, "is not this transfer's package");
    }

    @Test
    void anotherTransfersPackageIsNotSentUnderThisTransfer() throws Exception {
        Path theirs = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 10);
        PackageReady ownRef = Packages.packageReady(
                Packages.stageZip(
                        workDir.resolve("staging"), theirs.getFileName().toString(), 10),
                KSD_SENDER,
                "KSD");
        ownRef.setPackageRef(theirs.toUri().toString());
        ownRef.setSizeBytes(Files.size(theirs));
        ownRef.setSha256(Packages.sha256(theirs));
        // a linked transfer directory: packages/<this transfer> -> packages/<another transfer>
        Path linkedZip = Packages.stageZip(
                workDir.resolve("staging"), theirs.getFileName().toString(), 10);
        PackageReady linkedDir = Packages.packageReady(linkedZip, KSD_SENDER, "KSD");
        Files.delete(linkedZip);
        Files.delete(linkedZip.getParent());
        Files.createSymbolicLink(linkedZip.getParent(), theirs.getParent().toAbsolutePath());
        linkedDir.setSizeBytes(Files.size(theirs));
        linkedDir.setSha256(Packages.sha256(theirs));

        assertRefusedAndNothingSent(ownRef, "is not this transfer's package");
        assertRefusedAndNothingSent(linkedDir, "is not this transfer's package");
    }

    @Test
    void packageWhoseSha256DiffersAtTheRightSizeIsDeletedFromOutWithoutATrigger() throws Exception {
        Path zip = Packages.stageZip(workDir.resolve("staging"), Packages.fileName("KSD"), 100);
        PackageReady event = Packages.packageReady(zip, KSD_SENDER, "KSD");
        String expected = event.getSha256();
        byte[] tampered = Files.readAllBytes(zip);
        tampered[tampered.length / 2] ^= 0x55;
        Files.write(zip, tampered);

        publisher.publish(Topics.PACKAGE_READY, event);

        await().atMost(WAIT).until(() -> deadLetters.reason(event.getTransferId()) != null);
        assertThat(deadLetters.reason(event.getTransferId()))
                .contains(zip.toRealPath().toString())
                .contains(expected)
                .contains(Packages.sha256(zip));
        assertThat(steps.of(event.getTransferId())).containsExactly("uploading");
        assertNothingOnTheServer(event);
    }

    private void assertRefusedAndNothingSent(PackageReady forged, String reason) throws Exception {
        publisher.publish(Topics.PACKAGE_READY, forged);
        await().atMost(WAIT).until(() -> deadLetters.reason(forged.getTransferId()) != null);
        assertThat(deadLetters.reason(forged.getTransferId())).contains(reason).contains(forged.getPackageRef());
        assertThat(steps.of(forged.getTransferId())).isEmpty();
        assertNothingOnTheServer(forged);
    }

    private void assertNothingOnTheServer(PackageReady event) throws Exception {
        Path out = platform.home(KSD_SENDER).resolve("OUT");
        assertThat(out.resolve(event.getFileName())).doesNotExist();
        assertThat(out.resolve(event.getFileName() + ".trigger")).doesNotExist();
        assertThat(transfers.uploaded(event.getTransferId())).isEmpty();
        assertThat(platform.scanNow().triggers())
                .noneMatch(t -> event.getTransferId().equals(t.sendersFileId()));
        assertThat(platform.home(DST).resolve("IN").resolve(event.getFileName()))
                .doesNotExist();
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
        assertThat(deadLetters.reason(event.getTransferId()))
                .contains(zip.toString())
                .contains("does not exist");
        assertThat(platform.home(KSD_SENDER).resolve("OUT").resolve(event.getFileName()))
                .doesNotExist();
        assertThat(transfers.uploaded(event.getTransferId())).isEmpty();
    }

    @Test
    void unreadableEventGoesToTheDeadLetterTopicWithTheReason() throws Exception {
        String key = "unreadable-" + java.util.UUID.randomUUID();
        byte[] garbage = "not an event".getBytes(StandardCharsets.UTF_8);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", brokers),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            Topics.PACKAGE_READY.name(), key, garbage))
                    .get();
        }

        try (TopicReader<byte[]> dlt = new TopicReader<>(
                brokers,
                Topics.PACKAGE_READY.deadLetter(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            ConsumerRecord<String, byte[]> dead = dlt.await(key);
            assertThat(dead.value()).as("the original bytes").isEqualTo(garbage);
            assertThat(new String(
                            dead.headers().lastHeader(DeadLetterReason.HEADER).value(), StandardCharsets.UTF_8))
                    .contains(Topics.PACKAGE_READY.name())
                    .contains("not Avro single-object encoded");
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
            return Files.createTempDirectory(Path.of("target"), "transporter-it-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
                .filter(l -> !l.isBlank() && !l.startsWith("-----"))
                .toList();
        assertThat(lines).isNotEmpty();
        return lines;
    }

    /** Records what the transporter publishes to the transfer topic, as a downstream stage sees it. */
    static class TransferRecorder {

        private final List<SpecificRecordBase> events = new CopyOnWriteArrayList<>();

        @KafkaListener(
                id = "transporter-it-recorder",
                groupId = "transporter-it-recorder",
                topics = "#{T(dk.sf1820.schemas.Topics).TRANSFER_UPLOADED.name()}")
        void on(SpecificRecordBase event) {
            events.add(event);
        }

        List<TransferUploaded> uploaded(String transferId) {
            return events.stream()
                    .filter(TransferUploaded.class::isInstance)
                    .map(TransferUploaded.class::cast)
                    .filter(e -> e.getTransferId().equals(transferId))
                    .toList();
        }

        List<TransferUploaded> awaitUploaded(String transferId, int count) {
            await().atMost(WAIT).until(() -> uploaded(transferId).size() >= count);
            return uploaded(transferId);
        }

        TransferFailed awaitFailed(String transferId) {
            await().atMost(WAIT)
                    .until(() -> events.stream()
                            .anyMatch(e -> e instanceof TransferFailed f
                                    && f.getTransferId().equals(transferId)));
            return events.stream()
                    .filter(TransferFailed.class::isInstance)
                    .map(TransferFailed.class::cast)
                    .filter(e -> e.getTransferId().equals(transferId))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** Records the reason of each PackageReady the transporter refused, by transferId. */
    static class DeadLetterRecorder {

        private final Map<String, String> reasons = new ConcurrentHashMap<>();

        @KafkaListener(
                id = "transporter-it-dlt",
                groupId = "transporter-it-dlt",
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
            steps.computeIfAbsent(event.getTransferId(), id -> Collections.synchronizedList(new ArrayList<>()))
                    .add(step);
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
        Path workDir() {
            return WORK_DIR;
        }

        @Bean(destroyMethod = "close")
        ServiceplatformFixture platformFixture(Path workDir) {
            return ServiceplatformFixture.start(workDir, KSD_SENDER, UNTRUSTING_SENDER, DST);
        }

        // the fixture closes it
        @Bean(destroyMethod = "")
        ServiceplatformEmulator platform(ServiceplatformFixture fixture) {
            return fixture.emulator();
        }

        @Bean
        SftpAccounts sftpAccounts(ServiceplatformEmulator platform, ServiceplatformFixture fixture, Path workDir)
                throws IOException {
            Path keys = workDir.resolve("keys");
            Path trusted = fixture.knownHosts();
            LocalKey impostor = LocalKeys.generate(workDir.resolve("impostor"), "impostor");
            Path untrusting = workDir.resolve("known_hosts_other_key");
            Files.writeString(
                    untrusting,
                    "[127.0.0.1]:" + platform.port() + " "
                            + impostor.authorizedKeyLine().split(" ")[0] + " "
                            + impostor.authorizedKeyLine().split(" ")[1] + "\n");
            return new SftpAccounts(List.of(
                    new SftpAccount(
                            KSD_SENDER, platform.host(), platform.port(), keys.resolve(KSD_SENDER), null, trusted),
                    new SftpAccount(
                            UNTRUSTING_SENDER,
                            platform.host(),
                            platform.port(),
                            keys.resolve(UNTRUSTING_SENDER),
                            null,
                            untrusting)));
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
