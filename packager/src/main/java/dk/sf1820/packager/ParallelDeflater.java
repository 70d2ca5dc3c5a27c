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
 * the input is cut into fixed-size blocks, each block is compressed on its own worker, and each
 * block's output ends on a byte boundary with an empty stored block, so the outputs simply
 * concatenate; the last block ends the stream. Any inflater reads the result as one ordinary Deflate
 * stream. A block is compressed by zlib, with the previous block's last 32 KiB as preset dictionary
 * (so matches reach back across the cut) and {@code SYNC_FLUSH}; or by libdeflate, on its own, its
 * stream left open by the native side ({@link Libdeflate}; packager/README.md says why both).
 *
 * <p>The output depends only on the input, the level, the library and the block size, never on the
 * number of workers or their timing, so a re-pack writes the same bytes. Memory is bounded: at most
 * {@code 2 × threads} blocks are in flight, whatever the size of the input, and their arrays are
 * reused from block to block rather than allocated per block.
 */
final class ParallelDeflater {

    /** Deflate's window: a match can reach at most this far back, so more dictionary is useless. */
    static final int DICTIONARY_SIZE = 32 * 1024;
    /**
     * Four times pigz's 128 KiB: every block first feeds its 32 KiB of dictionary through zlib's hash
     * chains, work pigz pays once per 128 KiB and this once per 512 KiB; the output is also slightly
     * smaller (fewer cuts and flushes). Not 1 MiB: under -Xmx256m G1's regions are 1 MiB, and an array of
     * 1 MiB takes two of them, one of 512 KiB one. Small enough that an extract of a few MiB keeps both
     * cores busy.
     */
    static final int DEFAULT_BLOCK_SIZE = 512 * 1024;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int level;
    private final int threads;
    private final int blockSize;
    private final DeflateLibrary library;

    /** With zlib, as every Java runtime has it. */
    ParallelDeflater(int level, int threads, int blockSize) {
        this(level, threads, blockSize, DeflateLibrary.ZLIB);
    }

    /** With {@code library}: {@code AUTO} is resolved here, once. */
    ParallelDeflater(int level, int threads, int blockSize, DeflateLibrary library) {
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
        this.library = library.resolve();
    }

    /** The library this deflater compresses with, never {@code AUTO}. */
    DeflateLibrary library() {
        return library;
    }

    /**
     * What was read and written.
     *
     * @param inputBytes bytes read from the input
     * @param crc32 CRC-32 of the bytes read, as the zip entry records it
     * @param outputBytes bytes of Deflate data written
     */
    record Deflated(long inputBytes, long crc32, long outputBytes) {}

    /**
     * Reads {@code in} to its end and writes its compressed form to {@code out}, updating
     * {@code inputDigest} with every byte read. Neither stream is closed.
     */
    Deflated deflate(InputStream in, OutputStream out, MessageDigest inputDigest) throws IOException {
        return deflate(in, out, inputDigest, Long.MAX_VALUE);
    }

    /**
     * As {@link #deflate(InputStream, OutputStream, MessageDigest)}, for an input of about
     * {@code expectedBytes}: a small extract gets arrays of its size, not of a whole block. Only memory
     * depends on it; an input longer than expected is read and compressed all the same.
     */
    Deflated deflate(InputStream in, OutputStream out, MessageDigest inputDigest, long expectedBytes)
            throws IOException {
        int capacity = (int) Math.max(1, Math.min(blockSize, expectedBytes + 1));
        CRC32 crc = new CRC32();
        long inputBytes = 0;
        long outputBytes = 0;
        int maxInFlight = 2 * threads;
        // One compressor per worker, reused between blocks: each holds hundreds of KiB of native memory.
        BlockingQueue<Compressor> compressors = new ArrayBlockingQueue<>(threads);
        for (int i = 0; i < threads; i++) {
            compressors.add(
                    library == DeflateLibrary.LIBDEFLATE
                            ? new LibdeflateCompressor(level, capacity)
                            : new ZlibCompressor(level, capacity));
        }
        ExecutorService workers = Executors.newFixedThreadPool(threads, workerThreads());
        ArrayDeque<Future<Block>> inFlight = new ArrayDeque<>(maxInFlight);
        // Blocks not yet written, the last one written (the next one's dictionary) and the one being read.
        ArrayDeque<byte[]> spare = new ArrayDeque<>(maxInFlight + 1);
        try {
            Block previous = null;
            Block written = null;
            boolean last;
            do {
                byte[] data = spare.isEmpty() ? new byte[capacity] : spare.removeFirst();
                // Read straight into the block: one read call per block, no intermediate buffers.
                int read = in.readNBytes(data, 0, data.length);
                if (read == data.length && data.length < blockSize) {
                    // Longer than expected: the block is a whole block after all, cut where any other is.
                    data = Arrays.copyOf(data, blockSize);
                    read += in.readNBytes(data, read, blockSize - read);
                }
                // A short read is the end; an input of whole blocks ends with an empty final block.
                last = read < blockSize;
                Block block = new Block(data, read);
                inputDigest.update(data, 0, read);
                crc.update(data, 0, read);
                inputBytes += read;
                // A block's array is not refilled before the block after it is compressed too (see below),
                // so the workers may share it as that block's dictionary.
                Block dictionary = previous;
                boolean finish = last;
                inFlight.add(workers.submit(() -> compress(compressors, block, dictionary, finish)));
                previous = block;
                if (inFlight.size() == maxInFlight) {
                    Block next = writeNext(inFlight, out);
                    outputBytes += next.compressedLength;
                    written = release(written, next, spare);
                }
            } while (!last);
            while (!inFlight.isEmpty()) {
                outputBytes += writeNext(inFlight, out).compressedLength;
            }
        } finally {
            inFlight.forEach(future -> future.cancel(true));
            workers.shutdownNow();
            awaitTermination(workers);
            compressors.forEach(Compressor::end);
        }
        return new Deflated(inputBytes, crc.getValue(), outputBytes);
    }

