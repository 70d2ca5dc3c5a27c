package dk.sf1820.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The container around the parallel Deflate data, read back by Java's two zip readers and Info-ZIP. */
class ExtractZipperTest {

    private static final LocalDateTime TIME = LocalDateTime.parse("2026-04-01T00:30:00");
    private static final int BLOCK = ParallelDeflater.DICTIONARY_SIZE;

    @TempDir
    Path dir;

    /** Both libraries with every size; libdeflate only where this build has it. */
    static Stream<Arguments> librariesAndSizes(int... sizes) {
        return LibdeflateTest.libraries()
                .flatMap(library -> IntStream.of(sizes).mapToObj(size -> Arguments.of(library, size)));
    }

    static Stream<Arguments> everyReaderSizes() {
        return librariesAndSizes(0, 1, BLOCK, 3 * BLOCK + 7);
    }

    static Stream<Arguments> zip64Sizes() {
        return librariesAndSizes(0, 3 * BLOCK + 7);
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("everyReaderSizes")
    void everyReaderOpensTheZip(DeflateLibrary library, int size) throws Exception {
        byte[] content = ParallelDeflaterTest.rows(size, 6);

        Path zip = zip(
                content, "ledighed æøå.csv", new ExtractZipper(library, 6, 2, BLOCK, SingleEntryZipWriter.ZIP32_LIMIT));

        assertReadable(zip, "ledighed æøå.csv", content);
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("zip64Sizes")
    void zip64RecordsAreReadableToo(DeflateLibrary library, int size) throws Exception {
        byte[] content = ParallelDeflaterTest.rows(size, 7);

        // A threshold of 0 writes the ZIP64 records a 5 GiB extract gets, around a small one.
        Path zip = zip(content, "ydelser.csv", new ExtractZipper(library, 6, 2, BLOCK, 0));

        assertThat(Files.readAllBytes(zip))
                .as("has a ZIP64 end record")
                .containsSequence((byte) 0x50, (byte) 0x4b, (byte) 0x06, (byte) 0x06);
        // Not ZipInputStream: it chooses the descriptor's width from the sizes it counted, which for
        // this small entry say 4 bytes; for a real 4 GiB entry they say 8, as written.
        assertCentralDirectoryReadable(zip, "ydelser.csv", content);
        assertInfoZipTests(zip);
    }

    @ParameterizedTest
    @MethodSource("dk.sf1820.packager.LibdeflateTest#libraries")
    void describesWhatItWroteAndWritesTheSameBytesAgain(DeflateLibrary library) throws Exception {
        byte[] content = ParallelDeflaterTest.rows(10 * BLOCK, 8);
        Path extract = Files.write(dir.resolve("extract.csv"), content);
        Path first = dir.resolve("first.zip");
        Path second = dir.resolve("second.zip");

        ExtractZipper.Zipped zipped = new ExtractZipper(library, 6, 2).zip(extract, "a.csv", TIME, first);
        new ExtractZipper(library, 6, 1).zip(extract, "a.csv", TIME, second);

        assertThat(zipped.entrySizeBytes()).isEqualTo(content.length);
        assertThat(zipped.entrySha256()).isEqualTo(StagedExtracts.sha256(content));
        assertThat(zipped.zipSizeBytes()).isEqualTo(Files.size(first));
        assertThat(zipped.zipSha256()).isEqualTo(StagedExtracts.sha256(Files.readAllBytes(first)));
        assertThat(Files.readAllBytes(second))
                .as("thread count does not change the bytes")
                .isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void writingBackToDiskWhileCompressingChangesNoByte() throws Exception {
        byte[] content = ParallelDeflaterTest.rows(40 * BLOCK, 9);
        Path extract = Files.write(dir.resolve("extract.csv"), content);
        Path atTheEnd = dir.resolve("at-the-end.zip");
        Path onTheWay = dir.resolve("on-the-way.zip");

        new ExtractZipper(DeflateLibrary.ZLIB, 6, 2, BLOCK, SingleEntryZipWriter.ZIP32_LIMIT, Long.MAX_VALUE)
                .zip(extract, "a.csv", TIME, atTheEnd);
        // A flush every 4 KiB of zip: dozens of them, overlapping the writes.
        ExtractZipper.Zipped zipped = new ExtractZipper(
                        DeflateLibrary.ZLIB, 6, 2, BLOCK, SingleEntryZipWriter.ZIP32_LIMIT, 4096)
                .zip(extract, "a.csv", TIME, onTheWay);

        assertThat(Files.readAllBytes(onTheWay)).isEqualTo(Files.readAllBytes(atTheEnd));
        assertThat(zipped.zipSha256()).isEqualTo(StagedExtracts.sha256(Files.readAllBytes(onTheWay)));
        assertReadable(onTheWay, "a.csv", content);
    }

    private Path zip(byte[] content, String entryName, ExtractZipper zipper) throws IOException {
        Path extract = Files.write(dir.resolve("extract"), content);
        Path zip = dir.resolve("out.zip");
        zipper.zip(extract, entryName, TIME, zip);
        return zip;
    }

    private static void assertReadable(Path zip, String entryName, byte[] content) throws Exception {
        assertCentralDirectoryReadable(zip, entryName, content);
        // ZipInputStream reads the local header and checks the data descriptor's CRC and sizes.
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            assertThat(in.getNextEntry().getName()).isEqualTo(entryName);
            assertThat(in.readAllBytes()).isEqualTo(content);
            assertThat(in.getNextEntry()).isNull();
        }
        assertInfoZipTests(zip);
    }

    private static void assertCentralDirectoryReadable(Path zip, String entryName, byte[] content) throws Exception {
        try (ZipFile zipFile = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zipFile.entries());
            assertThat(entries).extracting(ZipEntry::getName).containsExactly(entryName);
            ZipEntry entry = entries.get(0);
            assertThat(entry.getMethod()).isEqualTo(ZipEntry.DEFLATED);
            assertThat(entry.getSize()).isEqualTo(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            assertThat(entry.getCrc()).isEqualTo(crc.getValue());
            assertThat(entry.getTimeLocal()).isEqualTo(TIME);
            try (InputStream in = zipFile.getInputStream(entry)) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
        }
    }

    private static void assertInfoZipTests(Path zip) throws Exception {
        boolean unzipPresent = Files.isExecutable(Path.of("/usr/bin/unzip"));
        assumeTrue(unzipPresent, "Info-ZIP unzip is not installed (apt-get install unzip): skipping its check");
        Process unzip = new ProcessBuilder("unzip", "-t", zip.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(unzip.getInputStream().readAllBytes());
        assertThat(unzip.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unzip.exitValue()).as(output).isZero();
        assertThat(output).contains("No errors detected");
    }
}
