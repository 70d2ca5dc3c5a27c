package dk.sf1820.schemas.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file's size and SHA-256 as the events carry them ({@code sizeBytes}, {@code sha256} in lower-case
 * hex): one definition, so the stage that announces a file and the stage that checks it hash alike.
 */
public record FileDigest(long sizeBytes, String sha256) {

    /** Reads the file to its end. */
    public static FileDigest of(Path file, OpenOption... options) throws IOException {
        try (InputStream in = Files.newInputStream(file, options)) {
            return of(in);
        }
    }

    /** Reads the stream to its end; the caller closes it. */
    public static FileDigest of(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
        long size = in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        return new FileDigest(size, HexFormat.of().formatHex(digest.digest()));
    }
}
