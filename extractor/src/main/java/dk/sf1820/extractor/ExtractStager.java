package dk.sf1820.extractor;

import dk.sf1820.kafka.PrivateFiles;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.Authorities;
import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.registry.Period;
import dk.sf1820.schemas.registry.ExtractSource;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an {@link ExtractRequest} against the registry and SF1820's rules and copies its file into
 * the staging area (a file claimed from the drop folder is hard-linked instead, where it can be). The
 * copy is streamed (constant memory, whatever the extract's size), hashed on the way, forced to disk
 * and only then moved atomically to its final name, so the staging area never shows a partial extract
 * under a name the packager could pick up.
 *
 * <p>With a {@link SubmissionLedger}, the transferId is claimed, together with the ExtractReady that
 * will announce the extract, before the copy takes its final name: an extract announced before is
 * refused ({@link DuplicateExtractException}) and its earlier staged copy stays untouched. An extract
 * recorded but not announced (a crash or a Kafka outage came between) is adopted: the new copy, the
 * same bytes, takes the recorded name and the recorded ExtractReady is what gets announced.
 */
public class ExtractStager {

    static final String EXTRACTS = "extracts";
    private static final int BUFFER_SIZE = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ExtractStager.class);

    /** Writes an extract's content; the stager counts, hashes and forces it to disk. */
    @FunctionalInterface
    public interface ContentWriter<R> {
        R writeTo(OutputStream out) throws IOException;
    }

    /** Adds what a source knows about its extract (a query's row count and dataset) to its ExtractReady. */
    @FunctionalInterface
    public interface Details<R> {
        void addTo(ExtractReady announcement, R result);
    }

    private final FagsystemRegistry registry;
    private final Path stagingDir;
    private final SubmissionLedger ledger;
    private final Clock clock;

    /**
     * Stages without a submission record: the same extract staged twice lands under the same
     * transferId again (for tools and tests; the stage itself runs with a ledger).
     */
    public ExtractStager(FagsystemRegistry registry, Path stagingDir) {
        this(registry, stagingDir, null, Clock.systemUTC());
    }

    /** Stages with a submission record; its events are stamped with the system clock. */
    public ExtractStager(FagsystemRegistry registry, Path stagingDir, SubmissionLedger ledger) {
        this(registry, stagingDir, ledger, Clock.systemUTC());
    }

    public ExtractStager(FagsystemRegistry registry, Path stagingDir, SubmissionLedger ledger, Clock clock) {
        this.registry = registry;
        this.stagingDir = stagingDir;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Stages a submitted file; see {@link #stage(ExtractRequest, ExtractSource)}. */
    public StagedExtract stage(ExtractRequest request) {
        return stage(request, ExtractSource.SUBMIT);
    }

    /**
     * Validates the request and stages its file as {@code <staging>/extracts/<transferId>/<name>}.
     *
     * @throws ExtractRefusedException when the fagsystem, authority, period, source or file is refused
     * @throws DuplicateExtractException when the extract was submitted before and no resend is asked
     * @throws UncheckedIOException when the staging area cannot be written
     */
    public StagedExtract stage(ExtractRequest request, ExtractSource source) {
        Key key = validate(request.fagsystem(), request.authority(), request.period(), source);
        Path file = requireSubmittable(request.file());
        String origin = file.toString();
        // A drop-folder file was claimed by rename into this instance's processing folder: nobody writes it
        // any more, and the watcher deletes it once the extract is announced. So the staging area may take
        // it by a hard link (no second copy of a large extract) where both lie on one file system.
        Fill<Long> fill = source == ExtractSource.DROP_FOLDER
                ? partial -> link(file, partial, origin)
                : partial -> write(partial, out -> copy(file, out), origin);
        return stage(key, file.getFileName().toString(), request.resend(), source, origin, fill, (event, r) -> { })
                .extract();
    }

    /**
     * Stages content a source writes itself (a query's rows), streamed into the staging area.
     *
     * @param fileName the staged file's name, e.g. {@code ksd-sygedagpenge.csv}
     * @param origin what the submission record names as the extract's origin
     * @param details adds what the writer learnt to the ExtractReady before it is recorded
     * @return the staged extract and what the writer returned (e.g. a row count)
     */
    public <R> Staged<R> stage(String fagsystem, String authority, String period, String fileName, boolean resend,
            ExtractSource source, String origin, ContentWriter<R> writer, Details<R> details) {
        Key key = validate(fagsystem, authority, period, source);
        if (fileName == null || fileName.startsWith(".") || DataFileName.violation(fileName).isPresent()) {
            throw new ExtractRefusedException("staged file name '" + fileName + "' must be a plain, visible file name");
        }
        return stage(key, fileName, resend, source, origin, partial -> write(partial, writer, origin), details);
    }

    /** A staged extract with what its writer returned. */
    public record Staged<R>(StagedExtract extract, R result) {
    }

    private record Key(Fagsystem fagsystem, String authority, Period period) {
    }

    private Key validate(String fagsystemCode, String authorityCode, String periodText, ExtractSource source) {
        Fagsystem fagsystem = registry.requireExtract(fagsystemCode);
        fagsystem.requireSource(source);
        String authority = Authorities.require(authorityCode);
        Period period = fagsystem.requirePeriod(Period.parse(periodText));
        return new Key(fagsystem, authority, period);
    }

    /** Puts an extract's content, durably, at the partial file's path and says what it wrote. */
    @FunctionalInterface
    private interface Fill<R> {
        Written<R> into(Path partial);
    }

    private <R> Staged<R> stage(Key key, String name, boolean resend, ExtractSource source, String origin,
            Fill<R> fill, Details<R> details) {
        Path extracts = createDirectories(stagingDir.resolve(EXTRACTS));
        Path partial = createPartial(extracts);
        try {
            Written<R> written = fill.into(partial);
            if (written.sizeBytes() == 0) {
                throw new ExtractRefusedException("extract " + origin + " is empty; an empty extract is not delivered");
            }
            SubmissionLedger.Claim claim = claim(key, name, written, resend, source, origin, extracts, details);
            Path staged;
            try {
                staged = stagedFile(claim, extracts, written);
                createDirectories(staged.getParent());
                // Adopted: the same bytes replace (or restore) the recorded copy under its recorded name.
                move(partial, staged);
            } catch (RuntimeException e) {
                if (!claim.adopted()) {
                    release(claim.transferId());
                }
                throw e;
            }
            ExtractReady announcement = claim.announcement();
            return new Staged<>(new StagedExtract(TransferRef.of(announcement), staged,
                    announcement.getOriginalFileName(), written.sizeBytes(), written.sha256(), announcement,
                    claim.adopted()), written.result());
        } finally {
            deleteQuietly(partial);
        }
    }

    private <R> SubmissionLedger.Claim claim(Key key, String name, Written<R> written, boolean resend,
            ExtractSource source, String origin, Path extracts, Details<R> details) {
        Function<String, ExtractReady> announcementFor = transferId -> {
            ExtractReady event = new TransferRef(transferId, key.fagsystem().code(), key.authority(),
                    key.period().value()).stamp(new ExtractReady(), clock);
            // The wire keeps milliseconds: the recorded event is then the very event a re-announcement publishes.
            event.setOccurredAt(event.getOccurredAt().truncatedTo(ChronoUnit.MILLIS));
            event.setStagedFile(extracts.resolve(transferId).resolve(name).toUri().toString());
            event.setOriginalFileName(name);
            event.setSizeBytes(written.sizeBytes());
            event.setSha256(written.sha256());
            event.setSource(source.value());
            details.addTo(event, written.result());
            return event;
        };
        if (ledger == null) {
            String transferId = TransferIds.of(key.fagsystem().code(), key.authority(), key.period().value(),
                    written.sha256());
            return new SubmissionLedger.Claim(transferId, announcementFor.apply(transferId), false);
        }
        return ledger.claim(new SubmissionLedger.Submission(key.fagsystem().code(), key.authority(),
                key.period().value(), written.sha256(), source.value(), origin), resend, announcementFor);
    }

    /**
     * Where the claim's copy belongs: {@code <staging>/extracts/<transferId>/<name>}. An adopted record names
     * it; a record is read, so it must name that place and the bytes just written.
     */
    private static Path stagedFile(SubmissionLedger.Claim claim, Path extracts, Written<?> written) {
        ExtractReady announcement = claim.announcement();
        Path dir = extracts.resolve(claim.transferId());
        Path staged = dir.resolve(announcement.getOriginalFileName()).normalize();
        boolean inPlace = staged.getParent().equals(dir)
                && Path.of(URI.create(announcement.getStagedFile())).equals(staged.toAbsolutePath());
        if (!inPlace || announcement.getSizeBytes() != written.sizeBytes()
                || !announcement.getSha256().equals(written.sha256())) {
            throw new IllegalStateException("submission record of transferId " + claim.transferId()
                    + " does not describe this extract (staged file " + announcement.getStagedFile() + ", "
                    + announcement.getSizeBytes() + " bytes, sha256 " + announcement.getSha256() + "; expected under "
                    + dir + ", " + written.sizeBytes() + " bytes, sha256 " + written.sha256() + ")");
        }
        return staged;
    }

    /** Whether the transferId's ExtractReady is confirmed published (never, without a ledger). */
    boolean isPublished(String transferId) {
        return ledger != null && ledger.isPublished(transferId);
    }

    /** Gives up the transferId of an extract that could not be staged, so that it may be submitted again. */
    void release(String transferId) {
        if (ledger != null) {
            ledger.release(transferId);
        }
    }

    /** Records that the extract's ExtractReady is published. */
    void published(String transferId) {
        if (ledger != null) {
            ledger.published(transferId);
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

    private record Written<R>(long sizeBytes, String sha256, R result) {
    }

    private static <R> Written<R> write(Path partial, ContentWriter<R> writer, String origin) {
        MessageDigest sha256 = sha256();
        try (FileOutputStream file = new FileOutputStream(partial.toFile());
                CountingDigestStream out = new CountingDigestStream(file, sha256)) {
            R result = writer.writeTo(out);
            out.flush();
            // The ExtractReady published next promises this copy exists; it must survive a power cut.
            file.getChannel().force(true);
            return new Written<>(out.count, HexFormat.of().formatHex(sha256.digest()), result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write extract " + origin + " to staging file " + partial + ": "
                    + e.getMessage(), e);
        }
    }

    private static long copy(Path file, OutputStream out) throws IOException {
        long copied = 0;
        // 1 MiB: with InputStream.transferTo's 8 KiB, the write and digest calls per chunk cost more than the bytes.
        byte[] buffer = new byte[BUFFER_SIZE];
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

    /**
     * Links {@code file} in as the partial file, then hashes it and forces it to disk (the fagsystem's
     * write may still be in the page cache only). Where no hard link can be made (another file system,
     * a file system without them), copies instead.
     */
    private static Written<Long> link(Path file, Path partial, String origin) {
        try {
            Files.delete(partial);
            Files.createLink(partial, file);
            // One file with the claimed drop-folder file: it keeps the fagsystem's permissions unless narrowed.
            PrivateFiles.restrict(partial);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("extract file copied, not linked, into the staging area file={} reason=\"{}\"", file, e.toString());
            return write(partial, out -> copy(file, out), origin);
        }
        MessageDigest sha256 = sha256();
        long read;
        // The link and the claimed file are one file: reading it through copy() hashes and size-checks it as a
        // submitted file is, without writing a byte.
        try (CountingDigestStream hashed = new CountingDigestStream(OutputStream.nullOutputStream(), sha256);
                FileChannel channel = FileChannel.open(partial, StandardOpenOption.READ)) {
            read = copy(file, hashed);
            // The ExtractReady published next promises this file exists; it must survive a power cut.
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read extract " + origin + " linked as staging file " + partial + ": "
                    + e.getMessage(), e);
        }
        return new Written<>(read, HexFormat.of().formatHex(sha256.digest()), read);
    }

    /** Counts and hashes what passes through, in the buffer sizes the writer chose. */
    private static final class CountingDigestStream extends FilterOutputStream {
        private final MessageDigest digest;
        private long count;

        CountingDigestStream(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
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
            return PrivateFiles.createDirectories(dir);
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
