package dk.sf1820.packager;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.sftp.SendersFileId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the personal data the packager's side of the staging area holds once it is no longer needed,
 * and says so on {@code sf1820.housekeeping}, so the audit shows when the data left this machine:
 * <ul>
 * <li>a staged extract ({@code extracts/<transferId>/}) once its package is written and announced, unless the
 *     extractor has yet to record its ExtractReady as published (its outbox would re-announce it);</li>
 * <li>a package ({@code packages/<transferId>/}) once its transfer succeeded;</li>
 * <li>either, when it is older than the retention: a failed transfer's package (kept that long for a resend),
 *     an extract the packager refused.</li>
 * </ul>
 * The packager owns these folders (it reads the one and writes the other), so it is the stage that deletes
 * them. The event is published before the folder is deleted: a crash in between repeats both, while the
 * other order could lose the event for good.
 */
public class StagingHousekeeping {

    /** A staged extract was deleted from {@code <staging>/extracts/<transferId>/}. */
    static final String EXTRACT_DELETED = HousekeepingAction.EXTRACT_DELETED.name();
    /** A package was deleted from {@code <staging>/packages/<transferId>/}. */
    static final String PACKAGE_DELETED = HousekeepingAction.PACKAGE_DELETED.name();

    private static final Logger log = LoggerFactory.getLogger(StagingHousekeeping.class);

    private final Path stagingDir;
    private final Duration retention;
    private final SubmissionRecords submissions;
    private final EventPublisher publisher;
    private final Clock clock;

    public StagingHousekeeping(PackagerProperties properties, EventPublisher publisher, Clock clock) {
        this.stagingDir = properties.stagingDir();
        this.retention = properties.packageRetention();
        this.submissions = new SubmissionRecords(properties.stagingDir());
        this.publisher = publisher;
        this.clock = clock;
    }

    /** The extract's package is announced: its staged copy is not needed any more. */
    void extractPackaged(TransferRef ref) {
        if (submissions.awaitsAnnouncement(ref.transferId())) {
            log.info(
                    "staged extract kept transferId={} reason=\"the extractor has not yet recorded its ExtractReady "
                            + "as published; the retention sweep deletes it later\"",
                    ref.transferId());
            return;
        }
        delete(ref, Packager.EXTRACTS, EXTRACT_DELETED, "packaged and PackageReady announced");
    }

    /** The transfer succeeded: its package is not needed any more. */
    void transferSucceeded(TransferRef ref, String evidence) {
        delete(ref, Packager.PACKAGES, PACKAGE_DELETED, "transfer succeeded: " + evidence);
    }

    /** Deletes every staged extract and package older than the retention; returns how many folders. */
    public int sweep() {
        Instant cutoff = clock.instant().minus(retention);
        int deleted = 0;
        for (String area : List.of(Packager.EXTRACTS, Packager.PACKAGES)) {
            for (Path dir : transferDirs(stagingDir.resolve(area))) {
                String transferId = dir.getFileName().toString();
                Instant modified = lastModified(dir);
                if (!modified.isBefore(cutoff)
                        || area.equals(Packager.EXTRACTS) && submissions.awaitsAnnouncement(transferId)) {
                    continue;
                }
                String action = area.equals(Packager.EXTRACTS) ? EXTRACT_DELETED : PACKAGE_DELETED;
                if (delete(
                        submissions.ref(transferId),
                        area,
                        action,
                        "retention of " + retention + " passed: last " + "written " + modified
                                + " without the transfer succeeding")) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /**
     * Deletes what the staging area holds of one transfer's content on request (its staged extract and its
     * package), each with its event; returns the folders deleted. The submission record and the name claim
     * stay: they hold ids, hashes and metadata only, and keep the extract from being delivered again unasked.
     *
     * @throws IllegalArgumentException when the transferId is no lower-case UUID
     */
    public List<Path> purge(String transferId, String why) {
        requireTransferId(transferId);
        TransferRef ref = submissions.ref(transferId);
        List<Path> deleted = new java.util.ArrayList<>();
        for (String area : List.of(Packager.EXTRACTS, Packager.PACKAGES)) {
            String action = area.equals(Packager.EXTRACTS) ? EXTRACT_DELETED : PACKAGE_DELETED;
            if (delete(ref, area, action, why)) {
                deleted.add(stagingDir.resolve(area).resolve(transferId));
            }
        }
        return deleted;
    }

    /** @throws IllegalArgumentException when the text is no transferId (a lower-case UUID, as it names folders) */
    public static String requireTransferId(String transferId) {
        if (!SendersFileId.isWellFormed(transferId)) {
            throw new IllegalArgumentException("'" + transferId + "' is not a transferId (a lower-case UUID)");
        }
        return transferId;
    }

    private boolean delete(TransferRef ref, String area, String action, String why) {
        Path dir = stagingDir.resolve(area).resolve(ref.transferId());
        if (!SendersFileId.isWellFormed(ref.transferId()) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false; // deleted before (a redelivery or replay), or never here
        }
        HousekeepingPerformed event = ref.stamp(new HousekeepingPerformed(), clock);
        event.setAction(action);
        event.setSender("");
        event.setPath(dir.toAbsolutePath().toString());
        event.setLastModified(lastModified(dir));
        event.setDetail(why);
        publisher.publish(Topics.HOUSEKEEPING, event);
        deleteRecursively(dir);
        log.info(
                "staging data deleted transferId={} action={} path={} reason=\"{}\"",
                ref.transferId(),
                action,
                dir,
                why);
        return true;
    }

    private static List<Path> transferDirs(Path area) {
        if (!Files.isDirectory(area)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(area)) {
            return dirs.filter(
                            dir -> SendersFileId.isWellFormed(dir.getFileName().toString()))
                    .filter(dir -> Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + area + ": " + e.getMessage(), e);
        }
    }

    private static Instant lastModified(Path dir) {
        try {
            return Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the modification time of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the folder and what is in it; a link inside is removed, never followed. */
    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path visited, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.deleteIfExists(visited);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
