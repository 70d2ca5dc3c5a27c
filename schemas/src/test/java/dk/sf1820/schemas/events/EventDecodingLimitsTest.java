package dk.sf1820.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.ReceiptError;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 10, "Events are input too": every record is untrusted, and a refusal says what was wrong. */
class EventDecodingLimitsTest {

    private static final String EXTRACT_READY = Topics.EXTRACT_READY.name();
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:15:30Z"), ZoneOffset.UTC);
    private final TransferRef ref = new TransferRef("67e072ec-2db2-4c38-aeb1-a71c135ce566", "KSD", "0561", "M03");
    private final EventDeserializer deserializer = new EventDeserializer();
    private final EventSerializer serializer = new EventSerializer();

    /** 2147483639 is the longest string Avro allows unless limited: the one that used to be allocated. */
    @Test
    void aFifteenByteRecordClaimingA2GiBStringIsRefusedNamingTheFieldAndLimit() {
        byte[] record = header(ExtractReady.class, zigzagVarint(2147483639L));
        assertThat(record).hasSize(15);

        assertThatThrownBy(() -> deserializer.deserialize(EXTRACT_READY, record))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("sf1820.extract.ready")
                .hasMessageContaining("String length 2147483639 exceeds maximum allowed")
                .hasMessageContaining("at field eventId")
                .hasMessageContaining(SystemLimitException.MAX_STRING_LENGTH_PROPERTY + "=1048576");
    }

    @ParameterizedTest
    @ValueSource(longs = {1048577L, 2147483647L, -5L})
    void anyImpossibleStringLengthIsRefusedAtItsField(long claimedLength) {
        byte[] record = header(ExtractReady.class, zigzagVarint(claimedLength));

        assertThatThrownBy(() -> deserializer.deserialize(EXTRACT_READY, record))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("corrupt ExtractReady")
                .hasMessageContaining("at field eventId");
    }

    @Test
    void avrosLimitsAreInForceOnceADeserializerExists() {
        assertThatThrownBy(
                        () -> SystemLimitException.checkMaxStringLength(EventDeserializer.DEFAULT_MAX_RECORD_BYTES + 1))
                .isInstanceOf(SystemLimitException.class);
        assertThatThrownBy(
                        () -> SystemLimitException.checkMaxBytesLength(EventDeserializer.DEFAULT_MAX_RECORD_BYTES + 1))
                .isInstanceOf(SystemLimitException.class);
        assertThatThrownBy(() ->
                        SystemLimitException.checkMaxCollectionLength(EventDeserializer.DEFAULT_MAX_RECORD_BYTES + 1))
                .isInstanceOf(SystemLimitException.class);
    }

    @Test
    void aRecordOverTheSizeLimitIsRefusedUnread() {
        byte[] good = serializer.serialize(EXTRACT_READY, extract());
        byte[] big = Arrays.copyOf(good, EventDeserializer.DEFAULT_MAX_RECORD_BYTES + 1);

        assertThatThrownBy(() -> deserializer.deserialize(EXTRACT_READY, big))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("of 1048577 bytes exceeds the 1048576-byte limit");
        assertThatThrownBy(() -> new EventDeserializer(100).deserialize(EXTRACT_READY, good))
                .hasMessageContaining("exceeds the 100-byte limit");
    }

    @Test
    void theRecordLimitIsConfigurable() {
        EventDeserializer small = new EventDeserializer();
        small.configure(java.util.Map.of(EventDeserializer.MAX_RECORD_BYTES_CONFIG, "64"), false);
        assertThatThrownBy(() -> small.deserialize(EXTRACT_READY, serializer.serialize(EXTRACT_READY, extract())))
                .hasMessageContaining("exceeds the 64-byte limit");
    }

    @Test
    void aTruncatedPayloadNamesTheFieldItBreaksOff() {
        byte[] good = serializer.serialize(EXTRACT_READY, extract());
        byte[] truncated = Arrays.copyOf(good, 20);

        assertThatThrownBy(() -> deserializer.deserialize(EXTRACT_READY, truncated))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("corrupt ExtractReady")
                .hasMessageContaining("truncated record")
                .hasMessageMatching("(?s).*at field \\w+.*")
                .hasMessageNotContaining("null");
    }

    @Test
    void bytesAfterTheEventAreRefused() {
        byte[] good = serializer.serialize(EXTRACT_READY, extract());
        byte[] longer = Arrays.copyOf(good, good.length + 3);

        assertThatThrownBy(() -> deserializer.deserialize(EXTRACT_READY, longer))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("3 bytes follow the end of the event");
    }

