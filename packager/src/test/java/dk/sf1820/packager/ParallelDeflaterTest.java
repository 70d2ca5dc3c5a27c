package dk.sf1820.packager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelDeflaterTest {

    private static final int BLOCK = ParallelDeflater.DICTIONARY_SIZE;

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 7 * BLOCK + 5})
    void inflatesToTheInputAtEveryBlockBoundary(int size) throws Exception {
        byte[] input = rows(size, 1);

        byte[] compressed = deflate(input, 6, 3, BLOCK);

        assertThat(inflate(compressed, input.length)).isEqualTo(input);
    }

    @Test
    void reportsSizesAndCrcAndDigestsEveryByteRead() throws Exception {
        byte[] input = rows(5 * BLOCK + 123, 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");

        ParallelDeflater.Deflated deflated =
                new ParallelDeflater(6, 2, BLOCK).deflate(new ByteArrayInputStream(input), out, digest);

        CRC32 crc = new CRC32();
        crc.update(input);
        assertThat(deflated.inputBytes()).isEqualTo(input.length);
        assertThat(deflated.crc32()).isEqualTo(crc.getValue());
        assertThat(deflated.outputBytes()).isEqualTo(out.size());
        assertThat(digest.digest())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(input));
    }

    @Test
    void sameBytesWhateverTheNumberOfThreads() throws Exception {
        byte[] input = rows(40 * BLOCK + 9, 3);

        byte[] one = deflate(input, 6, 1, BLOCK);

        assertThat(deflate(input, 6, 2, BLOCK)).isEqualTo(one);
        assertThat(deflate(input, 6, 5, BLOCK)).isEqualTo(one);
    }

    @Test
    void blockArraysReusedAcrossTheInputStillCompressEachBlockAgainstItsOwnPredecessor() throws Exception {
        // Every block differs, so a dictionary overwritten by a later block would change the bytes.
        byte[] input = rows(60 * BLOCK + 11, 9);

        byte[] expected = blockByBlock(input, 6, BLOCK);

        assertThat(deflate(input, 6, 1, BLOCK)).isEqualTo(expected);
        assertThat(deflate(input, 6, 2, BLOCK)).isEqualTo(expected);
        assertThat(deflate(input, 6, 4, BLOCK)).isEqualTo(expected);
    }

    @Test
    void theExpectedSizeChangesNoByteWhenTheInputIsLongerOrShorter() throws Exception {
        byte[] input = rows(9 * BLOCK + 17, 10);
        byte[] expected = deflate(input, 6, 2, BLOCK);

        for (long expectedBytes : new long[] {0, 100, BLOCK - 1, BLOCK, 3L * BLOCK, 100L * BLOCK}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new ParallelDeflater(6, 2, BLOCK)
                    .deflate(new ByteArrayInputStream(input), out, MessageDigest.getInstance("SHA-256"), expectedBytes);
            assertThat(out.toByteArray()).as("expected %d bytes", expectedBytes).isEqualTo(expected);
        }
    }

    @Test
    void nearlyAsSmallAsOneDeflateStream() throws Exception {
        byte[] input = rows(8 * 1024 * 1024, 4);

        byte[] parallel = deflate(input, 6, 2, ParallelDeflater.DEFAULT_BLOCK_SIZE);

        Deflater single = new Deflater(6, true);
        single.setInput(input);
        single.finish();
        byte[] buffer = new byte[input.length];
        int singleSize = 0;
        while (!single.finished()) {
            singleSize += single.deflate(buffer);
        }
        single.end();
        assertThat(parallel.length).isLessThanOrEqualTo((int) (singleSize * 1.01));
    }

    @Test
    void levelZeroStoresAndStillInflates() throws Exception {
        byte[] input = rows(3 * BLOCK + 1, 5);

        byte[] compressed = deflate(input, 0, 2, BLOCK);

        assertThat(compressed.length).isGreaterThan(input.length);
        assertThat(inflate(compressed, input.length)).isEqualTo(input);
    }

    /** Semicolon-delimited rows like an extract: repetitive enough to compress, varied enough to be real. */
    static byte[] rows(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size + 100);
        while (text.length() < size) {
            text.append(String.format(
                    "%010d;%04d;%s;%d;%s\n",
                    random.nextInt(1_000_000_000),
                    101 + random.nextInt(800),
                    random.nextBoolean() ? "sygedagpenge" : "ledighed",
                    random.nextInt(365),
                    random.nextInt(3) == 0 ? "afsluttet" : "aktiv"));
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] deflate(byte[] input, int level, int threads, int blockSize) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ParallelDeflater(level, threads, blockSize)
                .deflate(new ByteArrayInputStream(input), out, MessageDigest.getInstance("SHA-256"));
        return out.toByteArray();
    }

    /** The definition, one block after another on fresh arrays: the previous block's last 32 KiB as dictionary. */
    private static byte[] blockByBlock(byte[] input, int level, int blockSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[2 * blockSize + 64];
        for (int start = 0; ; start += blockSize) {
            int length = Math.min(blockSize, input.length - start);
            boolean last = length < blockSize;
            Deflater deflater = new Deflater(level, true);
            if (start > 0) {
                deflater.setDictionary(
                        input, start - ParallelDeflater.DICTIONARY_SIZE, ParallelDeflater.DICTIONARY_SIZE);
            }
            deflater.setInput(input, start, length);
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    out.write(buffer, 0, deflater.deflate(buffer));
                }
            } else {
                out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH));
            }
            deflater.end();
            if (last) {
                return out.toByteArray();
            }
        }
    }

    /** Inflates one whole Deflate stream, which must end exactly at the end of {@code compressed}. */
    static byte[] inflate(byte[] compressed, int expectedSize) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(compressed);
        byte[] out = new byte[expectedSize + 1];
        int n = 0;
        while (!inflater.finished() && n < out.length) {
            int read = inflater.inflate(out, n, out.length - n);
            assertThat(read > 0 || inflater.finished())
                    .as("inflater made progress")
                    .isTrue();
            n += read;
        }
        assertThat(inflater.finished()).as("stream ends with a final block").isTrue();
        assertThat(inflater.getRemaining()).as("nothing after the final block").isZero();
        inflater.end();
        byte[] result = new byte[n];
        System.arraycopy(out, 0, result, 0, n);
        return result;
    }
}
