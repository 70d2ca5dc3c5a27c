package dk.sf1820.extractor;

import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.TransferRef;
import java.nio.file.Path;

/**
 * An extract that passed validation and lies complete in the staging area.
 *
 * @param ref the transfer it starts
 * @param file the staged copy
 * @param originalFileName the name the fagsystem gave the file
 * @param sizeBytes size of the staged copy
 * @param sha256 lower-case hex SHA-256 of the staged copy
 * @param announcement the ExtractReady its submission record keeps: it refers to the staged copy, never
 *        carries it, and is the same event however often it is published
 * @param adopted whether an earlier, unannounced submission of this extract was recorded (before a crash or a
 *        Kafka outage) and this one took it over
 */
public record StagedExtract(
        TransferRef ref,
        Path file,
        String originalFileName,
        long sizeBytes,
        String sha256,
        ExtractReady announcement,
        boolean adopted) {}
