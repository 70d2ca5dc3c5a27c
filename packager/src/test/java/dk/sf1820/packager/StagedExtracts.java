package dk.sf1820.packager;

import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.TransferRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;

/** Puts an extract into a staging area as the extractor would and describes it with an ExtractReady. */
final class StagedExtracts {

    private StagedExtracts() {}

    static ExtractReady stage(Path staging, String fagsystem, String name, byte[] content, Instant occurredAt)
            throws IOException {
        String transferId = UUID.randomUUID().toString();
        Path file = Files.createDirectories(staging.resolve("extracts").resolve(transferId))
                .resolve(name);
        Files.write(file, content);
        ExtractReady event = new TransferRef(transferId, fagsystem, "0561", "M03")
                .stamp(new ExtractReady(), Clock.fixed(occurredAt, ZoneOffset.UTC));
        event.setStagedFile(file.toUri().toString());
        event.setOriginalFileName(name);
        event.setSizeBytes(content.length);
        event.setSha256(sha256(content));
        event.setSource("submit");
        return event;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
