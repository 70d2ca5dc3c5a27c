package dk.sf1820.schemas.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads events written by {@link EventSerializer}. The fingerprint in the header picks the event
 * type, so one topic can carry several types (an outcome topic carries three). Bytes that are not a
 * known event raise a {@link SerializationException} naming the topic and the reason; the consumer's
 * error handler sends them to the dead-letter topic.
 */
public class EventDeserializer implements Deserializer<SpecificRecordBase> {

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_LENGTH = 10;

    private record Decoder(String type, BinaryMessageDecoder<SpecificRecordBase> decoder) {
    }

    private final Map<Long, Decoder> decoders = new HashMap<>();

    public EventDeserializer() {
        for (var type : Events.TYPES) {
            Schema schema = Events.schemaOf(type);
            decoders.put(SchemaNormalization.parsingFingerprint64(schema),
                    new Decoder(schema.getName(), new BinaryMessageDecoder<>(SpecificData.get(), schema)));
        }
    }

    @Override
    public SpecificRecordBase deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < HEADER_LENGTH || data[0] != MARKER_0 || data[1] != MARKER_1) {
            throw new SerializationException("Record on " + topic + " is not Avro single-object encoded ("
                    + data.length + " bytes, expected marker C3 01 and an 8-byte schema fingerprint)");
        }
        long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Decoder decoder = decoders.get(fingerprint);
        if (decoder == null) {
            throw new SerializationException("Record on " + topic + " has unknown schema fingerprint "
                    + Long.toHexString(fingerprint) + "; it is no sf1820 event this version knows");
        }
        try {
            return decoder.decoder().decode(data);
        } catch (Exception e) {
            throw new SerializationException("Record on " + topic + " is a corrupt "
                    + decoder.type() + " payload: " + e.getMessage(), e);
        }
    }
}
