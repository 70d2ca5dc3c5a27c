package dk.sf1820.extractor;

import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.TransferRef;
import java.nio.file.Path;
import java.time.Clock;

/**
 * An extract that passed validation and lies complete in the staging area.
 *
 * @param ref the transfer it starts
 * @param file the staged copy
 * @param originalFileName the name the fagsystem gave the file
 * @param sizeBytes size of the staged copy
 * @param sha256 lower-case hex SHA-256 of the staged copy
 */
public record StagedExtract(TransferRef ref, Path file, String originalFileName, long sizeBytes, String sha256) {

    /** The event announcing this extract to the packager; it refers to the staged copy, never carries it. */
    public ExtractReady toExtractReady(String source, Clock clock) {
        ExtractReady event = ref.stamp(new ExtractReady(), clock);
        event.setStagedFile(file.toUri().toString());
        event.setOriginalFileName(originalFileName);
        event.setSizeBytes(sizeBytes);
        event.setSha256(sha256);
        event.setSource(source);
        return event;
    }
}
