package dk.sf1820.packager;

/** Which Deflate implementation compresses extracts ({@code sf1820.packager.deflate-library}). */
public enum DeflateLibrary {
    /** libdeflate where this build has it and it loads, zlib otherwise. */
    AUTO,
    /** libdeflate, or the packager does not start: for an operator who counts on its speed. */
    LIBDEFLATE,
    /** zlib, through {@code java.util.zip}: the same bytes as earlier versions wrote. */
    ZLIB;

    /** This choice made concrete for this JVM; {@code LIBDEFLATE} where it cannot load throws, naming why. */
    DeflateLibrary resolve() {
        return switch (this) {
            case AUTO -> Libdeflate.unavailableReason().isEmpty() ? LIBDEFLATE : ZLIB;
            case LIBDEFLATE -> {
                Libdeflate.unavailableReason().ifPresent(reason -> {
                    throw new IllegalStateException("sf1820.packager.deflate-library is libdeflate, but libdeflate"
                            + " cannot be used here: " + reason + "; set it to auto (zlib where libdeflate is"
                            + " missing) or zlib");
                });
                yield LIBDEFLATE;
            }
            case ZLIB -> ZLIB;
        };
    }
}
