package dk.sf1820.schemas.events;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serdes;

/** Serializer and deserializer of pipeline events as one Kafka {@code Serde}, for Kafka Streams. */
public class EventSerde extends Serdes.WrapperSerde<SpecificRecordBase> {

    public EventSerde() {
        super(new EventSerializer(), new EventDeserializer());
    }
}
