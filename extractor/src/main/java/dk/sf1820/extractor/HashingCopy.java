package dk.sf1820.extractor;

import dk.sf1820.schemas.registry.ExtractRefusedException;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes an extract into a staging file, streamed (constant memory, whatever the size), counted and
 * hashed on the way and forced to disk before it returns.
 */
final class HashingCopy {

    private static final int BUFFER_SIZE = 1024 * 1024;
    private static final int MIN_BUFFER_SIZE = 8 * 1024;

    /** What was written: its size, its SHA-256 and what the writer returned. */
    record Written<R>(long sizeBytes, String sha256, R result) {}

    private HashingCopy() {}

    static <R> Written<R> write(Path partial, ExtractStager.ContentWriter<R> writer, String origin) {
        MessageDigest sha256 = sha256();
        try (FileOutputStream file = new FileOutputStream(partial.toFile());
                CountingDigestStream out = new CountingDigestStream(file, sha256)) {
            R result = writer.writeTo(out);
            out.flush();
            // The ExtractReady published next promises this copy exists; it must survive a power cut.
            file.getChannel().force(true);
            return new Written<>(out.count(), HexFormat.of().formatHex(sha256.digest()), result);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write extract " + origin + " to staging file " + partial + ": " + e.getMessage(), e);
        }
    }

    /** @throws ExtractRefusedException when the file's size changed while it was read (an export still running) */
    static long copy(Path file, OutputStream out) throws IOException {
        long copied = 0;
        // 1 MiB: with InputStream.transferTo's 8 KiB, the write and digest calls per chunk cost more than the bytes.
        // A small extract gets a buffer of its own size (one byte more, to see its end in one read): a burst of
        // many small ones would otherwise allocate and zero 1 MiB for each.
        byte[] buffer = new byte[(int) Math.max(MIN_BUFFER_SIZE, Math.min(BUFFER_SIZE, sizeOf(file) + 1))];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; copied += n) {
                out.write(buffer, 0, n);
            }
        }
        long sizeNow = sizeOf(file);
        if (sizeNow != copied) {
            throw new ExtractRefusedException("extract file " + file + " changed while it was read (" + copied
                    + " bytes read, " + sizeNow + " bytes now); submit it once the export is complete");
        }
        return copied;
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of extract file " + file + ": " + e.getMessage(), e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** Counts and hashes what passes through, in the buffer sizes the writer chose. */
    static final class CountingDigestStream extends FilterOutputStream {
        private final MessageDigest digest;
        private long count;

        CountingDigestStream(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        long count() {
            return count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            // The FileOutputStream is closed by its own try-with-resources after force().
            flush();
        }
    }
}
