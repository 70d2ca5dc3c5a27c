package dk.sf1820.app.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * Who runs the embedded default in a work directory. The first process holds {@code owner.lock}: it
 * starts the emulator (and the broker) and records, in {@code embedded.properties}, how to reach them.
 * A second {@code run} on the same work directory finds the lock taken and joins as instance
 * {@code n} (2, 3, …, holding {@code instances/<n>.lock} so a restart gets the same number): it uses
 * the running broker and emulator, never starts another emulator on the same folders and never
 * rewrites {@code known_hosts}. The locks are the operating system's: they go with their process,
 * even on {@code kill -9}, so a dead owner's successor is the next process to start.
 */
public final class SharedWorkDirectory {

    static final String OWNER_LOCK = "owner.lock";
    static final String RECORD = "embedded.properties";
    private static final int MAX_INSTANCES = 99;

    private final Path workDir;
    private final int instance;
    private final FileLock lock;

    private SharedWorkDirectory(Path workDir, int instance, FileLock lock) {
        this.workDir = workDir;
        this.instance = instance;
        this.lock = lock;
    }

    /** Takes the owner's lock, or else the lowest free instance number from 2. */
    public static SharedWorkDirectory claim(Path workDir) {
        Path dir = workDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir.resolve("instances"));
            FileLock owner = tryLock(dir.resolve(OWNER_LOCK));
            if (owner != null) {
                return new SharedWorkDirectory(dir, 1, owner);
            }
            for (int n = 2; n <= MAX_INSTANCES; n++) {
                FileLock joined = tryLock(dir.resolve("instances").resolve(n + ".lock"));
                if (joined != null) {
                    return new SharedWorkDirectory(dir, n, joined);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock the work directory " + dir, e);
        }
        throw new IllegalStateException(MAX_INSTANCES + " sf1820 processes already run in the work directory " + dir);
    }

    private static FileLock tryLock(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            // this JVM holds it already (a second context in one process, as in tests)
            channel.close();
            return null;
        }
    }

    /** Whether this process owns the work directory's emulator (and broker). */
    public boolean owner() {
        return instance == 1;
    }

    /** 1 for the owner, 2 and up for instances that joined it. */
    public int instance() {
        return instance;
    }

    public Path workDir() {
        return workDir;
    }

    /** What the owner recorded about the running emulator and broker; empty before it recorded anything. */
    public Properties record() {
        Properties record = new Properties();
        Path file = workDir.resolve(RECORD);
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                record.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return record;
    }

    /** The owner records settings a joining instance takes over (the emulator's SFTP accounts, the broker). */
    public void record(Properties settings) {
        if (!owner()) {
            throw new IllegalStateException("only the work directory's owner records its embedded services");
        }
        Path file = workDir.resolve(RECORD);
        try {
            Path temp = Files.createTempFile(workDir, RECORD, ".tmp");
            try (var out = Files.newBufferedWriter(temp)) {
                settings.store(
                        out,
                        "the embedded default's services, written by the instance holding " + OWNER_LOCK
                                + "; a second ./sf1820 run on this work directory reads them");
            }
            Files.move(
                    temp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Releases the lock (the process's end does the same). */
    public void release() {
        try {
            lock.channel().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
