package dk.sf1820.packager;

import dk.sf1820.kafka.ByteProgressPublisher;
import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.kafka.PrivateFiles;
import dk.sf1820.packager.ExtractZipper.Zipped;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.events.FileDigest;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.Authorities;
import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.registry.Period;
import dk.sf1820.schemas.sftp.SendersFileId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a staged extract into the data file SF1820 delivers: a zip named
 * {@code <Sender>_<Recipient>_<authority>_<period>_<yyyyMMddHHmmss>.zip}, written to
 * {@code <staging>/packages/<transferId>/}.
 * <p>
 * Everything that goes into the zip comes from the ExtractReady, and its name from the ExtractReady's
 * occurredAt and the transfer's name claim ({@link DataFileNameClaims}), so a redelivered event re-packs
 * to the same name and the same bytes and replaces the earlier zip atomically, and no two transfers
 * share a name. An event that can never be packed (its staged file gone or changed, a
 * fagsystem the registry refuses) raises {@link NonRetryableEventException}; a failing disk raises
 * {@link UncheckedIOException}, which is retried.
 */
public class Packager {

    static final String PACKAGES = "packages";
    /** Where the extractor stages each extract: {@code <staging>/extracts/<transferId>/<name>}. */
    static final String EXTRACTS = "extracts";

    private static final Logger log = LoggerFactory.getLogger(Packager.class);

    private final FagsystemRegistry registry;
    private final Path stagingDir;
    private final ZoneId timestampZone;
    private final ExtractZipper zipper;
    private final DataFileNameClaims names;
    private final Clock clock;
    private final ByteProgressPublisher progress;
    private final SubmissionRecords records;

    public Packager(FagsystemRegistry registry, PackagerProperties properties, Clock clock) {
        this(registry, properties, clock, ByteProgressPublisher.DISABLED);
    }

    /** @param progress where the reading of each extract is reported, for {@code submit --wait} */
    public Packager(
            FagsystemRegistry registry, PackagerProperties properties, Clock clock, ByteProgressPublisher progress) {
        this.progress = progress;
        this.registry = registry;
        this.stagingDir = properties.stagingDir();
        this.timestampZone = properties.timestampZone();
        this.zipper = new ExtractZipper(
                properties.deflateLibrary(), properties.compressionLevel(), properties.effectiveThreads());
        if (zipper.library() == DeflateLibrary.LIBDEFLATE) {
            log.info(
                    "packager compresses with library=libdeflate version={} level={} threads={}",
                    Libdeflate.libraryVersion(),
                    properties.compressionLevel(),
                    properties.effectiveThreads());
        } else {
            log.info(
                    "packager compresses with library=zlib level={} threads={}{}",
                    properties.compressionLevel(),
                    properties.effectiveThreads(),
                    Libdeflate.unavailableReason()
                            .map(reason -> " (libdeflate not used: " + reason + ")")
                            .orElse(""));
        }
        this.names = new DataFileNameClaims(properties.stagingDir());
        this.records = new SubmissionRecords(properties.stagingDir());
        this.clock = clock;
    }

    /** Zips the extract and describes the zip; the caller publishes the returned event. */
    public PackageReady pack(ExtractReady extract) {
        return packUnlessDelivered(extract)
                .orElseThrow(() -> refused(
                        extract,
                        "staged file " + extract.getStagedFile()
                                + " does not exist: it was packaged, delivered and its package deleted"));
    }

