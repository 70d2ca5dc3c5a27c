package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.sftp.SftpXmlException;
import dk.sf1820.schemas.xml.ErrorMessageType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.serviceplatform.scan.PlatformError;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.testsupport.Triggers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "the platform's own outputs must stay well-formed": every trigger gets a receipt the sender
 * can find and read, however hostile the trigger, and nothing the platform writes is malformed.
 */
class EveryTriggerAnsweredIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    @TempDir
    static Path dir;

    static ServiceplatformFixture test;
    static ServiceplatformEmulator platform;

    @BeforeAll
    static void startPlatform() {
        test = ServiceplatformFixture.start(dir, KSD, DST);
        platform = test.emulator();
    }

    @AfterAll
    static void stopPlatform() {
        test.close();
    }

    @Test
    void xml11TriggerWithAControlCharacterIsRefusedWithAWellFormedReceiptAndNoMetadata() throws Exception {
        String fileName = "KSD_DST_0561_M03_20260101000001.zip";
        String xml = "<?xml version=\"1.1\" encoding=\"UTF-8\"?><ns2:Trigger xmlns:ns2=\"" + SftpXml.NAMESPACE
                + "\"><FileDescriptor><FileName>" + fileName + "</FileName><SizeInBytes>3</SizeInBytes><Sender>" + KSD
                + "</Sender><SendersFileId>evil&#1;id</SendersFileId><Recipients>" + DST + "</Recipients>"
                + "</FileDescriptor><FileContentDescriptor/></ns2:Trigger>";

        upload(fileName, fileName + ".trigger", xml.getBytes(StandardCharsets.UTF_8));
        ScanReport report = platform.scanNow();

        assertThat(report.trigger(fileName + ".trigger").orElseThrow().status()).isEqualTo(ScanReport.Status.REJECTED);
        Path receiptFile = platform.home(KSD).resolve("IN").resolve(fileName + ".sftpreceipt");
        byte[] receiptBytes = Files.readAllBytes(receiptFile);
        assertWellFormedXml10(receiptBytes);
        for (byte b : receiptBytes) {
            assertThat(b).as("no raw control character in the receipt").isNotEqualTo((byte) 0x01);
        }
        TechnicalReceiptType receipt = SftpXml.readTechnicalReceipt(new ByteArrayInputStream(receiptBytes), "receipt");
        assertThat(receipt.getErrorMessage())
                .extracting(ErrorMessageType::getErrorCode)
                .containsExactly(PlatformError.XML_VERSION_NOT_SUPPORTED.code());
        assertThat(receipt.getErrorMessage().get(0).getErrorDescription()).contains("XML 1.1");
        assertThat(receipt.getSendersFileId()).isNull();
        assertThat(platform.home(DST).resolve("IN")).isEmptyDirectory();
        assertThat(platform.home(KSD).resolve("OUT").resolve(fileName)).exists();
        assertThat(platform.home(KSD).resolve("OUT").resolve(fileName + ".trigger"))
                .doesNotExist();
    }

    @Test
    void fileName240BytesLongIsRefusedWithAReceiptTheSenderFinds() throws Exception {
        String fileName = "a".repeat(236) + ".zip";
        String id = UUID.randomUUID().toString();
        upload(fileName, fileName + ".trigger", trigger(fileName, id));

        ScanReport.TriggerOutcome outcome =
                platform.scanNow().trigger(fileName + ".trigger").orElseThrow();

        assertThat(outcome.status()).isEqualTo(ScanReport.Status.REJECTED);
        TechnicalReceiptType receipt = receiptFor(id);
        assertThat(receipt.getErrorMessage())
                .extracting(ErrorMessageType::getErrorCode)
                .containsExactly(PlatformError.FORBIDDEN_FILE_NAME.code());
        assertThat(receipt.getErrorMessage().get(0).getErrorDescription())
                .contains("240 bytes")
                .contains("at most 239");
        assertThat(platform.home(DST).resolve("IN").resolve(fileName)).doesNotExist();
        assertThat(platform.home(KSD).resolve("OUT").resolve(fileName)).exists();
    }

    @Test
    void fileName250LongUnderA255ByteTriggerNameIsRefusedWithAReceiptTheSenderFinds() throws Exception {
        String fileName = "c".repeat(246) + ".zip";
        String triggerName = "t".repeat(DataFileName.MAX_NAME_BYTES - ".trigger".length()) + ".trigger";
        String id = UUID.randomUUID().toString();
        upload(fileName, triggerName, trigger(fileName, id));

        ScanReport.TriggerOutcome outcome =
                platform.scanNow().trigger(triggerName).orElseThrow();

        assertThat(outcome.status()).isEqualTo(ScanReport.Status.REJECTED);
        assertThat(receiptFor(id).getErrorMessage())
                .extracting(ErrorMessageType::getErrorCode)
                .containsExactly(PlatformError.FORBIDDEN_FILE_NAME.code());
        assertThat(platform.home(KSD)
                        .resolve("IN")
                        .resolve("t".repeat(DataFileName.MAX_DELIVERABLE_LENGTH) + ".sftpreceipt"))
                .exists();
        assertThat(platform.home(KSD).resolve("OUT").resolve(triggerName)).doesNotExist();
    }

    @Test
    void fileNameOfTwoByteLettersIsMeasuredInBytes() throws Exception {
        String fileName = "æ".repeat(118) + ".zip";
        String id = UUID.randomUUID().toString();
        upload(fileName, fileName + ".trigger", trigger(fileName, id));

        platform.scanNow();

        assertThat(receiptFor(id).getErrorMessage())
                .extracting(ErrorMessageType::getErrorCode)
                .containsExactly(PlatformError.FORBIDDEN_FILE_NAME.code());
    }

    @Test
    void theLongestAllowedFileNameIsDeliveredWithMetadataAndReceipt() throws Exception {
        String fileName = "d".repeat(DataFileName.MAX_DELIVERABLE_LENGTH - 4) + ".zip";
        String id = UUID.randomUUID().toString();
        upload(fileName, "longest.trigger", trigger(fileName, id));

        ScanReport.TriggerOutcome outcome =
                platform.scanNow().trigger("longest.trigger").orElseThrow();

        assertThat(outcome.status()).isEqualTo(ScanReport.Status.DELIVERED);
        assertThat(platform.home(DST).resolve("IN").resolve(fileName)).hasContent("abc");
        assertThat(platform.home(DST).resolve("IN").resolve(fileName + ".metadata"))
                .exists();
        Path receiptFile = platform.home(KSD).resolve("IN").resolve(fileName + ".sftpreceipt");
        assertThat(SftpXml.readTechnicalReceipt(Files.newInputStream(receiptFile), "r")
                        .getReceipt()
                        .getMessage())
                .isEqualTo("SUCCESS");
        Files.delete(platform.home(DST).resolve("IN").resolve(fileName));
        Files.delete(platform.home(DST).resolve("IN").resolve(fileName + ".metadata"));
    }

    @Test
    void hiddenFileNameIsRefusedWithAVisibleReceipt() throws Exception {
        String fileName = ".KSD_DST_0561_M03_20260101000002.zip";
        String id = UUID.randomUUID().toString();
        upload(fileName, fileName + ".trigger", trigger(fileName, id));

        ScanReport.TriggerOutcome outcome =
                platform.scanNow().trigger(fileName + ".trigger").orElseThrow();

        assertThat(outcome.status()).isEqualTo(ScanReport.Status.REJECTED);
        TechnicalReceiptType receipt = receiptFor(id);
        assertThat(receipt.getErrorMessage())
                .extracting(ErrorMessageType::getErrorCode)
                .containsExactly(PlatformError.FORBIDDEN_FILE_NAME.code());
        assertThat(receipt.getErrorMessage().get(0).getErrorDescription()).contains("must not start with a dot");
        assertThat(platform.home(KSD).resolve("IN").resolve(fileName.substring(1) + ".sftpreceipt"))
                .exists();
        assertThat(platform.home(DST).resolve("IN").resolve(fileName)).doesNotExist();
    }

    @Test
    void aTriggerAnsweredBeforeAStopIsRemovedWithoutASecondAnswer() throws Exception {
        String fileName = "KSD_DST_0561_M03_20260101000003.zip";
        String id = UUID.randomUUID().toString();
        upload(fileName, fileName + ".trigger", trigger(fileName, id));
        platform.scanNow();
        Path receiptFile = platform.home(KSD).resolve("IN").resolve(fileName + ".sftpreceipt");
        byte[] firstAnswer = Files.readAllBytes(receiptFile);
        // as if the platform stopped after writing the receipt and before removing the trigger
        Path out = platform.home(KSD).resolve("OUT");
        Files.write(out.resolve(fileName + ".trigger"), trigger(fileName, id));
        Files.setLastModifiedTime(
                out.resolve(fileName + ".trigger"), FileTime.from(Instant.now().minusSeconds(60)));

        ScanReport.TriggerOutcome outcome =
                platform.scanNow().trigger(fileName + ".trigger").orElseThrow();

        assertThat(outcome.status()).isEqualTo(ScanReport.Status.ANSWERED_BEFORE);
        assertThat(out.resolve(fileName + ".trigger")).doesNotExist();
        assertThat(receiptFile).hasBinaryContent(firstAnswer);
        assertThat(SftpXml.readTechnicalReceipt(new ByteArrayInputStream(firstAnswer), "r")
                        .getReceipt()
                        .getMessage())
                .isEqualTo("SUCCESS");
        Files.delete(platform.home(DST).resolve("IN").resolve(fileName));
        Files.delete(platform.home(DST).resolve("IN").resolve(fileName + ".metadata"));
    }

    private static byte[] trigger(String fileName, String sendersFileId) {
        return Triggers.xml(Triggers.trigger(fileName, 3, KSD, sendersFileId, List.of(DST)));
    }

    private static void upload(String dataFile, String triggerName, byte[] trigger) throws Exception {
        try (SftpClient sender = SftpClient.connect(platform, test.key(KSD), test.knownHosts())) {
            sender.put("abc".getBytes(StandardCharsets.UTF_8), "/OUT/" + dataFile);
            sender.put(trigger, "/OUT/" + triggerName);
        }
    }

    /** As a sender finds its answer: every visible receipt in IN, read over SFTP, the one echoing its id. */
    private static TechnicalReceiptType receiptFor(String sendersFileId) throws Exception {
        List<TechnicalReceiptType> found = new ArrayList<>();
        try (SftpClient sender = SftpClient.connect(platform, test.key(KSD), test.knownHosts())) {
            for (Object entry : sender.sftp.ls("/IN")) {
                String name = ((com.jcraft.jsch.ChannelSftp.LsEntry) entry).getFilename();
                if (!name.startsWith(".") && name.endsWith(".sftpreceipt")) {
                    TechnicalReceiptType receipt = read(sender.get("/IN/" + name), name);
                    if (sendersFileId.equals(receipt.getSendersFileId())) {
                        found.add(receipt);
                    }
                }
            }
        }
        assertThat(found).as("receipts echoing " + sendersFileId).hasSize(1);
        try (Stream<Path> leftovers = Files.list(platform.home(KSD).resolve("IN"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
        return found.get(0);
    }

    private static TechnicalReceiptType read(byte[] content, String name) throws SftpXmlException {
        return SftpXml.readTechnicalReceipt(new ByteArrayInputStream(content), name);
    }

    private static void assertWellFormedXml10(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        var document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        assertThat(document.getXmlVersion()).isEqualTo("1.0");
    }
}
