package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.BusinessReceiptType;
import dk.sf1820.schemas.xml.FileAcceptanceType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.testsupport.Triggers;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional business receipt: ACCEPTED per recipient on delivery, REJECTED with the reason on failure. */
class BusinessReceiptIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";
    static final String ARCHIVE = "ARCHIVE_SFTPUSER";

    @TempDir
    static Path dir;

    static ServiceplatformFixture test;
    static ServiceplatformEmulator platform;

    @BeforeAll
    static void startPlatform() {
        test = ServiceplatformFixture.start(dir, b -> b.businessReceipts(true), KSD, DST, ARCHIVE);
        platform = test.emulator();
    }

    @AfterAll
    static void stopPlatform() {
        test.close();
    }

    @Test
    void deliveryIsAcceptedForTheRecipient() throws Exception {
        String fileName = "KSD_DST_0561_M03_20260331080000.zip";
        upload(fileName, 10, 10, List.of(DST));

        platform.scanNow();

        BusinessReceiptType receipt = businessReceipt(fileName + ".businessreceipt");
        assertThat(receipt.getFileAcceptance()).isEqualTo(FileAcceptanceType.ACCEPTED);
        assertThat(receipt.getRecipient()).isEqualTo(DST);
        assertThat(receipt.getFilename()).isEqualTo(fileName);
        assertThat(receipt.getReason()).isNull();
        assertThat(receipt.getFileTransferUUID())
                .isEqualTo(technicalReceipt(fileName).getFileTransferUUID());
    }

    @Test
    void eachOfSeveralRecipientsIsAnsweredForInItsOwnReceipt() throws Exception {
        String fileName = "KSD_DST_0101_M04_20260430080000.zip";
        upload(fileName, 12, 12, List.of(DST, ARCHIVE));

        platform.scanNow();

        for (String recipient : List.of(DST, ARCHIVE)) {
            BusinessReceiptType receipt = businessReceipt(fileName + "." + recipient + ".businessreceipt");
            assertThat(receipt.getFileAcceptance()).isEqualTo(FileAcceptanceType.ACCEPTED);
            assertThat(receipt.getRecipient()).isEqualTo(recipient);
        }
        assertThat(platform.home(KSD).resolve("IN/" + fileName + ".businessreceipt"))
                .doesNotExist();
    }

    @Test
    void failedTriggerIsRejectedWithTheReason() throws Exception {
        String fileName = "KSD_DST_0561_M05_20260531080000.zip";
        upload(fileName, 10, 11, List.of(DST));

        platform.scanNow();

        BusinessReceiptType receipt = businessReceipt(fileName + ".businessreceipt");
        assertThat(receipt.getFileAcceptance()).isEqualTo(FileAcceptanceType.REJECTED);
        assertThat(receipt.getRecipient()).isEqualTo(DST);
        assertThat(receipt.getReason()).startsWith("301 SizeInBytes is 11 but data file '" + fileName + "' has 10");
        assertThat(receipt.getFileTransferUUID())
                .isEqualTo(technicalReceipt(fileName).getFileTransferUUID());
    }

    @Test
    void recipientThatDoesNotExistGetsNoBusinessReceipt() throws Exception {
        String fileName = "KSD_DST_0561_M06_20260630080000.zip";
        upload(fileName, 10, 10, List.of("NOBODY"));

        platform.scanNow();

        assertThat(technicalReceipt(fileName).getErrorMessage())
                .extracting(e -> e.getErrorCode())
                .containsExactly(201);
        try (var names = Files.list(platform.home(KSD).resolve("IN"))) {
            assertThat(names.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(fileName + ".") && n.endsWith(".businessreceipt"));
        }
    }

    private static void upload(String fileName, int size, int declaredSize, List<String> recipients) throws Exception {
        Path out = platform.home(KSD).resolve("OUT");
        Files.write(out.resolve(fileName), new byte[size]);
        Files.write(
                out.resolve(fileName + ".trigger"),
                Triggers.xml(Triggers.trigger(
                        fileName, declaredSize, KSD, UUID.randomUUID().toString(), recipients)));
    }

    private static BusinessReceiptType businessReceipt(String name) throws Exception {
        try (InputStream in =
                Files.newInputStream(platform.home(KSD).resolve("IN").resolve(name))) {
            return SftpXml.readBusinessReceipt(in, name);
        }
    }

    private static TechnicalReceiptType technicalReceipt(String fileName) throws Exception {
        Path receipt = platform.home(KSD).resolve("IN").resolve(fileName + ".sftpreceipt");
        try (InputStream in = Files.newInputStream(receipt)) {
            return SftpXml.readTechnicalReceipt(in, fileName);
        }
    }
}
