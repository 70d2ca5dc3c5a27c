package dk.sf1820.extractor;

import dk.sf1820.kafka.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a file claimed from the drop folder into the staging area by a hard link: no second copy of a
 * large extract. The claimed file was renamed into this instance's processing folder, so nobody writes
 * it any more, and the watcher deletes it once the extract is announced.
 */
final class HardLinkStaging {

    private static final Logger log = LoggerFactory.getLogger(HardLinkStaging.class);

    private HardLinkStaging() {}

    /**
     * Links {@code file} in as the partial file, then hashes it and forces it to disk (the fagsystem's
     * write may still be in the page cache only). Where no hard link can be made (another file system,
     * a file system without them), copies instead.
     */
    static HashingCopy.Written<Long> link(Path file, Path partial, String origin) {
        try {
            Files.delete(partial);
            Files.createLink(partial, file);
            // One file with the claimed drop-folder file: it keeps the fagsystem's permissions unless narrowed.
            PrivateFiles.restrict(partial);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug(
                    "extract file copied, not linked, into the staging area file={} reason=\"{}\"", file, e.toString());
            return HashingCopy.write(partial, out -> HashingCopy.copy(file, out), origin);
        }
        MessageDigest sha256 = HashingCopy.sha256();
        long read;
        // The link and the claimed file are one file: reading it through copy() hashes and size-checks it as a
        // submitted file is, without writing a byte.
        try (HashingCopy.CountingDigestStream hashed =
                        new HashingCopy.CountingDigestStream(OutputStream.nullOutputStream(), sha256);
                FileChannel channel = FileChannel.open(partial, StandardOpenOption.READ)) {
            read = HashingCopy.copy(file, hashed);
            // The ExtractReady published next promises this file exists; it must survive a power cut.
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read extract " + origin + " linked as staging file " + partial + ": " + e.getMessage(), e);
        }
        return new HashingCopy.Written<>(read, HexFormat.of().formatHex(sha256.digest()), read);
    }
}
