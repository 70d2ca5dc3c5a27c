package dk.sf1820.extractor.drop;

import dk.sf1820.extractor.DuplicateExtractException;
import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a drop folder that fagsystems (or operators) write their extracts into:
 *
 * <pre>
 * &lt;drop&gt;/&lt;FAGSYSTEM&gt;/&lt;authority&gt;/&lt;period&gt;/&lt;file&gt;     e.g. KSD/0561/M03/sygedagpenge.csv
 * &lt;drop&gt;/processing/&lt;instance&gt;/...                 taken by this instance, being submitted
 * &lt;drop&gt;/refused/&lt;FAGSYSTEM&gt;/.../&lt;file&gt; + &lt;file&gt;.reason   refused, with the reason
 * </pre>
 *
 * A file counts only when complete: a marker {@code <file>.done} next to it, or its size and
 * modification time unchanged for the quiet period. Hidden and temporary files ({@code .part},
 * {@code .tmp}, {@code ~}) are left alone: writers use them for copies in progress.
 *
 * <p>Each file is taken exactly once, also with several instances watching one shared folder: a file
 * is claimed by an atomic rename into this instance's processing folder (rename(2) moves it for
 * exactly one of two competing instances), submitted from there, and only then deleted. What a crash
 * leaves in the processing folder is submitted on the next round: an extract recorded but not announced
 * before the crash is announced now (the recorded event), and one announced just before the crash is
 * recognised by its record (same file, same content) and deleted as done, neither sent twice nor refused.
 */
public class DropFolderWatcher {

    /** What the watcher hands a complete file to: the extractor's submission. */
    @FunctionalInterface
    public interface Intake {
        /**
         * @return the transferId
         * @throws ExtractRefusedException when the extract is refused (the file then goes to {@code refused})
         */
        String submit(ExtractRequest request);
    }

    static final String DONE_MARKER = ".done";
    static final String REASON_SUFFIX = ".reason";
    private static final List<String> TEMPORARY_SUFFIXES = List.of(".part", ".partial", ".filepart", ".tmp", "~");
    private static final int DEPTH = 4;

    private static final Logger log = LoggerFactory.getLogger(DropFolderWatcher.class);

    private final Path root;
    private final Path processing;
    private final Path refused;
    private final DropFolderTree tree;
    private final String instance;
    private final Clock clock;
    private final QuietPeriod quietPeriod;
    private final Intake intake;

    /**
     * @param root the drop folder
     * @param instance this instance's name, stable across its restarts (its processing folder)
     * @param quiet how long a file without a marker must stay unchanged
     */
    public DropFolderWatcher(Path root, String instance, Duration quiet, Clock clock, Intake intake) {
        if (instance == null || !instance.matches("[A-Za-z0-9._-]+") || instance.startsWith(".")) {
            throw new IllegalArgumentException("sf1820.extractor.drop-folder.instance '" + instance
                    + "' must be a plain folder name (letters, digits, . _ -)");
        }
        this.root = root;
        this.processing = root.resolve(DropFolderTree.PROCESSING).resolve(instance);
        this.refused = root.resolve(DropFolderTree.REFUSED);
        this.tree = new DropFolderTree(root);
        this.instance = instance;
        this.clock = clock;
        this.quietPeriod = new QuietPeriod(quiet, clock);
        this.intake = intake;
    }

    /** One round: first what this instance claimed before (a crash, a Kafka outage), then new complete files. */
    public synchronized void poll() throws IOException {
        Files.createDirectories(processing);
        Files.createDirectories(refused);
        for (Path claimed : files(processing, folder -> true)) {
            alone(claimed, () -> submit(claimed, processing.relativize(claimed), true));
        }
        Set<Path> present = new HashSet<>();
        for (Path file : files(root, tree::holdsDrops)) {
            Path relative = root.relativize(file);
            if (ignored(relative)) {
                continue;
            }
            present.add(file);
            alone(file, () -> {
                if (complete(file)) {
                    claim(file, relative);
                }
            });
        }
        quietPeriod.retainOnly(present);
    }

    /** One file's step of a round. */
    @FunctionalInterface
    private interface FileStep {
        void run() throws IOException;
    }

