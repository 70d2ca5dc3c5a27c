package dk.sf1820.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The libdeflate path: libdeflate's whole-buffer streams, made continuable by the native walk, must
 * concatenate into one Deflate stream that zlib's inflater reads back to the input, whatever the data
 * (text, runs, random bytes that libdeflate stores), the level and the cuts.
 */
class LibdeflateTest {

    private static final int BLOCK = ParallelDeflater.DICTIONARY_SIZE;

    /** The libraries to test with: zlib always, libdeflate where it loads; a build that has it must load it. */
    static Stream<DeflateLibrary> libraries() {
        return available() ? Stream.of(DeflateLibrary.ZLIB, DeflateLibrary.LIBDEFLATE) : Stream.of(DeflateLibrary.ZLIB);
    }

    static boolean available() {
        if (Boolean.getBoolean("sf1820.libdeflate.built")) {
            assertThat(Libdeflate.unavailableReason())
                    .as("this build compiled libdeflate in, so it must load")
                    .isEmpty();
        }
        return Libdeflate.unavailableReason().isEmpty();
    }

    @BeforeEach
    void onlyWhereBuilt() {
        assumeTrue(
                available(),
                () -> "libdeflate not in this build: "
                        + Libdeflate.unavailableReason().orElseThrow());
    }

    @Test
    void autoChoosesLibdeflateWhereItLoads() {
        assertThat(DeflateLibrary.AUTO.resolve()).isEqualTo(DeflateLibrary.LIBDEFLATE);
        assertThat(Libdeflate.libraryVersion()).matches("\\d+\\.\\d+.*");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 7 * BLOCK + 5})
    void inflatesToTheInputAtEveryBlockBoundary(int size) throws Exception {
        byte[] input = ParallelDeflaterTest.rows(size, 1);

        assertThat(ParallelDeflaterTest.inflate(deflate(input, 6, 3, BLOCK), input.length))
                .isEqualTo(input);
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {0, 1, 4, 6, 9})
    void everyLevelAndKindOfDataInflatesToTheInput(int level) throws Exception {
        Random random = new Random(level);
        byte[] text = ParallelDeflaterTest.rows(3 * BLOCK + 77, level);
        byte[] noise = new byte[3 * BLOCK + 5];
        random.nextBytes(noise);
        byte[] zeros = new byte[5 * BLOCK + 3];
        // Text, then bytes libdeflate can only store, then a run it codes with the longest matches.
        byte[] input = concat(text, noise, zeros, text);

        assertThat(ParallelDeflaterTest.inflate(deflate(input, level, 2, BLOCK), input.length))
                .isEqualTo(input);
    }

    @Test
    void randomCutsOfRandomMixturesInflateToTheInput() throws Exception {
        Random random = new Random(1820);
        for (int round = 0; round < 60; round++) {
            int blockSize = BLOCK + random.nextInt(4 * BLOCK);
            byte[] input = mixture(random, random.nextInt(6 * blockSize));
            int level = 1 + random.nextInt(9);

            byte[] compressed = deflate(input, level, 1 + random.nextInt(3), blockSize);

            assertThat(ParallelDeflaterTest.inflate(compressed, input.length))
                    .as("round %d: %d bytes, blocks of %d, level %d", round, input.length, blockSize, level)
                    .isEqualTo(input);
        }
    }

    @Test
    void sameBytesWhateverTheNumberOfThreads() throws Exception {
        byte[] input = ParallelDeflaterTest.rows(40 * BLOCK + 9, 3);

        byte[] one = deflate(input, 6, 1, BLOCK);

        assertThat(deflate(input, 6, 2, BLOCK)).isEqualTo(one);
        assertThat(deflate(input, 6, 5, BLOCK)).isEqualTo(one);
    }

    @Test
    void smallerThanZlibWithDictionariesAtTheSameLevel() throws Exception {
        byte[] input = ParallelDeflaterTest.rows(8 * 1024 * 1024, 4);

        byte[] libdeflate = deflate(input, 6, 2, ParallelDeflater.DEFAULT_BLOCK_SIZE);
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        new ParallelDeflater(6, 2, ParallelDeflater.DEFAULT_BLOCK_SIZE, DeflateLibrary.ZLIB)
                .deflate(new ByteArrayInputStream(input), zlib, MessageDigest.getInstance("SHA-256"));

        assertThat(libdeflate.length).isLessThan(zlib.size());
    }

    @Test
    void refusesArraysShorterThanTheLengthGiven() {
        long compressor = Libdeflate.allocCompressor(6);
        long tables = Libdeflate.allocTables();
        try {
            assertThat(Libdeflate.compress(compressor, tables, new byte[10], 11, new byte[100], false))
                    .isEqualTo(-3);
            assertThat(Libdeflate.compress(compressor, tables, new byte[10], 10, new byte[6], false))
                    .as("no room for the stream")
                    .isEqualTo(-1);
        } finally {
            Libdeflate.freeCompressor(compressor);
            Libdeflate.freeTables(tables);
        }
    }

    @Test
    void aLevelOutsideZlibsIsRefusedBeforeAnyNativeCall() {
        assertThatThrownBy(() -> new ParallelDeflater(10, 1, BLOCK, DeflateLibrary.LIBDEFLATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..9");
    }

    /** Runs of text, noise and repeated bytes in random lengths. */
    private static byte[] mixture(Random random, int size) {
        byte[] out = new byte[size];
        int at = 0;
        while (at < size) {
            int length = Math.min(size - at, 1 + random.nextInt(3 * BLOCK));
            switch (random.nextInt(3)) {
                case 0 -> System.arraycopy(ParallelDeflaterTest.rows(length, random.nextLong()), 0, out, at, length);
                case 1 -> {
                    byte[] noise = new byte[length];
                    random.nextBytes(noise);
                    System.arraycopy(noise, 0, out, at, length);
                }
                default -> Arrays.fill(out, at, at + length, (byte) random.nextInt(256));
            }
            at += length;
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] input, int level, int threads, int blockSize) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ParallelDeflater(level, threads, blockSize, DeflateLibrary.LIBDEFLATE)
                .deflate(new ByteArrayInputStream(input), out, MessageDigest.getInstance("SHA-256"));
        return out.toByteArray();
    }
}
