package dk.sf1820.schemas.events;

import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads events written by {@link EventSerializer}, treating every record as untrusted input. The
 * fingerprint in the header picks the event type, so one topic can carry several types (an outcome
 * topic carries three). A record is refused with an {@link UnreadableEventException} whose message is
 * the reason, and the consumer's error handler sends it to the dead-letter topic, when
 * <ul>
 * <li>it is larger than the record limit ({@value #DEFAULT_MAX_RECORD_BYTES} bytes by default, Kafka's
 * own default maximum message size), checked before anything is decoded;</li>
 * <li>it lacks the single-object header or its fingerprint is neither an event's current schema nor one
 * of its released versions ({@link SchemaHistory});</li>
 * <li>its type is not one its topic carries ({@link Topics#byName}; a name outside the contract,
 * such as a Streams changelog, may carry any event);</li>
 * <li>its payload is broken: a string, byte array or collection claiming more than Avro's limits
 * allow (set here to the record limit, see {@link AvroDecodingLimits}), a payload that ends early, or
 * bytes left over after the event.</li>
 * </ul>
 * Whatever the bytes, a decode allocates at most about the record limit per field.
 *
 * <p>The topics are the audit trail and the Streams state store keeps its values for as long as a
 * transfer is open, so a record written by any released version of an event's schema is read as the
 * current version, by Avro's schema resolution: a field added since gets its default.
 */
public class EventDeserializer implements Deserializer<SpecificRecordBase> {

    /** 1 MiB, Kafka's default {@code max.message.bytes}: no event of ours comes near it. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

    /** Consumer or Streams setting that changes the record limit, in bytes. */
    public static final String MAX_RECORD_BYTES_CONFIG = "sf1820.events.max-record-bytes";

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_LENGTH = 10;

    static {
        // before any decode can load Avro's limit class, which reads these properties once
        AvroDecodingLimits.applyDefaults(DEFAULT_MAX_RECORD_BYTES);
    }

    /** How to read the records of one writer schema: as which type, and which version wrote them. */
    private record EventReader(
            Class<?> type, String name, String version, FieldNamingDatumReader<SpecificRecordBase> reader) {}

    private final Map<Long, EventReader> readers = new HashMap<>();
    private int maxRecordBytes;

    public EventDeserializer() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    /** @param maxRecordBytes the largest record read; larger ones are refused unread */
    public EventDeserializer(int maxRecordBytes) {
        limit(maxRecordBytes);
        for (var type : Events.TYPES) {
            Schema current = Events.schemaOf(type);
            long currentFingerprint = SchemaNormalization.parsingFingerprint64(current);
            String currentVersion = "unreleased";
            for (SchemaHistory.Version released : SchemaHistory.of(current.getName())) {
                readers.put(
                        released.fingerprint(),
                        new EventReader(
                                type,
                                current.getName(),
                                released.label(),
                                new FieldNamingDatumReader<>(type, released.schema(), current)));
                if (released.fingerprint() == currentFingerprint) {
                    currentVersion = released.label();
                }
            }
            readers.put(
                    currentFingerprint,
                    new EventReader(
                            type, current.getName(), currentVersion, new FieldNamingDatumReader<>(type, current)));
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object configured = configs.get(MAX_RECORD_BYTES_CONFIG);
        if (configured != null) {
            limit(Integer.parseInt(configured.toString().trim()));
        }
    }

    private void limit(int maxRecordBytes) {
        if (maxRecordBytes < HEADER_LENGTH) {
            throw new IllegalArgumentException(
                    MAX_RECORD_BYTES_CONFIG + " must be at least " + HEADER_LENGTH + " bytes, was " + maxRecordBytes);
        }
        AvroDecodingLimits.requireInForce(Math.max(maxRecordBytes, DEFAULT_MAX_RECORD_BYTES));
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public SpecificRecordBase deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > maxRecordBytes) {
            throw new UnreadableEventException("Record on " + topic + " of " + data.length + " bytes exceeds the "
                    + maxRecordBytes + "-byte limit (" + MAX_RECORD_BYTES_CONFIG + "); it was not decoded");
        }
        if (data.length < HEADER_LENGTH || data[0] != MARKER_0 || data[1] != MARKER_1) {
            throw new UnreadableEventException("Record on " + topic + " is not Avro single-object encoded ("
                    + data.length + " bytes, expected marker C3 01 and an 8-byte schema fingerprint)");
        }
        long fingerprint =
                ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        EventReader reader = readers.get(fingerprint);
        if (reader == null) {
            throw new UnreadableEventException("Record on " + topic + " has unknown schema fingerprint "
                    + Long.toHexString(fingerprint) + "; it is no sf1820 event this version knows (neither a current"
                    + " schema nor a released one)");
        }
        Optional<Topic> contract = Topics.byName(topic);
        if (contract.isPresent() && !contract.get().carries(reader.type())) {
            throw new UnreadableEventException(reader.name() + " is not an event of " + topic + ", which carries "
                    + contract.get().eventNames());
        }
        return decode(topic, data, reader);
    }

    private static SpecificRecordBase decode(String topic, byte[] data, EventReader reader) {
        String corrupt =
                "Record on " + topic + " is a corrupt " + reader.name() + " (schema " + reader.version() + "): ";
        BinaryDecoder payload =
                DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, null);
        SpecificRecordBase event;
        try {
            event = reader.reader().read(null, payload);
        } catch (FieldNamingDatumReader.FieldException e) {
            throw new UnreadableEventException(corrupt + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableEventException(corrupt + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        int left = remaining(payload);
        if (left > 0) {
            throw new UnreadableEventException(corrupt + left + " bytes follow the end of the event");
        }
        return event;
    }

    private static int remaining(BinaryDecoder payload) {
        try {
            return payload.inputStream().available();
        } catch (IOException e) {
            return 0; // an in-memory decoder cannot fail here
        }
    }
}
