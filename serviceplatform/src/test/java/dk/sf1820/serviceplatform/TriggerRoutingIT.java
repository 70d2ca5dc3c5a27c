package dk.sf1820.serviceplatform;

import static org.apache.sshd.sftp.common.SftpConstants.SSH_FX_FILE_ALREADY_EXISTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.SftpException;
import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.Metadata;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.serviceplatform.scan.MetadataForm;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.testsupport.Triggers;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform's routing as SF1820 describes it, driven through real SFTP sessions. */
class TriggerRoutingIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";
    static final String ARCHIVE = "ARCHIVE_SFTPUSER";

    @TempDir
    static Path dir;

    static ServiceplatformEmulator platform;
    static LocalKey ksd;
    static LocalKey dst;
    static Path knownHosts;

    @BeforeAll
    static void startPlatform() {
        ServiceplatformFixture test = ServiceplatformFixture.start(dir, KSD, DST, ARCHIVE);
        platform = test.emulator();
        ksd = test.key(KSD);
        dst = test.key(DST);
        knownHosts = test.knownHosts();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void deliversDataFileToRecipientWithMetadataAndSuccessReceipt() throws Exception {
        String fileName = "KSD_DST_0561_M03_20180402134858.zip";
        String sendersFileId = UUID.randomUUID().toString();
        byte[] data = "zip bytes of the extract".getBytes();

        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts)) {
            sender.put(data, "/OUT/" + fileName);
            sender.put(
                    Triggers.xml(Triggers.trigger(fileName, data.length, KSD, sendersFileId, List.of(DST))),
                    "/OUT/" + fileName + ".trigger");
        }
        ScanReport report = platform.scanNow();

        ScanReport.TriggerOutcome outcome =
                report.trigger(fileName + ".trigger").orElseThrow();
        assertThat(outcome.status()).isEqualTo(ScanReport.Status.DELIVERED);
        try (SftpClient recipient = SftpClient.connect(platform, dst, knownHosts)) {
            assertThat(recipient.get("/IN/" + fileName)).isEqualTo(data);
            Metadata metadata = SftpXml.readMetadata(
                    new ByteArrayInputStream(recipient.get("/IN/" + fileName + ".metadata")), "metadata");
            assertThat(metadata.root())
                    .as("the real platform's form is the default")
                    .isEqualTo(SftpXml.TRIGGER);
            assertThat(metadata.fileTransferUUID()).isEqualTo(outcome.fileTransferUUID());
            assertThat(metadata.sender()).isEqualTo(KSD);
            assertThat(metadata.fileDescriptor().getRecipients()).containsExactly(DST);
            assertThat(metadata.sizeInBytes()).isEqualTo(data.length);
            assertThat(metadata.sendersFileId()).isEqualTo(sendersFileId);
            assertThat(FileTypes.of(metadata.fileContentDescriptor())).contains("SF1820_KSD");
        }
        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts)) {
            TechnicalReceiptType receipt = SftpXml.readTechnicalReceipt(
                    new ByteArrayInputStream(sender.get("/IN/" + fileName + ".sftpreceipt")), "receipt");
            assertThat(receipt.getReceipt().getMessage()).isEqualTo("SUCCESS");
            assertThat(receipt.getFileTransferUUID()).isEqualTo(outcome.fileTransferUUID());
            assertThat(receipt.getSendersFileId()).isEqualTo(sendersFileId);
            assertThat(receipt.getErrorMessage()).isEmpty();
            assertThatThrownBy(() -> sender.sftp.stat("/OUT/" + fileName)).isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> sender.sftp.stat("/OUT/" + fileName + ".trigger"))
                    .isInstanceOf(SftpException.class);
        }
    }

    @Test
    void twoRecipientsGetACopyEach() throws Exception {
        String fileName = "KSD_DST_0101_M04_20180502134858.zip";
        byte[] data = "shared extract".getBytes();
        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts)) {
            sender.put(data, "/OUT/" + fileName);
            sender.put(
                    Triggers.xml(Triggers.trigger(
                            fileName, data.length, KSD, UUID.randomUUID().toString(), List.of(DST, ARCHIVE))),
                    "/OUT/" + fileName + ".trigger");
        }

        assertThat(platform.scanNow()
                        .trigger(fileName + ".trigger")
                        .orElseThrow()
                        .succeeded())
                .isTrue();

        for (String recipient : List.of(DST, ARCHIVE)) {
            Path in = platform.home(recipient).resolve("IN");
            assertThat(in.resolve(fileName)).hasBinaryContent(data);
            assertThat(in.resolve(fileName + ".metadata")).exists();
        }
        // a copy each, not one file seen twice: one recipient deleting or changing its copy leaves the other
        Path dstCopy = platform.home(DST).resolve("IN").resolve(fileName);
        Path archiveCopy = platform.home(ARCHIVE).resolve("IN").resolve(fileName);
        assertThat(Files.isSameFile(dstCopy, archiveCopy)).isFalse();
        assertThat(platform.home(KSD).resolve("OUT").resolve(fileName)).doesNotExist();
    }

    @Test
    void metadataCanBeWrittenWithTheContractsFileMetadataRoot() throws Exception {
        try (ServiceplatformEmulator contractForm = ServiceplatformEmulator.builder()
                .root(dir.resolve("contract"))
                .scanInterval(Duration.ZERO)
                .metadataForm(MetadataForm.FILE_METADATA)
                .user(KSD, ksd.publicKey())
                .user(DST, dst.publicKey())
                .build()) {
            String fileName = "KSD_DST_0561_M05_20180602134858.zip";
            Path out = contractForm.home(KSD).resolve("OUT");
            Files.write(out.resolve(fileName), new byte[] {1, 2, 3});
            Files.write(
                    out.resolve(fileName + ".trigger"),
                    Triggers.xml(Triggers.trigger(fileName, 3, KSD, null, List.of(DST))));

            ScanReport report = contractForm.scanNow();

            Path metadataFile = contractForm.home(DST).resolve("IN").resolve(fileName + ".metadata");
            Metadata metadata = SftpXml.readMetadata(Files.newInputStream(metadataFile), metadataFile.toString());
            assertThat(metadata.root()).isEqualTo(SftpXml.FILE_METADATA);
            assertThat(metadata.fileTransferUUID())
                    .isEqualTo(report.delivered().get(0).fileTransferUUID());
            assertThat(Files.readString(metadataFile)).contains("<ns2:FileMetadata");
        }
    }

    /**
     * Issue 10: public clients written against the real platform parse {@code .metadata} their own way:
     * root {@code Trigger} in the contract's namespace, {@code FileTransferUUID} its first child, values
     * trimmed. The default emulator must satisfy such a client, not only our own reader.
     */
    @Test
    void defaultMetadataIsWhatAPublicClientOfTheRealPlatformReads() throws Exception {
        String fileName = "KSD_DST_0561_M07_20180802134858.zip";
        String sendersFileId = UUID.randomUUID().toString();
        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts)) {
            sender.put("abc".getBytes(), "/OUT/" + fileName);
            sender.put(
                    Triggers.xml(Triggers.trigger(fileName, 3, KSD, sendersFileId, List.of(DST))),
                    "/OUT/" + fileName + ".trigger");
        }
        String uuid =
                platform.scanNow().trigger(fileName + ".trigger").orElseThrow().fileTransferUUID();

        byte[] metadata;
        try (SftpClient recipient = SftpClient.connect(platform, dst, knownHosts)) {
            metadata = recipient.get("/IN/" + fileName + ".metadata");
            recipient.sftp.rm("/IN/" + fileName);
            recipient.sftp.rm("/IN/" + fileName + ".metadata");
        }
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        org.w3c.dom.Element root = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(metadata))
                .getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(SftpXml.NAMESPACE);
        assertThat(root.getLocalName()).isEqualTo("Trigger");
        org.w3c.dom.Element first = firstChildElement(root);
        assertThat(first.getLocalName()).isEqualTo("FileTransferUUID");
        assertThat(first.getNamespaceURI()).as("children are unqualified").isNull();
        assertThat(first.getTextContent().strip()).isEqualTo(uuid);
        org.w3c.dom.Element descriptor = (org.w3c.dom.Element)
                root.getElementsByTagName("FileDescriptor").item(0);
        assertThat(descriptor
                        .getElementsByTagName("FileName")
                        .item(0)
                        .getTextContent()
                        .strip())
                .isEqualTo(fileName);
        assertThat(descriptor
                        .getElementsByTagName("SizeInBytes")
                        .item(0)
                        .getTextContent()
                        .strip())
                .isEqualTo("3");
        assertThat(descriptor
                        .getElementsByTagName("SendersFileId")
                        .item(0)
                        .getTextContent()
                        .strip())
                .isEqualTo(sendersFileId);
    }

    private static org.w3c.dom.Element firstChildElement(org.w3c.dom.Element parent) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof org.w3c.dom.Element e) {
                return e;
            }
        }
        throw new AssertionError("no child element in " + parent.getLocalName());
    }

    @Test
    void dataFileStillOpenForWritingIsDeferredUntilClosed() throws Exception {
        String fileName = "KSD_DST_0561_M06_20180702134858.zip";
        byte[] data = new byte[64 * 1024];
        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts)) {
            OutputStream upload = sender.sftp.put("/OUT/" + fileName);
            upload.write(data, 0, 1024);
            upload.flush();
            sender.put(
                    Triggers.xml(Triggers.trigger(fileName, data.length, KSD, "d1", List.of(DST))),
                    "/OUT/" + fileName + ".trigger");

            ScanReport whileWriting = platform.scanNow();

            assertThat(whileWriting.trigger(fileName + ".trigger").orElseThrow().status())
                    .isEqualTo(ScanReport.Status.DEFERRED);
            assertThat(platform.home(KSD).resolve("OUT").resolve(fileName + ".trigger"))
                    .exists();
            assertThat(platform.home(KSD).resolve("IN").resolve(fileName + ".sftpreceipt"))
                    .doesNotExist();

            upload.write(data, 1024, data.length - 1024);
            upload.close();
        }
        ScanReport afterClose = platform.scanNow();

        assertThat(afterClose.trigger(fileName + ".trigger").orElseThrow().status())
                .isEqualTo(ScanReport.Status.DELIVERED);
        assertThat(platform.home(DST).resolve("IN").resolve(fileName)).hasBinaryContent(data);
    }

    @Test
    void triggerStillOpenForWritingIsDeferred() throws Exception {
        String triggerName = "KSD_DST_0561_M07_20180802134858.zip.trigger";
        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts);
                OutputStream upload = sender.sftp.put("/OUT/" + triggerName)) {
            upload.write("<?xml version=\"1.0\"?><ns2:Trig".getBytes());
            upload.flush();

            ScanReport report = platform.scanNow();

            assertThat(report.trigger(triggerName).orElseThrow().note()).isEqualTo("deferred: still being written");
            assertThat(platform.home(KSD).resolve("OUT").resolve(triggerName)).exists();
        }
        // the sender's session ended with the trigger half written: it is now read, and refused
        assertThat(platform.scanNow().trigger(triggerName).orElseThrow().errorCodes())
                .containsExactly(100);
    }

    @Test
    void pendingTriggerCannotBeOverwritten() throws Exception {
        String triggerName = "KSD_DST_0561_M08_20180902134858.zip.trigger";
        byte[] trigger =
                Triggers.xml(Triggers.trigger("KSD_DST_0561_M08_20180902134858.zip", 1, KSD, "p1", List.of(DST)));
        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts)) {
            sender.put(trigger, "/OUT/" + triggerName);

            assertThat(sender.get("/OUT/" + triggerName))
                    .as("reading it back is allowed")
                    .isEqualTo(trigger);
            assertThatThrownBy(() -> sender.put(trigger, "/OUT/" + triggerName))
                    .isInstanceOfSatisfying(
                            SftpException.class,
                            e -> assertThat(e.id).as(e.getMessage()).isEqualTo(SSH_FX_FILE_ALREADY_EXISTS));
            sender.put(trigger, "/OUT/second.tmp");
            assertThatThrownBy(() -> sender.sftp.rename("/OUT/second.tmp", "/OUT/" + triggerName))
                    .isInstanceOf(SftpException.class);
        }
        assertThat(platform.home(KSD).resolve("OUT").resolve(triggerName)).hasBinaryContent(trigger);
        // the refused attempts left nothing counted as "still being written": the first trigger is answered
        assertThat(platform.scanNow().trigger(triggerName).orElseThrow().status())
                .isEqualTo(ScanReport.Status.REJECTED);
    }

    @Test
    void scheduledScanRoutesWithoutBeingAsked() throws Exception {
        try (ServiceplatformEmulator scheduled = ServiceplatformEmulator.builder()
                .root(dir.resolve("scheduled"))
                .scanInterval(Duration.ofMillis(200))
                .user(KSD, ksd.publicKey())
                .user(DST, dst.publicKey())
                .build()) {
            scheduled.start();
            String fileName = "KSD_DST_0561_M09_20181002134858.zip";
            Path out = scheduled.home(KSD).resolve("OUT");
            Files.write(out.resolve(fileName), new byte[] {42});
            Files.write(
                    out.resolve(fileName + ".trigger"),
                    Triggers.xml(Triggers.trigger(fileName, 1, KSD, "s1", List.of(DST))));

            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(scheduled.home(KSD).resolve("IN").resolve(fileName + ".sftpreceipt")));
            assertThat(scheduled.home(DST).resolve("IN").resolve(fileName)).hasBinaryContent(new byte[] {42});
        }
    }
}
