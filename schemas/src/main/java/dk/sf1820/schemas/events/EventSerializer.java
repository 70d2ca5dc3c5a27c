package dk.sf1820.schemas.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes events in Avro's single-object encoding: a two-byte marker, the schema's 64-bit
 * fingerprint, then the binary record. A reader resolves the schema from the fingerprint without a
 * registry service.
 */
public class EventSerializer implements Serializer<SpecificRecordBase> {

    private final Map<Schema, BinaryMessageEncoder<SpecificRecordBase>> encoders = new ConcurrentHashMap<>();

    @Override
    public byte[] serialize(String topic, SpecificRecordBase event) {
        if (event == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoders.computeIfAbsent(
                            event.getSchema(), s -> new BinaryMessageEncoder<>(SpecificData.get(), s))
                    .encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new SerializationException(
                    "Cannot write " + Events.typeOf(event) + " to " + topic + ": " + e.getMessage(), e);
        }
    }
}
