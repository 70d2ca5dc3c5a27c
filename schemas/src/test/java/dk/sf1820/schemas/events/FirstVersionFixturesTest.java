package dk.sf1820.schemas.events;

import static dk.sf1820.schemas.events.tools.FixtureValues.ERROR_CODE;
import static dk.sf1820.schemas.events.tools.FixtureValues.FILE_NAME;
import static dk.sf1820.schemas.events.tools.FixtureValues.LATER;
import static dk.sf1820.schemas.events.tools.FixtureValues.OCCURRED_AT;
import static dk.sf1820.schemas.events.tools.FixtureValues.ROW_COUNT;
import static dk.sf1820.schemas.events.tools.FixtureValues.SHA256;
import static dk.sf1820.schemas.events.tools.FixtureValues.SIZE_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.CorrelationState;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferProgress;
import dk.sf1820.schemas.avro.TransferStep;
import dk.sf1820.schemas.events.tools.FixtureValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the topics are kept for years, so the events the first released schemas wrote (committed
 * bytes, {@code fixtures/v1}) must stay readable by today's code, with every field they carried and a
 * default for every field added since; and what today's code writes stays readable by a reader of v1.
 */
class FirstVersionFixturesTest {

    /** A Kafka Streams changelog: where the receipt tracker's state store keeps CorrelationState. */
    static final String CORRELATION_CHANGELOG = "sf1820-receipt-tracker-sf1820-receipt-correlation-changelog";

    private final EventDeserializer deserializer = new EventDeserializer();

    @Test
    void everyEventWrittenByV1IsReadWithEveryFieldItCarried() {
        for (var type : Events.TYPES) {
            String event = Events.schemaOf(type).getName();
            SpecificRecordBase read = deserializer.deserialize(topicOf(type), fixture(1, event));

            assertThat(read).as(event).isInstanceOf(type);
            assertThat(TransferRef.of(read))
                    .as(event)
                    .isEqualTo(new TransferRef(
                            FixtureValues.TRANSFER_ID,
                            FixtureValues.FAGSYSTEM,
                            FixtureValues.AUTHORITY,
                            FixtureValues.PERIOD));
            assertThat(read.get("eventId")).as(event).isEqualTo(FixtureValues.eventId(event));
            assertThat(read.get("occurredAt")).as(event).isEqualTo(OCCURRED_AT);
            for (Schema.Field field : SchemaHistory.of(event).get(0).schema().getFields()) {
                assertThat(read.get(field.name()))
                        .as("%s.%s as v1 wrote it", event, field.name())
                        .isNotNull();
            }
        }
    }

    @Test
    void anExtractReadyOfV1GetsTheDefaultOfEveryFieldAddedSince() {
        ExtractReady extract =
                (ExtractReady) deserializer.deserialize(Topics.EXTRACT_READY.name(), fixture(1, "ExtractReady"));

        assertThat(extract.getStagedFile()).endsWith("/" + FixtureValues.TRANSFER_ID + "/sygedage.csv");
        assertThat(extract.getOriginalFileName()).isEqualTo("sygedage.csv");
        assertThat(extract.getSizeBytes()).isEqualTo(SIZE_BYTES);
        assertThat(extract.getSha256()).isEqualTo(SHA256);
        assertThat(extract.getRowCount()).isEqualTo(ROW_COUNT);
        assertThat(extract.getDataset()).isEqualTo("ksd-sygedagpenge");
        assertThat(extract.getSource()).isEqualTo("query");
        for (Schema.Field added : ExtractReady.getClassSchema().getFields()) {
            if (SchemaHistory.of("ExtractReady").get(0).schema().getField(added.name()) == null) {
                assertThat(extract.get(added.name()))
                        .as("ExtractReady.%s, added after v1", added.name())
                        .isEqualTo(
                                added.defaultVal() == org.apache.avro.JsonProperties.NULL_VALUE
                                        ? null
                                        : added.defaultVal());
            }
        }
    }

