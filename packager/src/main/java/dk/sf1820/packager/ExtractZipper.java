package dk.sf1820.packager;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one extract as a zip with a single DEFLATED entry. Reproducible: for the same input, entry
 * name, entry time and level it writes the same bytes (on the same Java runtime and zlib), so a
 * redelivered event re-packs to an identical file. Streamed through fixed buffers; ZIP64 records
 * are added by {@link ZipOutputStream} on its own once the extract passes 4 GiB.
 */
class ExtractZipper {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final int compressionLevel;

    ExtractZipper(int compressionLevel) {
        this.compressionLevel = compressionLevel;
    }

    /**
     * What went into the zip and what came out.
     *
     * @param entrySizeBytes bytes read from the extract
     * @param entrySha256 SHA-256 of the bytes read from the extract
     * @param zipSizeBytes size of the written zip
     * @param zipSha256 SHA-256 of the written zip
     */
    record Zipped(long entrySizeBytes, String entrySha256, long zipSizeBytes, String zipSha256) {
    }

    /** Zips {@code extract} into {@code zip} (created or overwritten) and forces it to disk. */
    Zipped zip(Path extract, String entryName, LocalDateTime entryTime, Path zip) throws IOException {
        MessageDigest entryDigest = sha256();
        MessageDigest zipDigest = sha256();
        long entrySize = 0;
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
                ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(
                        new DigestOutputStream(Channels.newOutputStream(channel), zipDigest), BUFFER_SIZE));
                InputStream in = Files.newInputStream(extract)) {
            out.setLevel(compressionLevel);
            ZipEntry entry = new ZipEntry(entryName);
            entry.setMethod(ZipEntry.DEFLATED);
            // Local time goes straight into the DOS time fields; setTime(long) would depend on the JVM's zone.
            entry.setTimeLocal(entryTime);
            out.putNextEntry(entry);
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n; (n = in.read(buffer)) != -1; entrySize += n) {
                entryDigest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            out.closeEntry();
            out.finish();
            out.flush();
            // The PackageReady published next promises this zip exists; it must survive a power cut.
            channel.force(true);
        }
        return new Zipped(entrySize, hex(entryDigest), Files.size(zip), hex(zipDigest));
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
