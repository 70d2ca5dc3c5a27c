package dk.sf1820.extractor;

import dk.sf1820.kafka.PrivateFiles;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.ExtractSource;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;

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
 *
 * <p>The steps have their own classes: {@link ExtractValidation}, {@link HashingCopy},
 * {@link HardLinkStaging} and {@link ExtractClaims}; this one puts them in order and owns the
 * partial file's life.
 */
public class ExtractStager {

    static final String EXTRACTS = "extracts";

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
    private final ExtractClaims claims;

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
        this.claims = new ExtractClaims(ledger, clock);
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
        ExtractValidation.Key key = ExtractValidation.validate(
                registry, request.fagsystem(), request.authority(), request.period(), source);
        Path file = ExtractValidation.requireSubmittable(request.file());
        String origin = file.toString();
        Fill<Long> fill = source == ExtractSource.DROP_FOLDER
                ? partial -> HardLinkStaging.link(file, partial, origin)
                : partial -> HashingCopy.write(partial, out -> HashingCopy.copy(file, out), origin);
        return stage(key, file.getFileName().toString(), request.resend(), null, source, origin, fill, (event, r) -> {})
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
    public <R> Staged<R> stage(
            String fagsystem,
            String authority,
            String period,
            String fileName,
            boolean resend,
            ExtractSource source,
            String origin,
            ContentWriter<R> writer,
            Details<R> details) {
        return stage(fagsystem, authority, period, fileName, resend, null, source, origin, writer, details);
    }

    /**
     * Stages content a source writes itself as a resend under the transferId its asker derived (an operator's
     * action: {@link TransferIds#ofResendAction}), so that the same request carried out twice stages one transfer.
     *
     * @throws DuplicateExtractException when that transfer was announced before: the resend is carried out already
     */
    <R> Staged<R> stageResend(
            String transferId,
            String fagsystem,
            String authority,
            String period,
            String fileName,
            ExtractSource source,
            String origin,
            ContentWriter<R> writer) {
        return stage(fagsystem, authority, period, fileName, true, transferId, source, origin, writer, (e, r) -> {});
    }

    private <R> Staged<R> stage(
            String fagsystem,
            String authority,
            String period,
            String fileName,
            boolean resend,
            String resendAs,
            ExtractSource source,
            String origin,
            ContentWriter<R> writer,
            Details<R> details) {
        ExtractValidation.Key key = ExtractValidation.validate(registry, fagsystem, authority, period, source);
        ExtractValidation.requirePlainName(fileName);
        return stage(
                key,
                fileName,
                resend,
                resendAs,
                source,
                origin,
                partial -> HashingCopy.write(partial, writer, origin),
                details);
    }

    /** A staged extract with what its writer returned. */
    public record Staged<R>(StagedExtract extract, R result) {}

    /** Puts an extract's content, durably, at the partial file's path and says what it wrote. */
    @FunctionalInterface
    private interface Fill<R> {
        HashingCopy.Written<R> into(Path partial);
    }

    private <R> Staged<R> stage(
            ExtractValidation.Key key,
            String name,
            boolean resend,
            String resendAs,
            ExtractSource source,
            String origin,
            Fill<R> fill,
            Details<R> details) {
        Path extracts = createDirectories(stagingDir.resolve(EXTRACTS));
        Path partial = createPartial(extracts);
        try {
            HashingCopy.Written<R> written = fill.into(partial);
            if (written.sizeBytes() == 0) {
                throw new ExtractRefusedException("extract " + origin + " is empty; an empty extract is not delivered");
            }
            SubmissionLedger.Claim claim =
                    claims.claim(key, name, written, resend, resendAs, source, origin, extracts, details);
            Path staged;
            try {
                staged = ExtractClaims.stagedFile(claim, extracts, written);
                createDirectories(staged.getParent());
                // Adopted: the same bytes replace (or restore) the recorded copy under its recorded name.
                move(partial, staged);
            } catch (RuntimeException e) {
                if (!claim.adopted()) {
                    claims.release(claim.transferId());
                }
                throw e;
            }
            ExtractReady announcement = claim.announcement();
            return new Staged<>(
                    new StagedExtract(
                            TransferRef.of(announcement),
                            staged,
                            announcement.getOriginalFileName(),
                            written.sizeBytes(),
                            written.sha256(),
                            announcement,
                            claim.adopted()),
                    written.result());
        } finally {
            deleteQuietly(partial);
        }
    }

    /** Whether the transferId's ExtractReady is confirmed published (never, without a ledger). */
    boolean isPublished(String transferId) {
        return claims.isPublished(transferId);
    }

    /** Gives up the transferId of an extract that could not be staged, so that it may be submitted again. */
    void release(String transferId) {
        claims.release(transferId);
    }

    /** Records that the extract's ExtractReady is published. */
    void published(String transferId) {
        claims.published(transferId);
    }

    private static void move(Path partial, Path staged) {
        try {
            // rename(2): atomic, and replaces an earlier copy of the same extract (same content by its transferId).
            Files.move(partial, staged, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot move staging file " + partial + " to " + staged + ": " + e.getMessage(), e);
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
            return Files.createTempFile(dir, AbandonedPartials.PREFIX, AbandonedPartials.SUFFIX);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create a file in staging directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // A leftover .part file is harmless: its hidden name keeps it out of every stage's way.
        }
    }
}