    /**
     * Runs one file's step so that its failure is that file's alone: the round goes on with the next file, and
     * this one is tried again next round. Otherwise a single file the round cannot handle, met first in every
     * round, would hold up every later drop for good.
     */
    private void alone(Path file, FileStep step) {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "drop file not handled, tried again next round file={} instance={} reason=\"{}\"",
                    file,
                    instance,
                    e.toString());
        }
    }

    private static boolean ignored(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        String name = relative.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(DONE_MARKER) || TEMPORARY_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private boolean complete(Path file) throws IOException {
        if (Files.exists(marker(file))) {
            return true;
        }
        try {
            return quietPeriod.settled(file, QuietPeriod.attributes(file));
        } catch (NoSuchFileException e) {
            return false; // taken by another instance or removed by its writer
        }
    }

    private void claim(Path file, Path relative) throws IOException {
        Path claimed = processing.resolve(relative);
        if (Files.exists(claimed)) {
            // A file of the same name is still being submitted; this one waits for the next round.
            log.info("drop file waits for an earlier one of the same name file={} instance={}", file, instance);
            return;
        }
        Files.createDirectories(claimed.getParent());
        try {
            Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return; // another instance claimed it first
        }
        deleteMarker(file);
        log.info("drop file claimed file={} instance={}", file, instance);
        submit(claimed, relative, false);
    }

    /**
     * @param claimedBefore whether the file lay in the processing folder already (a crash or a Kafka outage
     *        interrupted its submission)
     */
    private void submit(Path claimed, Path relative, boolean claimedBefore) throws IOException {
        if (relative.getNameCount() != DEPTH) {
            refuse(
                    claimed,
                    relative,
                    "a dropped file belongs in <FAGSYSTEM>/<authority>/<period>/<file>, "
                            + "e.g. KSD/0561/M03/sygedagpenge.csv; this one was dropped as " + relative);
            return;
        }
        ExtractRequest request = new ExtractRequest(
                relative.getName(0).toString(),
                relative.getName(1).toString(),
                relative.getName(2).toString(),
                claimed);
        try {
            String transferId = intake.submit(request);
            log.info("drop file submitted transferId={} file={} instance={}", transferId, relative, instance);
        } catch (DuplicateExtractException e) {
            if (!claimedBefore || !claimed.toString().equals(e.earlierOrigin())) {
                refuse(claimed, relative, e.getMessage());
                return;
            }
            // This very file was announced, and the process stopped before it could delete it: done, not refused.
            log.info(
                    "drop file announced before a restart transferId={} file={} instance={}",
                    e.earlierTransferId(),
                    relative,
                    instance);
        } catch (ExtractRefusedException e) {
            refuse(claimed, relative, e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.warn(
                    "drop file not submitted yet, retried next round file={} instance={} reason=\"{}\"",
                    relative,
                    instance,
                    e.getMessage());
            return;
        }
        Files.deleteIfExists(claimed);
        deleteEmptyParents(claimed.getParent(), processing);
    }

    private void refuse(Path claimed, Path relative, String reason) throws IOException {
        String dropped = relative.getFileName().toString();
        String name = RefusedName.of(dropped);
        Path target = refused.resolve(relative).resolveSibling(name);
        if (Files.exists(target)) {
            target = target.resolveSibling(name + "." + clock.millis());
        }
        Files.createDirectories(target.getParent());
        String renamed = name.equals(dropped)
                ? ""
                : "dropped as " + dropped + " (kept as " + name + ": the name leaves no room for " + REASON_SUFFIX + ")"
                        + System.lineSeparator();
        Files.writeString(
                target.resolveSibling(target.getFileName() + REASON_SUFFIX),
                reason + System.lineSeparator() + renamed + "refused at " + clock.instant() + " by instance " + instance
                        + System.lineSeparator(),
                StandardCharsets.UTF_8);
        Files.move(claimed, target, StandardCopyOption.ATOMIC_MOVE);
        deleteEmptyParents(claimed.getParent(), processing);
        log.warn("drop file refused file={} movedTo={} reason=\"{}\"", relative, target, reason);
    }

    private static Path marker(Path file) {
        return file.resolveSibling(file.getFileName() + DONE_MARKER);
    }

    private static void deleteMarker(Path file) {
        try {
            Files.deleteIfExists(marker(file));
        } catch (IOException e) {
            // A name at the file system's limit can have no marker; a marker that stays is only clutter.
            log.debug("drop file marker not deleted file={} reason=\"{}\"", file, e.toString());
        }
    }

    private static void deleteEmptyParents(Path dir, Path stop) {
        for (Path d = dir; d != null && d.startsWith(stop) && !d.equals(stop); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                return; // not empty (or gone): leave it
            }
        }
    }

    /** Regular files under a folder, in the folders {@code descend} accepts. */
    private static List<Path> files(Path dir, Predicate<Path> descend) throws IOException {
        List<Path> files = new ArrayList<>();
        DropFolderTree.walk(dir, descend, folder -> {}, files::add);
        return files;
    }
}
