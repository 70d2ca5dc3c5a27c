package dk.sf1820.serviceplatform.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.serviceplatform.scan.ScanReport.Status;
import dk.sf1820.serviceplatform.sftp.PlatformUsers;
import dk.sf1820.serviceplatform.sftp.UploadsInProgress;
import dk.sf1820.testsupport.Triggers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform killed between routing a data file and answering its trigger: the next scan must finish the
 * routing and answer success under the same FileTransferUUID, not {@code DATA_FILE_MISSING} for a file it
 * delivered (found by {@code chaos/kill9.sh}: a delivery DST stored ended as DeliveryFailed).
 */
class RoutingResumedTest {

    private static final String KSD = "KSD_SFTPSIMPEL";
    private static final String DST = "DST-CEMOS-SFTPUsername";
    private static final String FILE = "KSD_DST_0561_M03_20260101000001.zip";
    private static final String TRIGGER = FILE + ".trigger";
    private static final byte[] DATA = "abc".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    private PlatformUsers users;
    private TriggerScanner scanner;
    private RoutingJournal journal;
    private final String sendersFileId = UUID.randomUUID().toString();
    private final String fileTransferUUID = UUID.randomUUID().toString();

    @BeforeEach
    void platform() throws Exception {
        users = new PlatformUsers(root);
        var key = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
        users.add(KSD, key);
        users.add(DST, key);
        scanner =
                new TriggerScanner(users, new UploadsInProgress(), MetadataForm.FILE_METADATA, null, Clock.systemUTC());
        journal = new RoutingJournal(users.platformState().resolve("routing"));
        Files.write(users.out(KSD).resolve(FILE), DATA);
        Path trigger = users.out(KSD).resolve(TRIGGER);
        Files.write(trigger, Triggers.xml(Triggers.trigger(FILE, DATA.length, KSD, sendersFileId, List.of(DST))));
        Files.setLastModifiedTime(trigger, FileTime.from(Instant.now().minusSeconds(60)));
    }

    @Test
    void killedAfterTheFileReachedTheRecipientAndBeforeItsMetadata() throws Exception {
        journal.begin(KSD, TRIGGER, fileTransferUUID, sendersFileId, FILE);
        Files.move(users.out(KSD).resolve(FILE), users.in(DST).resolve(FILE));

        assertThat(scanner.scan().trigger(TRIGGER).orElseThrow().status()).isEqualTo(Status.DELIVERED);

        assertDeliveredOnceUnderTheNotedUuid();
    }

    @Test
    void killedWhileTheFileHadItsTemporaryNameInTheRecipientsIn() throws Exception {
        journal.begin(KSD, TRIGGER, fileTransferUUID, sendersFileId, FILE);
        Path target = users.in(DST).resolve(FILE);
        Files.move(users.out(KSD).resolve(FILE), AtomicFiles.tempFor(target));

        assertThat(scanner.scan().trigger(TRIGGER).orElseThrow().status()).isEqualTo(Status.DELIVERED);

        assertDeliveredOnceUnderTheNotedUuid();
        assertThat(AtomicFiles.tempFor(target)).doesNotExist();
    }

    @Test
    void killedAfterTheNoteBeforeAnythingMoved() throws Exception {
        journal.begin(KSD, TRIGGER, fileTransferUUID, sendersFileId, FILE);

        assertThat(scanner.scan().trigger(TRIGGER).orElseThrow().status()).isEqualTo(Status.DELIVERED);

        assertDeliveredOnceUnderTheNotedUuid();
    }

    @Test
    void killedAfterTheRoutingAndTheRecipientTookTheFileBeforeTheRestart() throws Exception {
        journal.begin(KSD, TRIGGER, fileTransferUUID, sendersFileId, FILE);
        Files.delete(users.out(KSD).resolve(FILE));

        assertThat(scanner.scan().trigger(TRIGGER).orElseThrow().status()).isEqualTo(Status.DELIVERED);

        assertThat(receipt().getReceipt().getMessage()).isEqualTo("SUCCESS");
        assertThat(receipt().getFileTransferUUID()).isEqualTo(fileTransferUUID);
        assertThat(users.in(DST).resolve(FILE)).as("nothing delivered twice").doesNotExist();
        assertThat(users.in(DST).resolve(FILE + ".metadata")).doesNotExist();
    }

    @Test
    void withoutANoteAMissingDataFileIsStillRefused() throws Exception {
        Files.delete(users.out(KSD).resolve(FILE));

        assertThat(scanner.scan().trigger(TRIGGER).orElseThrow().status()).isEqualTo(Status.REJECTED);

        assertThat(receipt().getErrorMessage())
                .anySatisfy(error -> assertThat(error.getErrorCode()).isEqualTo(300));
    }

    @Test
    void aNoteOfAnotherTransferUnderTheSameTriggerNameIsStaleAndRemoved() throws Exception {
        journal.begin(KSD, TRIGGER, fileTransferUUID, UUID.randomUUID().toString(), FILE);
        Files.delete(users.out(KSD).resolve(FILE));

        assertThat(scanner.scan().trigger(TRIGGER).orElseThrow().status()).isEqualTo(Status.REJECTED);

        assertThat(journal.begun(KSD, TRIGGER, sendersFileId, FILE)).isEmpty();
        assertThat(users.platformState().resolve("routing").resolve(KSD)).isEmptyDirectory();
    }

    @Test
    void anOrdinaryDeliveryLeavesNoNote() throws Exception {
        assertThat(scanner.scan().trigger(TRIGGER).orElseThrow().status()).isEqualTo(Status.DELIVERED);

        assertThat(users.platformState().resolve("routing").resolve(KSD)).isEmptyDirectory();
        assertThat(users.in(DST).resolve(FILE)).hasBinaryContent(DATA);
    }

    private void assertDeliveredOnceUnderTheNotedUuid() throws Exception {
        assertThat(users.in(DST).resolve(FILE)).hasBinaryContent(DATA);
        assertThat(Files.readString(users.in(DST).resolve(FILE + ".metadata"))).contains(fileTransferUUID);
        assertThat(users.out(KSD).resolve(FILE)).doesNotExist();
        assertThat(users.out(KSD).resolve(TRIGGER)).doesNotExist();
        TechnicalReceiptType receipt = receipt();
        assertThat(receipt.getReceipt().getMessage()).isEqualTo("SUCCESS");
        assertThat(receipt.getFileTransferUUID()).isEqualTo(fileTransferUUID);
        assertThat(journal.begun(KSD, TRIGGER, sendersFileId, FILE))
                .as("the note goes with the answer")
                .isEmpty();
    }

    private TechnicalReceiptType receipt() throws Exception {
        try (InputStream in = Files.newInputStream(users.in(KSD).resolve(FILE + ".sftpreceipt"))) {
            return SftpXml.readTechnicalReceipt(in, FILE + ".sftpreceipt");
        }
    }
}
