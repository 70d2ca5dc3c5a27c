package dk.sf1820.serviceplatform;

import static com.jcraft.jsch.ChannelSftp.SSH_FX_NO_SUCH_FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.SftpException;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.ErrorMessageType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.serviceplatform.scan.TriggerScanner;
import dk.sf1820.testsupport.Triggers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every entry of the error catalogue, each provoked by a crafted trigger uploaded over SFTP, answered
 * by a failure receipt in the sender's IN with exactly that code, and the data file left in OUT.
 */
class PlatformErrorCatalogueIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";
    static final String BROKEN = "BROKEN_RECIPIENT";

    @TempDir
    static Path dir;

    static ServiceplatformEmulator platform;
    static LocalKey ksd;
    static Path knownHosts;

    @BeforeAll
    static void startPlatform() {
        ServiceplatformFixture test = ServiceplatformFixture.start(dir, KSD, DST, BROKEN);
        platform = test.emulator();
        ksd = test.key(KSD);
        knownHosts = test.knownHosts();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void notWellFormedXmlIs100() throws Exception {
        TechnicalReceiptType receipt = send("m100.zip.trigger", "<ns2:Trigger><oops".getBytes(), "m100.zip");
        assertCodes(receipt, 100);
        assertThat(receipt.getSendersFileId()).isNull();
    }

    @Test
    void doctypeIsRefusedAsMalformedAndNeverExpanded() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<ns2:Trigger xmlns:ns2=\"" + SftpXml.NAMESPACE + "\">&x;</ns2:Trigger>";
        TechnicalReceiptType receipt = send("xxe.zip.trigger", xxe.getBytes(), null);
        assertCodes(receipt, 100);
        assertThat(receipt.getErrorMessage().get(0).getErrorDescription()).doesNotContain("root:");
    }

    @Test
    void missingSizeInBytesIs101() throws Exception {
        String xml =
                "<ns2:Trigger xmlns:ns2=\"" + SftpXml.NAMESPACE + "\"><FileDescriptor><FileName>s101.zip</FileName>"
                        + "<Sender>" + KSD + "</Sender><Recipients>" + DST + "</Recipients></FileDescriptor>"
                        + "<FileContentDescriptor/></ns2:Trigger>";
        TechnicalReceiptType receipt = send("s101.zip.trigger", xml.getBytes(), "s101.zip");
        assertCodes(receipt, 101);
        assertThat(receipt.getErrorMessage().get(0).getErrorDescription())
                .contains("line 1")
                .contains("Sender");
    }

    @Test
    void wrongRootElementIs101() throws Exception {
        String xml = "<ns2:FileMetadata xmlns:ns2=\"" + SftpXml.NAMESPACE + "\"><FileTransferUUID>x</FileTransferUUID>"
                + "<FileDescriptor><FileName>r101.zip</FileName><SizeInBytes>1</SizeInBytes><Sender>" + KSD
                + "</Sender><Recipients>" + DST + "</Recipients></FileDescriptor><FileContentDescriptor/>"
                + "</ns2:FileMetadata>";
        assertCodes(send("r101.zip.trigger", xml.getBytes(), null), 101);
    }

    @Test
    void oversizedTriggerIs102() throws Exception {
        byte[] huge = new byte[TriggerScanner.MAX_TRIGGER_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertCodes(send("t102.zip.trigger", huge, null), 102);
    }

    @Test
    void fileTransferUuidFromTheSenderIs103() throws Exception {
        TriggerType trigger = Triggers.trigger("u103.zip", 3, KSD, "id-103", List.of(DST));
        trigger.setFileTransferUUID("0e3c5d8e-4b7a-4a5f-9f51-3f1b2c6d7e80");
        assertCodes(send("u103.zip.trigger", Triggers.xml(trigger), "u103.zip"), 103);
    }

    @Test
    void senderOtherThanTheOutFolderOwnerIs200() throws Exception {
        assertCodes(send("s200.zip.trigger", triggerFor("s200.zip", 3, DST, List.of(DST)), "s200.zip"), 200);
    }

    @Test
    void unknownRecipientIs201() throws Exception {
        TechnicalReceiptType receipt =
                send("r201.zip.trigger", triggerFor("r201.zip", 3, KSD, List.of("NOBODY")), "r201.zip");
        assertCodes(receipt, 201);
        assertThat(receipt.getErrorMessage().get(0).getErrorDescription()).contains("'NOBODY'");
        assertThat(receipt.getSendersFileId()).isEqualTo("id-r201.zip");
    }

    @Test
    void missingDataFileIs300() throws Exception {
        assertCodes(send("d300.zip.trigger", triggerFor("d300.zip", 3, KSD, List.of(DST)), null), 300);
    }

    @Test
    void sizeMismatchIs301() throws Exception {
        TechnicalReceiptType receipt =
                send("z301.zip.trigger", triggerFor("z301.zip", 4, KSD, List.of(DST)), "z301.zip");
        assertCodes(receipt, 301);
        assertThat(receipt.getErrorMessage().get(0).getErrorDescription())
                .isEqualTo("SizeInBytes is 4 but data file 'z301.zip' has 3 bytes");
    }

    @Test
    void pathAsFileNameIs302AndNothingLeavesTheSendersHome() throws Exception {
        String stolen = "../../" + DST + "/IN/p302.zip";
        TechnicalReceiptType receipt = send("p302.zip.trigger", triggerFor(stolen, 3, KSD, List.of(DST)), null);
        assertCodes(receipt, 302);
        assertThat(platform.home(KSD).resolve("IN/p302.zip.sftpreceipt")).exists();
        assertThat(platform.home(DST).resolve("IN/p302.zip")).doesNotExist();
    }

    @Test
    void dataFileThatIsADirectoryIs303() throws Exception {
        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts)) {
            sender.sftp.mkdir("/OUT/f303.zip");
        }
        assertCodes(send("f303.zip.trigger", triggerFor("f303.zip", 3, KSD, List.of(DST)), null), 303);
    }

    @Test
    void nameStillWaitingInTheRecipientsInIs400() throws Exception {
        Files.write(platform.home(DST).resolve("IN/n400.zip"), "earlier delivery".getBytes());
        assertCodes(send("n400.zip.trigger", triggerFor("n400.zip", 3, KSD, List.of(DST)), "n400.zip"), 400);
        assertThat(platform.home(DST).resolve("IN/n400.zip")).hasContent("earlier delivery");
    }

    @Test
    void deliveryThatFailsOnThePlatformIs500AndTakesNothingHalfway() throws Exception {
        Path brokenIn = platform.home(BROKEN).resolve("IN");
        Files.delete(brokenIn);
        Files.writeString(brokenIn, "not a folder");
        TechnicalReceiptType receipt =
                send("e500.zip.trigger", triggerFor("e500.zip", 3, KSD, List.of(DST, BROKEN)), "e500.zip");
        assertCodes(receipt, 500);
        assertThat(platform.home(DST).resolve("IN/e500.zip")).doesNotExist();
        assertThat(platform.home(DST).resolve("IN/e500.zip.metadata")).doesNotExist();
    }

    @Test
    void everyProblemOfOneTriggerIsReported() throws Exception {
        TechnicalReceiptType receipt =
                send("all.zip.trigger", triggerFor("all.zip", 9, DST, List.of("NOBODY")), "all.zip");
        assertCodes(receipt, 200, 201, 301);
    }

    private static byte[] triggerFor(String fileName, long size, String sender, List<String> recipients) {
        return Triggers.xml(Triggers.trigger(fileName, size, sender, "id-" + fileName, recipients));
    }

    /** Uploads a data file ("abc", unless null) and the trigger, scans, and returns the receipt. */
    private static TechnicalReceiptType send(String triggerName, byte[] trigger, String dataFile) throws Exception {
        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts)) {
            if (dataFile != null) {
                sender.put("abc".getBytes(StandardCharsets.UTF_8), "/OUT/" + dataFile);
            }
            sender.put(trigger, "/OUT/" + triggerName);
        }
        ScanReport report = platform.scanNow();
        assertThat(report.trigger(triggerName).orElseThrow().status()).isEqualTo(ScanReport.Status.REJECTED);
        String receiptName = triggerName.substring(0, triggerName.length() - ".trigger".length()) + ".sftpreceipt";
        try (SftpClient sender = SftpClient.connect(platform, ksd, knownHosts)) {
            assertThatThrownBy(() -> sender.sftp.stat("/OUT/" + triggerName))
                    .as("trigger removed")
                    .isInstanceOfSatisfying(
                            SftpException.class, e -> assertThat(e.id).isEqualTo(SSH_FX_NO_SUCH_FILE));
            if (dataFile != null) {
                assertThat(sender.get("/OUT/" + dataFile))
                        .as("data file stays in OUT")
                        .isEqualTo("abc".getBytes());
            }
            return SftpXml.readTechnicalReceipt(
                    new ByteArrayInputStream(sender.get("/IN/" + receiptName)), receiptName);
        }
    }

    private static void assertCodes(TechnicalReceiptType receipt, Integer... codes) {
        assertThat(receipt.getReceipt()).isNull();
        assertThat(receipt.getFileTransferUUID()).isNotBlank();
        assertThat(receipt.getErrorMessage())
                .extracting(ErrorMessageType::getErrorCode)
                .containsExactly(codes);
        assertThat(receipt.getErrorMessage()).allSatisfy(e -> {
            assertThat(e.getErrorCodeDescription()).isNotBlank();
            assertThat(e.getErrorDescription()).isNotBlank();
        });
    }
}
