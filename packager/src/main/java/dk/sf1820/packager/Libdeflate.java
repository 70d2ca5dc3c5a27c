package dk.sf1820.packager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * libdeflate (https://github.com/ebiggers/libdeflate), linked statically into a small JNI library built
 * with the packager where libdeflate's headers are installed (Maven profile {@code libdeflate}; see
 * packager/README.md). At Deflate level 6 it compresses this project's extracts about 1.7 times as fast
 * as zlib on one core and 8 % smaller, which is what lets the packager beat {@code pigz} on equal cores.
 *
 * <p>The library travels inside the jar and is loaded once per JVM from a temporary copy. Where it is
 * not in the jar (another operating system or processor, a build without libdeflate) or cannot be
 * loaded (a {@code noexec} temporary directory), {@link #unavailableReason()} says why, and the packager
 * falls back to zlib unless told to insist.
 */
final class Libdeflate {

    private static final String LIBRARY = "libsf1820deflate.so";

    private Libdeflate() {}

    /** Why the library cannot be used in this JVM, or empty when it is loaded. */
    static Optional<String> unavailableReason() {
        return Optional.ofNullable(Loader.FAILURE);
    }

    /** The libdeflate version compiled in; only where {@link #unavailableReason()} is empty. */
    static String libraryVersion() {
        requireLoaded();
        return version();
    }

    static void requireLoaded() {
        if (Loader.FAILURE != null) {
            throw new IllegalStateException("libdeflate is not available: " + Loader.FAILURE);
        }
    }

    /** The class path resource of the library for this platform, where one is built. */
    static String resourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String platform = (os.contains("linux") ? "linux" : os.replace(' ', '-')) + "-"
                + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch);
        return "native/" + platform + "/" + LIBRARY;
    }

    /** Loads the library at first use; holds why it failed, never throws. */
    private static final class Loader {
        static final String FAILURE = load();

        private static String load() {
            String resource = resourceName();
            try (InputStream in = Libdeflate.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return "this build has no " + resource
                            + " (built without libdeflate's headers, or another platform)";
                }
                Path copy = Files.createTempFile("sf1820deflate-", ".so");
                try {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                    System.load(copy.toAbsolutePath().toString());
                } finally {
                    // Once mapped, the library no longer needs its file.
                    Files.deleteIfExists(copy);
                }
                version();
                return null;
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                return "loading " + resource + " failed: " + e;
            }
        }
    }

    static native String version();

    static native long allocCompressor(int level);

    static native void freeCompressor(long compressor);

    static native long allocTables();

    static native void freeTables(long tables);

    static native int compressBound(long compressor, int length);

    /**
     * Compresses {@code input[0, length)} into {@code output}, which must hold {@link #compressBound} bytes.
     * With {@code last} the Deflate stream ends; otherwise it is left open on a byte boundary so that the
     * next block's stream continues it. Returns the bytes written, or negative: -1 no room, -2 the walk of
     * libdeflate's output failed, -3 bad arguments.
     */
    static native int compress(long compressor, long tables, byte[] input, int length, byte[] output, boolean last);
}
