package dk.sf1820.extractor;

import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.Authorities;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.registry.Period;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks an {@link ExtractRequest} against the registry and SF1820's rules and copies its file into
 * the staging area. The copy is streamed (constant memory, whatever the extract's size), hashed on
 * the way, forced to disk and only then moved atomically to its final name, so the staging area
 * never shows a partial extract under a name the packager could pick up.
 */
public class ExtractStager {

    static final String EXTRACTS = "extracts";
    private static final int BUFFER_SIZE = 64 * 1024;

    private final FagsystemRegistry registry;
    private final Path stagingDir;

    public ExtractStager(FagsystemRegistry registry, Path stagingDir) {
        this.registry = registry;
        this.stagingDir = stagingDir;
    }

    /**
     * Validates the request and stages its file as {@code <staging>/extracts/<transferId>/<name>}.
     * Staging the same extract again replaces the earlier copy with identical bytes.
     *
     * @throws ExtractRefusedException when the fagsystem, authority, period or file is refused
     * @throws UncheckedIOException when the staging area cannot be written
     */
    public StagedExtract stage(ExtractRequest request) {
        Fagsystem fagsystem = registry.requireExtract(request.fagsystem());
        String authority = Authorities.require(request.authority());
        Period period = Period.parse(request.period());
        Path file = requireSubmittable(request.file());
        String originalName = file.getFileName().toString();

        Path extracts = createDirectories(stagingDir.resolve(EXTRACTS));
        Path partial = createPartial(extracts);
        try {
            Copy copy = copy(file, partial);
            String transferId = TransferIds.of(fagsystem.code(), authority, period.value(), copy.sha256());
            Path staged = createDirectories(extracts.resolve(transferId)).resolve(originalName);
            move(partial, staged);
            return new StagedExtract(new TransferRef(transferId, fagsystem.code(), authority, period.value()),
                    staged, originalName, copy.sizeBytes(), copy.sha256());
        } finally {
            deleteQuietly(partial);
        }
    }

    private static Path requireSubmittable(Path file) {
        if (file == null) {
            throw new ExtractRefusedException("no extract file given");
        }
        if (!Files.exists(file)) {
            throw new ExtractRefusedException("extract file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ExtractRefusedException("extract file " + file + " is not a regular file");
        }
        String name = file.getFileName().toString();
        if (isHidden(file)) {
            // Export and copy tools write partial files under hidden names; such a file is never an extract.
            throw new ExtractRefusedException("extract file " + file + " is hidden; hidden files are not submitted");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ExtractRefusedException("extract file " + file + " has control characters in its name");
        }
        if (!Files.isReadable(file)) {
            throw new ExtractRefusedException("extract file " + file + " is not readable by this process");
        }
        if (sizeOf(file) == 0) {
            throw new ExtractRefusedException("extract file " + file + " is empty; an empty extract is not delivered");
        }
        return file;
    }

    private record Copy(long sizeBytes, String sha256) {
    }

    private static Copy copy(Path file, Path partial) {
        MessageDigest sha256 = sha256();
        long copied = 0;
        try (InputStream in = Files.newInputStream(file);
                FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n; (n = in.read(buffer)) != -1; copied += n) {
                sha256.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            // The ExtractReady published next promises this copy exists; it must survive a power cut.
            out.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy extract file " + file + " to staging file " + partial
                    + ": " + e.getMessage(), e);
        }
        long sizeNow = sizeOf(file);
        if (sizeNow != copied) {
            throw new ExtractRefusedException("extract file " + file + " changed while it was copied (" + copied
                    + " bytes read, " + sizeNow + " bytes now); submit it once the export is complete");
        }
        return new Copy(copied, HexFormat.of().formatHex(sha256.digest()));
    }

    private static void move(Path partial, Path staged) {
        try {
            // rename(2): atomic, and replaces an earlier copy of the same extract (same content by its transferId).
            Files.move(partial, staged, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move staging file " + partial + " to " + staged + ": "
                    + e.getMessage(), e);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create staging directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path createPartial(Path dir) {
        try {
            return Files.createTempFile(dir, ".submit-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file in staging directory " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of extract file " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isHidden(Path file) {
        try {
            return Files.isHidden(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect extract file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // A leftover .part file is harmless: its hidden name keeps it out of every stage's way.
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
