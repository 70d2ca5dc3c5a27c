package dk.sf1820.extractor.drop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides that a file without a {@code .done} marker is complete: its size and modification time
 * stayed unchanged, as this watcher observed them, for the quiet period. Observations live in memory;
 * after a restart a file waits one quiet period again, which delays it but never takes it early.
 */
final class QuietPeriod {

    private record Observation(long size, FileTime modified, Instant since) {}

    private final Duration quiet;
    private final Clock clock;
    private final Map<Path, Observation> observed = new HashMap<>();

    QuietPeriod(Duration quiet, Clock clock) {
        this.quiet = quiet;
        this.clock = clock;
    }

    /** Records what the file looks like now; true once it has looked the same for the quiet period. */
    boolean settled(Path file, BasicFileAttributes attributes) {
        Instant now = clock.instant();
        Observation last = observed.get(file);
        if (last == null
                || last.size() != attributes.size()
                || !last.modified().equals(attributes.lastModifiedTime())) {
            observed.put(file, new Observation(attributes.size(), attributes.lastModifiedTime(), now));
            return quiet.isZero();
        }
        return !now.isBefore(last.since().plus(quiet));
    }

    /** Forgets files that are gone (taken, or removed by their writer). */
    void retainOnly(Set<Path> present) {
        observed.keySet().retainAll(present);
    }

    static BasicFileAttributes attributes(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class);
    }
}