    /**
     * Zips the extract and describes the zip, or, when its staged extract was already deleted after packaging
     * ({@link StagingHousekeeping}), describes the package written then again; empty when that package was
     * deleted too (the transfer succeeded or outlived its retention), so nothing is left to announce.
     */
    public Optional<PackageReady> packUnlessDelivered(ExtractReady extract) {
        TransferRef ref = TransferRef.of(extract);
        if (!SendersFileId.isWellFormed(ref.transferId())) {
            // It names a directory below; it also becomes the trigger's SendersFileId, a lower-case UUID.
            throw refused(extract, "transferId is not a lower-case UUID");
        }
        Fagsystem fagsystem;
        String authority;
        Period period;
        try {
            fagsystem = registry.requireExtract(ref.fagsystem());
            authority = Authorities.require(ref.authority());
            period = Period.parse(ref.period());
        } catch (ExtractRefusedException e) {
            throw refused(extract, e.getMessage());
        }
        String entryName = requirePlainName(extract);
        records.disagreement(extract).ifPresent(why -> {
            throw refused(extract, why);
        });
        Path extractFile = requireStagedFile(extract, entryName);
        LocalDateTime createdAt = LocalDateTime.ofInstant(extract.getOccurredAt(), timestampZone);
        Function<LocalDateTime, String> naming = stamp -> DataFileName.of(fagsystem, authority, period, stamp);
        if (extractFile == null) {
            return alreadyPackaged(extract, ref, fagsystem, createdAt, naming);
        }
        String fileName;
        try {
            // The name's only varying part is a timestamp to the second: the claim makes it this transfer's alone.
            fileName = names.claim(ref.transferId(), createdAt, naming);
        } catch (IllegalArgumentException e) {
            throw refused(extract, e.getMessage());
        }

        Path dir = stagingDir.resolve(PACKAGES).resolve(ref.transferId());
        Path zip = dir.resolve(fileName);
        Path partial = null;
        try {
            PrivateFiles.createDirectories(dir);
            // A hidden temporary name: the zip appears under its real name only when complete and verified.
            partial = Files.createTempFile(dir, ".pack-", ".part");
            Zipped zipped = zipper.zip(
                    extractFile, entryName, createdAt, partial, progress.start(ref, entryName, extract.getSizeBytes()));
            requireUnchanged(extract, extractFile, zipped);
            Files.move(partial, zip, StandardCopyOption.ATOMIC_MOVE);
            log.info(
                    "packaged transferId={} fileName={} sizeBytes={} sha256={} extractSizeBytes={}",
                    ref.transferId(),
                    fileName,
                    zipped.zipSizeBytes(),
                    zipped.zipSha256(),
                    zipped.entrySizeBytes());
            return Optional.of(packageReady(ref, fagsystem, zip, zipped.zipSizeBytes(), zipped.zipSha256()));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write package " + zip + " for transferId=" + ref.transferId() + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /**
     * A redelivered or replayed ExtractReady whose staged extract is gone: recognised as packaged by this
     * transfer's name claim and, while it exists, its package, which is described again (the same name and
     * bytes a re-pack would give); a transfer never packaged is refused as before.
     */
    private Optional<PackageReady> alreadyPackaged(
            ExtractReady extract,
            TransferRef ref,
            Fagsystem fagsystem,
            LocalDateTime createdAt,
            Function<LocalDateTime, String> naming) {
        String fileName;
        try {
            fileName = names.heldBy(ref.transferId(), createdAt, naming)
                    .orElseThrow(() -> refused(extract, "staged file " + extract.getStagedFile() + " does not exist"));
        } catch (IllegalArgumentException e) {
            throw refused(extract, e.getMessage());
        }
        Path zip = stagingDir.resolve(PACKAGES).resolve(ref.transferId()).resolve(fileName);
        if (!Files.isRegularFile(zip, LinkOption.NOFOLLOW_LINKS)) {
            log.info(
                    "already packaged and package deleted transferId={} fileName={} reason=\"nothing left to "
                            + "announce: the transfer succeeded or outlived its retention\"",
                    ref.transferId(),
                    fileName);
            return Optional.empty();
        }
        try {
            FileDigest digest = FileDigest.of(zip, LinkOption.NOFOLLOW_LINKS);
            long size = digest.sizeBytes();
            String sha256 = digest.sha256();
            log.info(
                    "already packaged transferId={} fileName={} sizeBytes={} sha256={} reason=\"staged extract "
                            + "deleted after packaging; the package is announced again\"",
                    ref.transferId(),
                    fileName,
                    size,
                    sha256);
            return Optional.of(packageReady(ref, fagsystem, zip, size, sha256));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read package " + zip + " for transferId=" + ref.transferId() + ": " + e.getMessage(), e);
        }
    }

    private PackageReady packageReady(TransferRef ref, Fagsystem fagsystem, Path zip, long sizeBytes, String sha256) {
        PackageReady event = ref.stamp(new PackageReady(), clock);
        event.setPackageRef(zip.toUri().toString());
        event.setFileName(zip.getFileName().toString());
        event.setSizeBytes(sizeBytes);
        event.setSha256(sha256);
        event.setSender(fagsystem.sftpUser());
        event.setRecipients(fagsystem.recipients());
        event.setContentType(fagsystem.contentType());
        return event;
    }

    /** The zip entry is named after the original file; a path there could unpack outside the recipient's folder. */
    private static String requirePlainName(ExtractReady extract) {
        String name = extract.getOriginalFileName();
        if (name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || name.contains("/")
                || name.contains("\\")
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw refused(extract, "originalFileName '" + name + "' is not a plain file name");
        }
        return name;
    }

    /**
     * The staged extract, exactly where the extractor put it for this transfer: {@code
     * <staging>/extracts/<transferId>/<originalFileName>} after resolving every link, a regular file of
     * the announced size. Anything else (a path elsewhere, {@code ..}, a link out of the staging area,
     * another transfer's file, a fifo or device) is a forged or broken event. Null when nothing is at
     * exactly that place any more.
     */
    private Path requireStagedFile(ExtractReady extract, String entryName) {
        Path file;
        try {
            file = Path.of(URI.create(extract.getStagedFile()));
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw refused(extract, "stagedFile '" + extract.getStagedFile() + "' is not a file: URI");
        }
        // A missing staging area is an unmounted volume, not a bad event: that one is retried.
        Path root = realPath(stagingDir, "staging directory");
        Path expected = root.resolve(EXTRACTS).resolve(extract.getTransferId()).resolve(entryName);
        if (!Files.exists(file)) {
            Path given = file.toAbsolutePath().normalize();
            if (given.equals(expected)
                    || given.equals(stagingDir
                            .toAbsolutePath()
                            .normalize()
                            .resolve(EXTRACTS)
                            .resolve(extract.getTransferId())
                            .resolve(entryName))) {
                return null; // where this transfer's extract was: packaged and deleted, or never staged
            }
            throw refused(extract, "staged file " + file + " does not exist");
        }
        Path real = realPath(file, "staged file");
        if (!real.startsWith(root)) {
            throw refused(extract, "staged file " + file + " lies outside the staging directory " + root);
        }
        if (!real.equals(expected)) {
            throw refused(
                    extract,
                    "staged file " + file + " (resolved " + real + ") is not this transfer's staged " + "extract "
                            + expected);
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(extract, "staged file " + file + " is not a regular file");
        }
        long size = sizeOf(real);
        if (size != extract.getSizeBytes()) {
            throw refused(
                    extract,
                    "staged file " + file + " has " + size + " bytes, the event's sizeBytes says "
                            + extract.getSizeBytes());
        }
        return real;
    }

    /** The SHA-256 is checked while zipping, so the extract is read once. */
    private static void requireUnchanged(ExtractReady extract, Path file, Zipped zipped) {
        if (zipped.entrySizeBytes() != extract.getSizeBytes()) {
            throw refused(
                    extract,
                    "staged file " + file + " changed while it was zipped: " + zipped.entrySizeBytes()
                            + " bytes read, the event's sizeBytes says " + extract.getSizeBytes());
        }
        if (!zipped.entrySha256().equals(extract.getSha256())) {
            throw refused(
                    extract,
                    "staged file " + file + " no longer matches its event: SHA-256 is " + zipped.entrySha256()
                            + ", the event's sha256 says " + extract.getSha256());
        }
    }

    private static NonRetryableEventException refused(ExtractReady extract, String reason) {
        return new NonRetryableEventException(
                "ExtractReady transferId=" + extract.getTransferId() + " cannot be packaged: " + reason);
    }

    private static Path realPath(Path path, String what) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of staged file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path partial) {
        if (partial == null) {
            return;
        }
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            log.warn("cannot delete partial package file={} reason=\"{}\"", partial, e.getMessage());
        }
    }
}
