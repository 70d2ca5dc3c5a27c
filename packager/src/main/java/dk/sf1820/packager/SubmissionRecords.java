package dk.sf1820.packager;

import dk.sf1820.schemas.events.TransferRef;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads (never writes) the extractor's submission ledger, {@code <staging>/submissions/<transferId>.properties}:
 * the outbox that re-announces an extract whose ExtractReady Kafka has not confirmed. Such an extract's staged
 * copy must stay until the extractor marks it {@code published-at}, or the announcer would wait for it forever.
 */
final class SubmissionRecords {

    static final String SUBMISSIONS = "submissions";

    private final Path dir;

    SubmissionRecords(Path stagingDir) {
        this.dir = stagingDir.resolve(SUBMISSIONS);
    }

    /** Whether the extractor still has to announce this transfer (a record without {@code published-at}). */
    boolean awaitsAnnouncement(String transferId) {
        return read(transferId)
                .map(record -> record.getProperty("published-at") == null)
                .orElse(false);
    }

    /** The transfer's identity as recorded, for an event about a folder that carries none; blank where unknown. */
    TransferRef ref(String transferId) {
        Properties record = read(transferId).orElseGet(Properties::new);
        return new TransferRef(
                transferId,
                record.getProperty("fagsystem", ""),
                record.getProperty("authority", ""),
                record.getProperty("period", ""));
    }

    private Optional<Properties> read(String transferId) {
        Path file = dir.resolve(transferId + ".properties");
        Properties record = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            record.load(in);
            return Optional.of(record);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read submission record " + file + ": " + e.getMessage(), e);
        }
    }
}
