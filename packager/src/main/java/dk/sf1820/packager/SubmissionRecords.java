package dk.sf1820.packager;

import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.TransferRef;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /**
     * How the event differs from the extractor's record of its transfer, if it does. The record is written before
     * the staged copy takes its name, so every staged extract has one: an event that names a staged extract but
     * another fagsystem, authority, period or content (a forged or edited event) would otherwise send one
     * municipality's data to DST as another's. No record (an extract staged by a tool without one): nothing to
     * compare.
     */
    Optional<String> disagreement(ExtractReady event) {
        Optional<Properties> record = read(event.getTransferId());
        if (record.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> said = new LinkedHashMap<>();
        said.put("fagsystem", event.getFagsystem());
        said.put("authority", event.getAuthority());
        said.put("period", event.getPeriod());
        said.put("sha256", event.getSha256());
        said.put("size-bytes", Long.toString(event.getSizeBytes()));
        said.put("original-file-name", event.getOriginalFileName());
        said.put("staged-file", event.getStagedFile());
        for (Map.Entry<String, String> field : said.entrySet()) {
            String recorded = record.get().getProperty(field.getKey());
            if (recorded != null && !recorded.equals(field.getValue())) {
                return Optional.of(field.getKey() + " is '" + field.getValue() + "', the extractor's submission record "
                        + dir.resolve(event.getTransferId() + ".properties") + " says '" + recorded
                        + "': the event is not the one the extractor announced");
            }
        }
        return Optional.empty();
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