    @Test
    void nestedRecordsListsAndEnumsOfV1AreRead() {
        PackageReady packaged =
                (PackageReady) deserializer.deserialize(Topics.PACKAGE_READY.name(), fixture(1, "PackageReady"));
        DeliveryFailed failed =
                (DeliveryFailed) deserializer.deserialize(Topics.DELIVERY_OUTCOME.name(), fixture(1, "DeliveryFailed"));
        TransferProgress progress = (TransferProgress)
                deserializer.deserialize(Topics.TRANSFER_PROGRESS.name(), fixture(1, "TransferProgress"));

        assertThat(packaged.getFileName()).isEqualTo(FILE_NAME);
        assertThat(packaged.getRecipients()).containsExactly("DST-CEMOS-SFTPUsername");
        assertThat(packaged.getContentType()).isEqualTo("SF1820_KSD");
        assertThat(failed.getErrors()).singleElement().satisfies(e -> {
            assertThat(e.getCode()).isEqualTo(ERROR_CODE);
            assertThat(e.getDescription()).isEqualTo("SizeInBytes 4096, file has 4095");
        });
        assertThat(progress.getStep()).isEqualTo(TransferStep.DATA_UPLOADED);
    }

    @Test
    void anExtractReadyOfV2CarriesItsEncoding() {
        ExtractReady extract =
                (ExtractReady) deserializer.deserialize(Topics.EXTRACT_READY.name(), fixture(2, "ExtractReady"));

        assertThat(extract.getEncoding()).isEqualTo("ISO-8859-1");
        assertThat(extract.getSha256()).isEqualTo(SHA256);
    }

    /**
     * Forward: a service that still reads with v1 (another team's, or ours before an upgrade) reads what
     * today's code writes, with nothing but the released .avsc files and any Avro single-object decoder.
     */
    @Test
    void aReaderOfV1ReadsTodaysExtractReadyFromTheReleasedSchemasAlone() throws IOException {
        List<SchemaHistory.Version> released = SchemaHistory.of("ExtractReady");
        byte[] today = fixture(released.size(), "ExtractReady");
        BinaryMessageDecoder<GenericRecord> v1Reader =
                new BinaryMessageDecoder<>(GenericData.get(), released.get(0).schema());
        released.forEach(version -> v1Reader.addSchema(version.schema()));

        GenericRecord read = v1Reader.decode(today);

        assertThat(read.getSchema().getField("encoding")).isNull();
        assertThat(read.get("sha256")).hasToString(SHA256);
        assertThat(read.get("rowCount")).isEqualTo(ROW_COUNT);
    }

    /** The receipt tracker's store reads its values with this deserializer, from its changelog when restoring. */
    @Test
    void theCorrelationStoreReadsStateItsV1Wrote() {
        var store = new EventSerde().deserializer();

        CorrelationState state =
                (CorrelationState) store.deserialize(CORRELATION_CHANGELOG, fixture(1, "CorrelationState"));

        assertThat(state.getUploadedAt()).isEqualTo(LATER);
        assertThat(state.getOutcome()).isEqualTo("FAILED");
        assertThat(state.getReceipt().getErrors())
                .singleElement()
                .satisfies(e -> assertThat(e.getCode()).isEqualTo(ERROR_CODE));
    }

    @Test
    void aFingerprintOfNoReleasedVersionIsStillRefusedNamingIt() {
        byte[] v1 = fixture(1, "ExtractReady");
        Schema unreleased = new Schema.Parser()
                .parse(SchemaHistory.of("ExtractReady")
                        .get(0)
                        .schema()
                        .toString()
                        .replace("\"name\":\"ExtractReady\"", "\"name\":\"ExtractReadyDraft\""));
        long fingerprint = SchemaNormalization.parsingFingerprint64(unreleased);
        ByteBuffer.wrap(v1, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint);

        assertThatThrownBy(() -> deserializer.deserialize(Topics.EXTRACT_READY.name(), v1))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessage(
                        "Record on sf1820.extract.ready has unknown schema fingerprint " + Long.toHexString(fingerprint)
                                + "; it is no sf1820 event this version knows (neither a current schema nor a released one)");
    }

    static String topicOf(Class<?> type) {
        for (Topic topic : List.of(
                Topics.EXTRACT_READY,
                Topics.PACKAGE_READY,
                Topics.TRANSFER_UPLOADED,
                Topics.RECEIPT_RECEIVED,
                Topics.DELIVERY_OUTCOME,
                Topics.HOUSEKEEPING,
                Topics.OPERATOR_ACTIONS,
                Topics.TRANSFER_PROGRESS)) {
            if (topic.carries(type)) {
                return topic.name();
            }
        }
        return CORRELATION_CHANGELOG;
    }

    /** The committed bytes of an event as the version wrote it. */
    static byte[] fixture(int version, String event) {
        String resource = "/fixtures/v" + version + "/" + event + ".bin";
        try (InputStream in = FirstVersionFixturesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("fixture %s", resource).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
