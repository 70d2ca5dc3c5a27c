package dk.sf1820.packager;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses a stream into one raw Deflate stream (RFC 1951) on several cores, the way pigz does:
 * the input is cut into fixed-size blocks, each block is compressed on its own worker with the
 * previous block's last 32 KiB as preset dictionary (so matches reach back across the cut and the
 * output is almost as small as a single stream), and each block's output ends on a byte boundary
 * with an empty stored block ({@code SYNC_FLUSH}), so the outputs simply concatenate; the last block
 * ends the stream ({@code FINISH}). Any inflater reads the result as one ordinary Deflate stream.
 *
 * <p>The output depends only on the input, the level and the block size, never on the number of
 * workers or their timing, so a re-pack writes the same bytes. Memory is bounded: at most
 * {@code 2 × threads} blocks are in flight, whatever the size of the input.
 */
final class ParallelDeflater {

    /** Deflate's window: a match can reach at most this far back, so more dictionary is useless. */
    static final int DICTIONARY_SIZE = 32 * 1024;
    /** pigz's default: small enough to keep both cores busy on small extracts, large enough that the per-block flush costs well under 0.1 %. */
    static final int DEFAULT_BLOCK_SIZE = 128 * 1024;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int level;
    private final int threads;
    private final int blockSize;

    ParallelDeflater(int level, int threads, int blockSize) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("deflate level must be 0..9, was " + level);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (blockSize < DICTIONARY_SIZE) {
            throw new IllegalArgumentException("block size must be at least " + DICTIONARY_SIZE + ", was " + blockSize);
        }
        this.level = level;
        this.threads = threads;
        this.blockSize = blockSize;
    }

    /**
     * What was read and written.
     *
     * @param inputBytes bytes read from the input
     * @param crc32 CRC-32 of the bytes read, as the zip entry records it
     * @param outputBytes bytes of Deflate data written
     */
    record Deflated(long inputBytes, long crc32, long outputBytes) {
    }

    /**
     * Reads {@code in} to its end and writes its compressed form to {@code out}, updating
     * {@code inputDigest} with every byte read. Neither stream is closed.
     */
    Deflated deflate(InputStream in, OutputStream out, MessageDigest inputDigest) throws IOException {
        CRC32 crc = new CRC32();
        long inputBytes = 0;
        long outputBytes = 0;
        int maxInFlight = 2 * threads;
        // One Deflater per worker, reset between blocks: creating one allocates ~256 KiB of native memory.
        BlockingQueue<Deflater> deflaters = new ArrayBlockingQueue<>(threads);
        for (int i = 0; i < threads; i++) {
            deflaters.add(new Deflater(level, true));
        }
        ExecutorService workers = Executors.newFixedThreadPool(threads, workerThreads());
        ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>(maxInFlight);
        try {
            byte[] previous = null;
            boolean last;
            do {
                byte[] block = in.readNBytes(blockSize);
                // A short read is the end; an input of whole blocks ends with an empty final block.
                last = block.length < blockSize;
                inputDigest.update(block);
                crc.update(block);
                inputBytes += block.length;
                byte[] dictionary = previous == null ? null
                        : Arrays.copyOfRange(previous, previous.length - DICTIONARY_SIZE, previous.length);
                boolean finish = last;
                inFlight.add(workers.submit(() -> compress(deflaters, block, dictionary, finish)));
                previous = block;
                if (inFlight.size() == maxInFlight) {
                    outputBytes += writeNext(inFlight, out);
                }
            } while (!last);
            while (!inFlight.isEmpty()) {
                outputBytes += writeNext(inFlight, out);
            }
        } finally {
            inFlight.forEach(future -> future.cancel(true));
            workers.shutdownNow();
            awaitTermination(workers);
            deflaters.forEach(Deflater::end);
        }
        return new Deflated(inputBytes, crc.getValue(), outputBytes);
    }

    private static int writeNext(ArrayDeque<Future<byte[]>> inFlight, OutputStream out) throws IOException {
        byte[] compressed;
        try {
            compressed = inFlight.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compressing a block failed: " + e.getCause(), e.getCause());
        }
        out.write(compressed);
        return compressed.length;
    }

    private static byte[] compress(BlockingQueue<Deflater> deflaters, byte[] block, byte[] dictionary, boolean finish)
            throws InterruptedException {
        Deflater deflater = deflaters.take();
        try {
            deflater.reset();
            if (dictionary != null) {
                deflater.setDictionary(dictionary);
            }
            deflater.setInput(block);
            // Deflate rarely grows data by more than 5 bytes per 16 KiB stored block plus the flush marker.
            byte[] output = new byte[block.length + block.length / 1000 + 64];
            int length = 0;
            if (finish) {
                deflater.finish();
                while (!deflater.finished()) {
                    output = roomFor(output, length);
                    length += deflater.deflate(output, length, output.length - length);
                }
            } else {
                int written;
                do {
                    output = roomFor(output, length);
                    written = deflater.deflate(output, length, output.length - length, Deflater.SYNC_FLUSH);
                    length += written;
                    // Deflater's contract: a flush that filled the whole buffer may have more to say.
                } while (length == output.length);
            }
            return length == output.length ? output : Arrays.copyOf(output, length);
        } finally {
            deflaters.add(deflater);
        }
    }

    private static byte[] roomFor(byte[] output, int length) {
        return length < output.length ? output : Arrays.copyOf(output, output.length * 2);
    }

    private static ThreadFactory workerThreads() {
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "sf1820-deflate-" + pool + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void awaitTermination(ExecutorService workers) throws InterruptedIOException {
        try {
            // Deflaters may only be ended once no worker uses them; a block takes milliseconds.
            if (!workers.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new IllegalStateException("deflate workers did not stop within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while stopping deflate workers");
        }
    }
}
