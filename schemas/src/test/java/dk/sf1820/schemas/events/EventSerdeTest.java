package dk.sf1820.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ReceiptError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class EventSerdeTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:15:30Z"), ZoneOffset.UTC);
    private final TransferRef ref = new TransferRef("67e072ec-2db2-4c38-aeb1-a71c135ce566", "KSD", "0561", "M03");

    @Test
    void oneTopicCarriesSeveralEventTypesAndEachComesBackAsItself() {
        DeliverySucceeded ok = ref.stamp(new DeliverySucceeded(), clock);
        ok.setFileName("KSD_DST_0561_M03_20260302111530.zip");
        ok.setFileTransferUUID("ca342b89-9c73-48e9-904a-1db31b32a60b");
        DeliveryFailed failed = ref.stamp(new DeliveryFailed(), clock);
        failed.setFileName("KSD_DST_0561_M03_20260302111530.zip");
        failed.setErrors(List.of(new ReceiptError(301, "Size mismatch", "SizeInBytes 10, file has 9")));

        EventSerializer serializer = new EventSerializer();
        EventDeserializer deserializer = new EventDeserializer();
        SpecificRecordBase first = deserializer.deserialize("t", serializer.serialize("t", ok));
        SpecificRecordBase second = deserializer.deserialize("t", serializer.serialize("t", failed));

        assertThat(first).isInstanceOf(DeliverySucceeded.class).isEqualTo(ok);
        assertThat(second).isInstanceOf(DeliveryFailed.class).isEqualTo(failed);
        assertThat(TransferRef.of(second)).isEqualTo(ref);
        assertThat(((DeliveryFailed) second).getOccurredAt()).isEqualTo(clock.instant());
    }

    @Test
    void singleObjectEncodingStartsWithMarkerAndFingerprint() {
        DeliverySucceeded ok = ref.stamp(new DeliverySucceeded(), clock);
        ok.setFileName("x.zip");
        byte[] bytes = new EventSerializer().serialize("t", ok);
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
    }

    @Test
    void bytesThatAreNoEventAreRefusedWithTheTopicAndReason() {
        EventDeserializer deserializer = new EventDeserializer();
        assertThatThrownBy(() -> deserializer.deserialize("sf1820.extract.ready", "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("sf1820.extract.ready")
                .hasMessageContaining("not Avro single-object encoded");
        byte[] unknown = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};
        assertThatThrownBy(() -> deserializer.deserialize("t", unknown))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema fingerprint");
    }

    @Test
    void aMissingRequiredFieldIsNamedWhenWriting() {
        DeliverySucceeded incomplete = ref.stamp(new DeliverySucceeded(), clock);
        assertThatThrownBy(() -> new EventSerializer().serialize("t", incomplete))
                .hasMessageContaining("fileName");
    }
}
