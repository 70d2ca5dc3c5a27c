package dk.sf1820.bench;

import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.TransferRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;

/** An extract placed in a staging area with the ExtractReady the extractor would publish for it. */
final class StagedFile {

    private StagedFile() {}

    static ExtractReady stage(Path staging, Path csv) throws IOException {
        String transferId = UUID.randomUUID().toString();
        Path dir = Files.createDirectories(staging.resolve("extracts").resolve(transferId));
        Path file = dir.resolve("extract.csv");
        Files.createLink(file, csv);
        ExtractReady event =
                new TransferRef(transferId, "KSD", "0561", "M03").stamp(new ExtractReady(), Clock.systemUTC());
        event.setStagedFile(file.toUri().toString());
        event.setOriginalFileName("extract.csv");
        event.setSizeBytes(Files.size(file));
        event.setSha256(sha256(file));
        event.setSource("submit");
        return event;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
