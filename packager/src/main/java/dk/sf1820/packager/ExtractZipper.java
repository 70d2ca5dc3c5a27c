package dk.sf1820.packager;

import dk.sf1820.kafka.ByteProgressPublisher;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.HexFormat;

/**
 * Writes one extract as a zip with a single DEFLATED entry, compressed on several cores
 * ({@link ParallelDeflater}) inside a container written by {@link SingleEntryZipWriter}. Reproducible:
 * for the same input, entry name, entry time, level and library it writes the same bytes, whatever
 * the number of threads, so a redelivered event re-packs to an identical file (zlib: on the same Java
 * runtime and zlib; libdeflate: with the same build of this module, which links it in). Streamed: the extract is read once, and its SHA-256 and the zip's are computed on the way.
 */
class ExtractZipper {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final ParallelDeflater deflater;
    private final long zip64Threshold;
    private final long writebackInterval;

    ExtractZipper(DeflateLibrary library, int compressionLevel, int threads) {
        this(
                library,
                compressionLevel,
                threads,
                ParallelDeflater.DEFAULT_BLOCK_SIZE,
                SingleEntryZipWriter.ZIP32_LIMIT,
                EarlyWriteback.DEFAULT_INTERVAL);
    }

    /** With a lower ZIP64 threshold, tests can exercise the ZIP64 records without writing 4 GiB. */
    ExtractZipper(DeflateLibrary library, int compressionLevel, int threads, int blockSize, long zip64Threshold) {
        this(library, compressionLevel, threads, blockSize, zip64Threshold, EarlyWriteback.DEFAULT_INTERVAL);
    }

    /** With a small write-back interval, tests can exercise the background flushes on a small extract. */
    ExtractZipper(
            DeflateLibrary library,
            int compressionLevel,
            int threads,
            int blockSize,
            long zip64Threshold,
            long writebackInterval) {
        this.deflater = new ParallelDeflater(compressionLevel, threads, blockSize, library);
        this.zip64Threshold = zip64Threshold;
        this.writebackInterval = writebackInterval;
    }

    /** The library the zips are compressed with, never {@code AUTO}. */
    DeflateLibrary library() {
        return deflater.library();
    }

    /**
     * What went into the zip and what came out.
     *
     * @param entrySizeBytes bytes read from the extract
     * @param entrySha256 SHA-256 of the bytes read from the extract
     * @param zipSizeBytes size of the written zip
     * @param zipSha256 SHA-256 of the written zip
     */
    record Zipped(long entrySizeBytes, String entrySha256, long zipSizeBytes, String zipSha256) {}

    /** Zips {@code extract} into {@code zip} (created or overwritten) and forces it to disk. */
    Zipped zip(Path extract, String entryName, LocalDateTime entryTime, Path zip) throws IOException {
        return zip(extract, entryName, entryTime, zip, ByteProgressPublisher.DISABLED.start(null, entryName, 0));
    }

    /** As {@link #zip(Path, String, LocalDateTime, Path)}, telling {@code progress} the extract's bytes as they are read. */
    Zipped zip(
            Path extract, String entryName, LocalDateTime entryTime, Path zip, ByteProgressPublisher.Counter progress)
            throws IOException {
        MessageDigest entryDigest = sha256();
        MessageDigest zipDigest = sha256();
        SingleEntryZipWriter container = new SingleEntryZipWriter(entryName, entryTime, zip64Threshold);
        try (FileChannel channel = FileChannel.open(
                        zip,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                InputStream in = progress.counting(Files.newInputStream(extract))) {
            ParallelDeflater.Deflated deflated;
            byte[] header = container.localHeader();
            byte[] trailer;
            try (EarlyWriteback file = new EarlyWriteback(channel, writebackInterval)) {
                OutputStream out = new BufferedOutputStream(new DigestOutputStream(file, zipDigest), BUFFER_SIZE);
                out.write(header);
                deflated = deflater.deflate(in, out, entryDigest, Files.size(extract));
                trailer = container.trailer(deflated.crc32(), deflated.inputBytes(), deflated.outputBytes());
                out.write(trailer);
                out.flush();
            }
            // The PackageReady published next promises this zip exists; it must survive a power cut.
            channel.force(true);
            long zipSize = header.length + deflated.outputBytes() + trailer.length;
            return new Zipped(deflated.inputBytes(), hex(entryDigest), zipSize, hex(zipDigest));
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
