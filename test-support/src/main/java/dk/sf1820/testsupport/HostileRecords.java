package dk.sf1820.testsupport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** Record values an attacker or a broken producer could put on a topic, for the tests of every stage that reads one. */
public final class HostileRecords {

    /** A zig-zag varint claiming 2147483639 bytes, the largest array a JVM allocates. */
    private static final byte[] HUGE_LENGTH = {(byte) 0xEE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};

    private HostileRecords() {}

    /**
     * Fifteen bytes: the single-object marker, the event's schema fingerprint, and a first string
     * claiming 2147483639 bytes. An unbounded decoder allocates it and dies of OutOfMemoryError.
     */
    public static byte[] hugeStringClaim(Schema event) {
        return withHeader(event, HUGE_LENGTH);
    }

    /** The single-object header of the event's schema (marker C3 01 and fingerprint) before the payload. */
    public static byte[] withHeader(Schema event, byte[] payload) {
        return ByteBuffer.allocate(10 + payload.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0xC3)
                .put((byte) 0x01)
                .putLong(SchemaNormalization.parsingFingerprint64(event))
                .put(payload)
                .array();
    }
}