    @Test
    void aBrokenFieldInsideAListIsNamedByItsPath() {
        DeliveryFailed failed = ref.stamp(new DeliveryFailed(), clock);
        failed.setFileName("KSD_DST_0561_M03_20260302111530.zip");
        failed.setErrors(List.of(new ReceiptError(301, "Size mismatch", "ZZZZ")));
        byte[] good = serializer.serialize(Topics.DELIVERY_OUTCOME.name(), failed);
        // the description "ZZZZ" is preceded by its length, 4 (zigzag 8); claim 2 GiB instead
        int at = indexOf(good, new byte[] {8, 'Z', 'Z', 'Z', 'Z'});
        ByteArrayOutputStream forged = new ByteArrayOutputStream();
        forged.write(good, 0, at);
        forged.writeBytes(zigzagVarint(Integer.MAX_VALUE));
        forged.write(good, at + 1, good.length - at - 1);

        assertThatThrownBy(() -> deserializer.deserialize(Topics.DELIVERY_OUTCOME.name(), forged.toByteArray()))
                .hasMessageContaining("at field errors.description");
    }

    @Test
    void eachTopicAcceptsOnlyItsOwnEventTypes() {
        List<String> names = List.of(
                Topics.EXTRACT_READY.name(),
                Topics.PACKAGE_READY.name(),
                Topics.TRANSFER_UPLOADED.name(),
                Topics.RECEIPT_RECEIVED.name(),
                Topics.DELIVERY_OUTCOME.name(),
                Topics.HOUSEKEEPING.name(),
                Topics.TRANSFER_PROGRESS.name(),
                "sf1820.package.ready.retry-30000",
                "sf1820.extract.ready.dlt");
        DeliverySucceeded succeeded = succeeded();
        for (String name : names) {
            Topic topic = Topics.byName(name).orElseThrow();
            byte[] record = serializer.serialize(name, succeeded);
            if (topic.carries(DeliverySucceeded.class)) {
                assertThat(deserializer.deserialize(name, record)).isEqualTo(succeeded);
            } else {
                assertThatThrownBy(() -> deserializer.deserialize(name, record))
                        .isInstanceOf(UnreadableEventException.class)
                        .hasMessage("DeliverySucceeded is not an event of " + name + ", which carries "
                                + topic.eventNames());
            }
        }
        assertThatThrownBy(() -> deserializer.deserialize(EXTRACT_READY, serializer.serialize("t", succeeded)))
                .hasMessage("DeliverySucceeded is not an event of sf1820.extract.ready, which carries ExtractReady");
    }

    @Test
    void everyEventTypeIsRefusedOnEveryTopicThatDoesNotCarryIt() throws Exception {
        for (Topic topic : List.of(
                Topics.EXTRACT_READY,
                Topics.PACKAGE_READY,
                Topics.TRANSFER_UPLOADED,
                Topics.RECEIPT_RECEIVED,
                Topics.DELIVERY_OUTCOME,
                Topics.HOUSEKEEPING,
                Topics.TRANSFER_PROGRESS)) {
            for (Class<? extends SpecificRecordBase> type : Events.TYPES) {
                if (!topic.carries(type)) {
                    byte[] record = header(type, new byte[0]);
                    assertThatThrownBy(() -> deserializer.deserialize(topic.name(), record))
                            .as("%s on %s", type.getSimpleName(), topic)
                            .hasMessageStartingWith(type.getSimpleName() + " is not an event of " + topic.name());
                }
            }
        }
    }

    @Test
    void namesOutsideTheContractCarryAnyEvent() {
        byte[] record = serializer.serialize("t", succeeded());
        assertThat(deserializer.deserialize("sf1820-receipt-tracker-sf1820-receipt-correlation-changelog", record))
                .isInstanceOf(DeliverySucceeded.class);
    }

    @Test
    void everyEventTypeComesBackEqualIncludingNullableTimestamps() {
        var state = ref.stamp(new dk.sf1820.schemas.avro.CorrelationState(), clock);
        for (var field : state.getSchema().getFields()) {
            if (field.schema().isUnion()
                    && field.schema().getTypes().stream()
                            .anyMatch(
                                    t -> t.getLogicalType() instanceof org.apache.avro.LogicalTypes.TimestampMillis)) {
                state.put(field.pos(), clock.instant());
            }
        }
        byte[] bytes = serializer.serialize("changelog", state);
        assertThat(deserializer.deserialize("changelog", bytes)).isEqualTo(state);
    }

    private ExtractReady extract() {
        ExtractReady event = ref.stamp(new ExtractReady(), clock);
        event.setStagedFile("file:///staging/extracts/x/a.csv");
        event.setOriginalFileName("a.csv");
        event.setSizeBytes(3);
        event.setSha256("ab".repeat(32));
        event.setSource("submit");
        return event;
    }

    private DeliverySucceeded succeeded() {
        DeliverySucceeded ok = ref.stamp(new DeliverySucceeded(), clock);
        ok.setFileName("KSD_DST_0561_M03_20260302111530.zip");
        return ok;
    }

    private static byte[] header(Class<? extends SpecificRecordBase> type, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(10 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) 0xC3)
                .put((byte) 0x01)
                .putLong(SchemaNormalization.parsingFingerprint64(Events.schemaOf(type)))
                .put(payload);
        return buffer.array();
    }

    private static byte[] zigzagVarint(long value) {
        long n = (value << 1) ^ (value >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
