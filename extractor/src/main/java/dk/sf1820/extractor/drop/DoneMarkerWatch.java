package dk.sf1820.extractor.drop;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts a drop-folder round as soon as a {@code .done} marker appears, instead of at the next poll: with
 * a poll every second that is up to a second more before a 1 GiB extract is claimed, staged and packed.
 *
 * <p>Only a nudge: the poll stays the one that claims files, so a missed event (inotify's queue overflowed,
 * its watch limit reached, a network file system that reports nothing) only means the file waits for the
 * next poll, as before. Files without a marker wait for their quiet period anyway and need no nudge.
 * Linux watches are not recursive, so every folder down to {@code <FAGSYSTEM>/<authority>/<period>} is
 * registered, and folders made later are registered as they appear.
 */
public class DoneMarkerWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DoneMarkerWatch.class);

    /** {@code <dir>/<FAGSYSTEM>/<authority>/<period>}: where dropped files lie. */
    private static final int FOLDER_DEPTH = 3;

    private final Path root;
    private final DropFolderTree tree;
    private final Runnable nudge;
    private final Map<WatchKey, Path> folders = new ConcurrentHashMap<>();
    private volatile WatchService watchService;
    private Thread thread;

    /**
     * @param root the drop folder
     * @param nudge starts a round now (the drop folder's {@code PollSchedule.nudge})
     */
    public DoneMarkerWatch(Path root, Runnable nudge) {
        this.root = root.toAbsolutePath().normalize();
        this.tree = new DropFolderTree(this.root);
        this.nudge = nudge;
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        try {
            Files.createDirectories(root);
            watchService = root.getFileSystem().newWatchService();
            registerTree(root);
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("drop folder not watched, polled only dir={} reason=\"{}\"", root, e.getMessage());
            closeQuietly();
            return;
        }
        WatchService service = watchService;
        thread = new Thread(() -> watch(service), "extractor-drop-folder-watch");
        thread.setDaemon(true);
        thread.start();
        log.info("drop folder watched for .done markers dir={} folders={}", root, folders.size());
    }

    private void watch(WatchService service) {
        try {
            while (true) {
                WatchKey key = service.take();
                try {
                    if (handle(key)) {
                        nudge.run();
                    }
                } catch (RuntimeException e) {
                    if (e instanceof ClosedWatchServiceException) {
                        throw e;
                    }
                    // the poll finds whatever this event was about; the watch goes on
                    log.warn("drop folder event not handled dir={} reason=\"{}\"", root, e.getMessage(), e);
                }
            }
        } catch (ClosedWatchServiceException e) {
            // stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether a round should run now */
    private boolean handle(WatchKey key) {
        Path folder = folders.get(key);
        boolean due = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                // events were lost: whatever they were, a round finds it
                due = true;
                continue;
            }
            if (folder == null) {
                continue;
            }
            Path child = folder.resolve((Path) event.context());
            String name = child.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(DropFolderWatcher.DONE_MARKER)) {
                due = true;
            } else if (event.kind() == ENTRY_CREATE && Files.isDirectory(child) && watched(child)) {
                try {
                    registerTree(child);
                } catch (IOException e) {
                    log.warn("drop folder partly watched, polled only dir={} reason=\"{}\"", child, e.getMessage());
                }
                // a marker written before its folder was registered raised no event here
                due = true;
            }
        }
        if (!key.reset()) {
            folders.remove(key);
        }
        return due;
    }

    private boolean watched(Path dir) {
        return root.relativize(dir).getNameCount() <= FOLDER_DEPTH && tree.holdsDrops(dir);
    }

    private void registerTree(Path top) throws IOException {
        WatchService service = watchService;
        if (service == null) {
            throw new ClosedWatchServiceException();
        }
        DropFolderTree.walk(
                top,
                this::watched,
                folder -> folders.put(folder.register(service, ENTRY_CREATE, ENTRY_MODIFY), folder),
                file -> {});
    }

    @Override
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        closeQuietly();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void closeQuietly() {
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                log.debug("closing the drop folder's watch service failed: {}", e.getMessage());
            }
            watchService = null;
        }
        folders.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return thread != null;
    }
}
