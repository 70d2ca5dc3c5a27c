package dk.sf1820.serviceplatform.scan;

import dk.sf1820.schemas.registry.DataFileName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writing files so a reader never sees a partial one: the content goes to a hidden temp name in the
 * same folder first and is renamed into place. Clients listing a folder should ignore names starting
 * with a dot.
 */
final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * {@code .<name>.part}, or, where that would pass the file system's 255 bytes, {@code .<digest>.part}:
     * a temporary name must never be what keeps a receipt from being written.
     */
    static Path tempFor(Path target) {
        String name = target.getFileName().toString();
        String temp = "." + name + ".part";
        if (DataFileName.utf8Length(temp) > DataFileName.MAX_NAME_BYTES) {
            temp = "." + digest(name) + ".part";
        }
        return target.resolveSibling(temp);
    }

    private static String digest(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static void write(Path target, byte[] content) throws IOException {
        Path temp = tempFor(target);
        Files.write(temp, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }
}
