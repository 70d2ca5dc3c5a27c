package dk.sf1820.receipts.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.receipts.housekeeping.SenderFolderSweep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptArchiveTest {

    @TempDir
    Path dir;

    @Test
    void keepsACopyPerSenderAndReplacesItOnRedelivery() {
        ReceiptArchive archive = new ReceiptArchive(dir);

        archive.keep("KSD_SFTPSIMPEL", "a.zip.sftpreceipt", "first".getBytes(StandardCharsets.UTF_8));
        Path kept = archive.keep("KSD_SFTPSIMPEL", "a.zip.sftpreceipt", "again".getBytes(StandardCharsets.UTF_8));

        assertThat(kept)
                .isEqualTo(dir.resolve("KSD_SFTPSIMPEL").resolve("a.zip.sftpreceipt"))
                .hasContent("again");
        assertThat(dir.resolve("KSD_SFTPSIMPEL")).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void refusesNamesThatWouldLeaveTheArchive() {
        ReceiptArchive archive = new ReceiptArchive(dir);

        assertThatThrownBy(() -> archive.keep("KSD_SFTPSIMPEL", "../escape.sftpreceipt", new byte[0]))
                .hasMessageContaining("'../escape.sftpreceipt' is not a plain name");
        assertThatThrownBy(() -> archive.keep("..", "a.sftpreceipt", new byte[0]))
                .hasMessageContaining("sender");
    }

    @Test
    void withoutADirectoryNothingIsKept() {
        assertThat(new ReceiptArchive(null).keep("KSD_SFTPSIMPEL", "a.zip.sftpreceipt", new byte[1]))
                .isNull();
    }

    @Test
    void receiptsAndTriggersNameTheirDataFile() {
        assertThat(SenderFolderSweep.dataFileName("a.zip.sftpreceipt")).isEqualTo("a.zip");
        assertThat(SenderFolderSweep.dataFileName("a.zip.trigger")).isEqualTo("a.zip");
        assertThat(SenderFolderSweep.dataFileName("a.zip.trigger.part")).isEqualTo("a.zip");
        assertThat(SenderFolderSweep.dataFileName("a.zip")).isEqualTo("a.zip");
    }
}
