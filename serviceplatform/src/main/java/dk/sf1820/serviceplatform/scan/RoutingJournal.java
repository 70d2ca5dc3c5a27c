package dk.sf1820.serviceplatform.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's note that it began to route a trigger's data file: written before the first file
 * moves, removed once the trigger is answered. Routing moves the data file out of the sender's OUT, so a
 * platform stopped between routing and answering (a kill, a power cut) would otherwise find at its next
 * scan a trigger whose data file is gone and answer {@code DATA_FILE_MISSING} for a file it delivered.
 * With the note, the next scan finishes the routing under the same FileTransferUUID and answers success.
 *
 * <p>One file per trigger, {@code <state>/routing/<user>/<SHA-256 of the trigger's name>}, holding the
 * FileTransferUUID, SendersFileId and file name; a note that does not match the trigger now in OUT (a new
 * trigger of the same name) is stale and removed.
 */
final class RoutingJournal {

    private static final Logger log = LoggerFactory.getLogger(RoutingJournal.class);

    private final Path dir;

    RoutingJournal(Path dir) {
        this.dir = dir;
    }

    /** The FileTransferUUID of a routing begun for this trigger and not yet answered, if any. */
    Optional<String> begun(String user, String triggerName, String sendersFileId, String fileName) {
        Path note = note(user, triggerName);
        List<String> lines;
        try {
            lines = Files.readAllLines(note, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("Cannot read a routing note; the trigger is checked anew note={}", note, e);
            return Optional.empty();
        }
        if (lines.size() == 3
                && lines.get(1).equals(sendersFileId)
                && lines.get(2).equals(fileName)) {
            return Optional.of(lines.get(0));
        }
        log.warn("Stale routing note removed sender={} trigger={} note={}", user, triggerName, note);
        end(user, triggerName);
        return Optional.empty();
    }

    /** Notes that routing begins; throws if it cannot, and then nothing may move. */
    void begin(String user, String triggerName, String fileTransferUUID, String sendersFileId, String fileName)
            throws IOException {
        Path note = note(user, triggerName);
        Files.createDirectories(note.getParent());
        AtomicFiles.write(
                note,
                (fileTransferUUID + "\n" + sendersFileId + "\n" + fileName + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The trigger is answered: its routing note goes. */
    void end(String user, String triggerName) {
        Path note = note(user, triggerName);
        try {
            Files.deleteIfExists(note);
        } catch (IOException e) {
            log.error("Cannot remove a routing note note={}", note, e);
        }
    }

    private Path note(String user, String triggerName) {
        return dir.resolve(user).resolve(sha256(triggerName));
    }

    private static String sha256(String name) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
