package dk.sf1820.serviceplatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writing files so a reader never sees a partial one: the content goes to a hidden temp name in the
 * same folder first and is renamed into place. Clients listing a folder should ignore names starting
 * with a dot.
 */
final class AtomicFiles {

    private AtomicFiles() {
    }

    static Path tempFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".part");
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
