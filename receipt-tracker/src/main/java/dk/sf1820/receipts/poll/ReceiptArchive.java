package dk.sf1820.receipts.poll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The optional local copy of every handled receipt ({@code sf1820.receipt-tracker.archive-dir}),
 * written before the receipt is deleted from IN, as {@code <dir>/<sender>/<receipt name>}.
 */
public class ReceiptArchive {

    private final Path dir;

    /** @param dir the archive's root, or null for no archive */
    public ReceiptArchive(Path dir) {
        this.dir = dir;
    }

    boolean enabled() {
        return dir != null;
    }

    /**
     * Writes the copy atomically (temporary name, then rename), so a crash never leaves half a
     * receipt under its real name; a redelivered receipt simply replaces its earlier copy.
     *
     * @return where the copy lies, or null when archiving is off
     */
    Path keep(String sender, String receiptName, byte[] content) {
        if (dir == null) {
            return null;
        }
        requirePlainName(sender, "sender");
        requirePlainName(receiptName, "receipt name");
        try {
            Path folder = Files.createDirectories(dir.resolve(sender));
            Path target = folder.resolve(receiptName);
            Path part = folder.resolve("." + receiptName + ".part");
            Files.write(part, content);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot archive receipt " + sender + ":" + receiptName + " in " + dir
                            + " (sf1820.receipt-tracker.archive-dir): " + e.getMessage(),
                    e);
        }
    }

    private static void requirePlainName(String name, String what) {
        // names come from the SFTP server's listing; a hostile server must not write outside the archive
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
            throw new IllegalArgumentException("refusing to archive: " + what + " '" + name + "' is not a plain name");
        }
    }
}
