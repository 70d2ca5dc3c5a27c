package dk.sf1820.schemas.events;

import org.apache.avro.SystemLimitException;

/**
 * Avro's own bounds on what one decode may allocate. Avro reads them from system properties once,
 * when {@link SystemLimitException} is first loaded, and by default lets a string or byte array claim
 * almost 2 GiB: a 15-byte record could make a reader allocate that much before noticing the payload
 * is short. {@link #applyDefaults} sets them before that class loads, unless the JVM was started with
 * them; {@link #requireInForce} proves they took effect.
 */
final class AvroDecodingLimits {

    private AvroDecodingLimits() {}

    /** Sets each limit to {@code bytes} where the JVM was not started with one. Must run before Avro decodes. */
    static void applyDefaults(int bytes) {
        for (String property : new String[] {
            SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
            SystemLimitException.MAX_BYTES_LENGTH_PROPERTY,
            SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY
        }) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, Integer.toString(bytes));
            }
        }
    }

    /**
     * Fails unless strings, byte arrays and collections over {@code ceiling} are refused. They are not
     * when Avro's limit class was loaded before {@link #applyDefaults} ran and the JVM was started
     * without the properties.
     */
    static void requireInForce(long ceiling) {
        require(
                () -> SystemLimitException.checkMaxStringLength(ceiling + 1),
                SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
                ceiling);
        require(
                () -> SystemLimitException.checkMaxBytesLength(ceiling + 1),
                SystemLimitException.MAX_BYTES_LENGTH_PROPERTY,
                ceiling);
        require(
                () -> SystemLimitException.checkMaxCollectionLength(ceiling + 1),
                SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY,
                ceiling);
    }

    /** The limit in force for a property as Avro read it, for reasons that name it. */
    static String describe(String property) {
        return property + "=" + System.getProperty(property, "Avro's default");
    }

    private static void require(Runnable check, String property, long ceiling) {
        try {
            check.run();
        } catch (SystemLimitException expected) {
            return;
        }
        throw new IllegalStateException("Avro's decoding limit " + property + " is not in force: it allows over "
                + ceiling + " items, so one corrupt record could exhaust the heap. Avro loaded its limits before "
                + "sf1820 could set them; start the JVM with -D" + property + "=" + ceiling);
    }
}
