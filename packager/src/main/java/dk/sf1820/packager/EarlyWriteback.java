package dk.sf1820.packager;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes to a file and, every {@code interval} bytes, has a thread of its own ask the disk to take
 * what is written so far ({@code fdatasync}) while compression goes on. The page cache would otherwise
 * hold the whole zip until the final {@code force}, which then waits for all of it (up to a second for
 * a 264 MiB zip on this kind of machine); this way it finds at most the last interval left to write.
 * An extract smaller than one interval never starts the thread.
 */
final class EarlyWriteback extends OutputStream {

    static final long DEFAULT_INTERVAL = 32L * 1024 * 1024;

    private final FileChannel channel;
    private final long interval;
    private long written;
    private long nextFlushAt;
    private ExecutorService flusher;
    private Future<?> pending;

    EarlyWriteback(FileChannel channel, long interval) {
        this.channel = channel;
        this.interval = interval;
        this.nextFlushAt = interval;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        written += length;
        if (written >= nextFlushAt) {
            nextFlushAt = written + interval;
            startFlush();
        }
    }

    /** One flush at a time: a flush still running when the next interval is reached covers less, not nothing. */
    private void startFlush() throws IOException {
        if (pending != null && !pending.isDone()) {
            return;
        }
        awaitFlush();
        if (flusher == null) {
            flusher = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "sf1820-zip-writeback");
                thread.setDaemon(true);
                return thread;
            });
        }
        pending = flusher.submit(() -> {
            channel.force(false);
            return null;
        });
    }

    private void awaitFlush() throws IOException {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the zip was written back to disk");
        } catch (ExecutionException e) {
            throw new IOException("writing the zip back to disk failed: " + e.getCause(), e.getCause());
        } finally {
            pending = null;
        }
    }

    /** Waits for a flush still running and stops the thread; the channel stays open for the final force. */
    @Override
    public void close() throws IOException {
        try {
            awaitFlush();
        } finally {
            if (flusher != null) {
                flusher.shutdown();
            }
        }
    }
}