    /**
     * Blocks are written in order, so once {@code next} is written the block before it is no one's input
     * or dictionary any more: its array may be read into again.
     */
    private static Block release(Block before, Block next, ArrayDeque<byte[]> spare) {
        if (before != null) {
            spare.addLast(before.data);
        }
        return next;
    }

    /** One block of input: {@code length} bytes of {@code data}; once compressed, its Deflate bytes too. */
    private static final class Block {
        final byte[] data;
        final int length;
        byte[] compressed;
        int compressedLength;

        Block(byte[] data, int length) {
            this.data = data;
            this.length = length;
        }
    }

    private static Block writeNext(ArrayDeque<Future<Block>> inFlight, OutputStream out) throws IOException {
        Block block;
        try {
            block = inFlight.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compressing a block failed: " + e.getCause(), e.getCause());
        }
        out.write(block.compressed, 0, block.compressedLength);
        return block;
    }

    /** A worker's compressor and its output buffer, reused block after block. */
    private abstract static class Compressor {
        byte[] output;

        /** Compresses {@code block}, which follows {@code previous} (null for the first), into its own array. */
        abstract void compress(Block block, Block previous, boolean finish) throws IOException;

        /** Frees the compressor's native memory; it is not used again. */
        abstract void end();

        final void keep(Block block, int length) {
            // The compressor's buffer goes on to the next block; this one keeps a copy of what it needs.
            block.compressed = Arrays.copyOf(output, length);
            block.compressedLength = length;
        }
    }

    /**
     * zlib, through {@link Deflater}: each block with the previous block's last 32 KiB as preset
     * dictionary, ended by {@code SYNC_FLUSH}, as pigz does.
     */
    private static final class ZlibCompressor extends Compressor {
        final Deflater deflater;

        ZlibCompressor(int level, int inputSize) {
            this.deflater = new Deflater(level, true);
            // Deflate rarely grows data by more than 5 bytes per 16 KiB stored block plus the flush marker.
            this.output = new byte[inputSize + inputSize / 1000 + 64];
        }

        @Override
        void compress(Block block, Block previous, boolean finish) {
            deflater.reset();
            if (previous != null) {
                deflater.setDictionary(previous.data, previous.length - DICTIONARY_SIZE, DICTIONARY_SIZE);
            }
            deflater.setInput(block.data, 0, block.length);
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
            keep(block, length);
        }

        @Override
        void end() {
            deflater.end();
        }
    }

    /**
     * libdeflate ({@link Libdeflate}): each block on its own, without a dictionary, since libdeflate has
     * none; it finds longer matches than zlib at the same level, so the output is still smaller than
     * zlib's with dictionaries. A block that is not the last is left open on a byte boundary by the native
     * side, as {@code SYNC_FLUSH} leaves zlib's.
     */
    private static final class LibdeflateCompressor extends Compressor {
        final long compressor;
        final long tables;

        LibdeflateCompressor(int level, int inputSize) {
            Libdeflate.requireLoaded();
            long allocated = Libdeflate.allocCompressor(level);
            long walkTables = Libdeflate.allocTables();
            if (allocated == 0 || walkTables == 0) {
                Libdeflate.freeCompressor(allocated);
                Libdeflate.freeTables(walkTables);
                throw new OutOfMemoryError("libdeflate could not allocate a compressor of level " + level);
            }
            this.compressor = allocated;
            this.tables = walkTables;
            this.output = new byte[Libdeflate.compressBound(compressor, inputSize)];
        }

        @Override
        void compress(Block block, Block previous, boolean finish) throws IOException {
            int bound = Libdeflate.compressBound(compressor, block.length);
            if (output.length < bound) {
                output = new byte[bound];
            }
            int length = Libdeflate.compress(compressor, tables, block.data, block.length, output, finish);
            if (length < 0) {
                // Never expected: the bound is libdeflate's own, and the walk reads libdeflate's own output.
                throw new IOException("libdeflate failed on a block of " + block.length + " bytes (code " + length
                        + (length == -2 ? ": its output did not walk as a Deflate stream of that length" : "")
                        + ")");
            }
            keep(block, length);
        }

        @Override
        void end() {
            Libdeflate.freeCompressor(compressor);
            Libdeflate.freeTables(tables);
        }
    }

    /** Compresses one block on a free worker's compressor; the block keeps its Deflate bytes. */
    private static Block compress(BlockingQueue<Compressor> compressors, Block block, Block previous, boolean finish)
            throws InterruptedException, IOException {
        Compressor compressor = compressors.take();
        try {
            compressor.compress(block, previous, finish);
            return block;
        } finally {
            compressors.add(compressor);
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
