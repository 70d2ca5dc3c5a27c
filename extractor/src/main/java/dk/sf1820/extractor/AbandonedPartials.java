package dk.sf1820.extractor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the partial copies a stopped process left in {@code <staging>/extracts/}: an extract is written (or
 * linked) to a hidden {@code .submit-*.part} file before it takes its name, and a process killed meanwhile leaves
 * that file behind, with the extract's content (personal data) and no transfer that will ever delete it. A
 * partial file whose inode changed longer than {@link #ABANDONED} ago is no copy in progress: a copy writes
 * continuously and a link is made just before its rename (both change the inode's ctime), also when another
 * instance sharing the staging area is the writer.
 */
final class AbandonedPartials {

    /** Far longer than a copy goes without writing. */
    static final Duration ABANDONED = Duration.ofHours(1);

    static final String PREFIX = ".submit-";
    static final String SUFFIX = ".part";

    private static final Logger log = LoggerFactory.getLogger(AbandonedPartials.class);

    private final Path extracts;
    private final Clock clock;

    AbandonedPartials(Path stagingDir, Clock clock) {
        this.extracts = stagingDir.resolve(ExtractStager.EXTRACTS);
        this.clock = clock;
    }

    /** One round: deletes every abandoned partial copy; returns what it deleted. */
    List<Path> deleteAbandoned() {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(extracts)) {
            return deleted;
        }
        Instant cutoff = clock.instant().minus(ABANDONED);
        try (Stream<Path> files = Files.list(extracts)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && changedBefore(file, cutoff)) {
                    if (Files.deleteIfExists(file)) {
                        deleted.add(file);
                        log.warn(
                                "partial staging copy left by a stopped process deleted path={} reason=\"unchanged"
                                        + " for more than {}\"",
                                file,
                                ABANDONED);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot delete abandoned partial copies in " + extracts + ": " + e.getMessage(), e);
        }
        return deleted;
    }

    private static boolean changedBefore(Path file, Instant cutoff) throws IOException {
        try {
            FileTime changed = (FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            return changed.toInstant().isBefore(cutoff);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no ctime here: the modification time cannot tell (a link keeps its source's), so it is kept
            return false;
        } catch (NoSuchFileException e) {
            return false; // renamed to its final name meanwhile
        }
    }
}
