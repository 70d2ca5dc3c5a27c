package dk.sf1820.dst;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipIntegrityTest {

    private static final byte[] CONTENT = "0561;M03;1;abc\n".repeat(50).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void wholeZipHasNoProblem() throws Exception {
        assertThat(ZipIntegrity.problem(write(Deliveries.zip(100)))).isEmpty();
    }

    @Test
    void storedEntryWithChangedBytesFailsItsCrc() throws Exception {
        byte[] zip = storedZip();
        int at = indexOf(zip, CONTENT) + 10;
        zip[at] = (byte) (zip[at] ^ 0x01);

        assertThat(ZipIntegrity.problem(write(zip)))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("zip entry extract.csv has CRC-32"));
    }

    @Test
    void truncatedZipIsNotReadable() throws Exception {
        byte[] zip = Deliveries.zip(100);
        assertThat(ZipIntegrity.problem(write(Arrays.copyOf(zip, zip.length / 2))))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("not a readable zip"));
    }

    @Test
    void zipWithoutEntriesIsRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ZipOutputStream(bytes).close();
        assertThat(ZipIntegrity.problem(write(bytes.toByteArray()))).contains("zip holds no entries");
    }

    private Path write(byte[] zip) throws Exception {
        return Files.write(Files.createTempFile(dir, "delivery", ".zip"), zip);
    }

    /** One uncompressed entry, so a changed byte survives inflation and only the CRC can catch it. */
    private static byte[] storedZip() throws Exception {
        CRC32 crc = new CRC32();
        crc.update(CONTENT);
        ZipEntry entry = new ZipEntry("extract.csv");
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(CONTENT.length);
        entry.setCompressedSize(CONTENT.length);
        entry.setCrc(crc.getValue());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(entry);
            zip.write(CONTENT);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("content not found in zip");
    }
}
