package dk.sf1820.dst;

import dk.sf1820.schemas.registry.DataFileName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where rejected deliveries are kept for an operator: {@code <rejected>/<file>}, its
 * {@code <file>.metadata} as delivered, and {@code <file>.reason.txt}. A name already taken by an
 * earlier rejection gets a numbered variant ({@code <file>.1}), so no rejected file is ever overwritten.
 */
final class RejectedFolder {

    static final String REASON_SUFFIX = ".reason.txt";

    private final Path dir;

    RejectedFolder(Path dir) {
        this.dir = dir;
    }

    /** A scratch file in the folder to fetch a rejected data file into before {@link #keep}. */
    Path incoming(String fileName) throws IOException {
        Files.createDirectories(dir);
        return dir.resolve(LocalNames.safe(fileName) + ".part");
    }

    /**
     * Keeps a rejected delivery.
     *
     * @param fileName the data file's name as delivered
     * @param content the fetched data file, moved into the folder; null if the platform delivered none
     * @param metadata the metadata file's bytes as delivered
     * @param reason the reason text, written to {@code <file>.reason.txt}
     * @return the kept data file's path (its reason file is that path plus {@code .reason.txt})
     */
    Path keep(String fileName, Path content, byte[] metadata, String reason) throws IOException {
        Path target = reserve(fileName, reason);
        if (metadata != null) {
            Files.write(sibling(target, DataFileName.METADATA_SUFFIX), metadata);
        }
        return moveIn(content, target);
    }

    /** As {@link #keep(String, Path, byte[], String)}, for metadata fetched into a file of its own. */
    Path keep(String fileName, Path content, Path metadata, String reason) throws IOException {
        Path target = reserve(fileName, reason);
        Files.move(metadata, sibling(target, DataFileName.METADATA_SUFFIX));
        return moveIn(content, target);
    }

    private Path reserve(String fileName, String reason) throws IOException {
        Files.createDirectories(dir);
        Path target = freeName(LocalNames.safe(fileName));
        // the reason first: it claims the name, and an operator finding it knows what follows
        Files.write(sibling(target, REASON_SUFFIX), reason.getBytes(StandardCharsets.UTF_8));
        return target;
    }

    private static Path moveIn(Path content, Path target) throws IOException {
        if (content != null) {
            Files.move(content, target);
        }
        return target;
    }

    static String reasonText(
            String fileName, String reason, Instant at, String sender, String fileTransferUUID, String sendersFileId) {
        return "file=" + fileName + "\n"
                + "rejected-at=" + at + "\n"
                + "reason=" + reason + "\n"
                + "sender=" + sender + "\n"
                + "fileTransferUUID=" + fileTransferUUID + "\n"
                + "sendersFileId=" + sendersFileId + "\n";
    }

    private Path freeName(String name) {
        Path candidate = dir.resolve(name);
        for (int n = 1; taken(candidate); n++) {
            candidate = dir.resolve(name + "." + n);
        }
        return candidate;
    }

    private static boolean taken(Path candidate) {
        return Files.exists(candidate) || Files.exists(sibling(candidate, REASON_SUFFIX));
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
