package dk.sf1820.receipts.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.receipts.TrackerWithoutPlatform;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.testsupport.HostileRecords;
import dk.sf1820.testsupport.SampleEvents;
import dk.sf1820.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Issue 10: garbage on the correlation topology's input topics was skipped without a dead letter.
 * Now each unreadable record lands on {@code <topic>.dlt} with the reason, and the topology goes on.
 */
class CorrelationDeadLettersIT extends TrackerWithoutPlatform {

    @Test
    void garbageOnBothInputTopicsIsDeadLetteredAndTheTopologyGoesOn() throws Exception {
        awaitCorrelationRunning();
        String uploads = Topics.TRANSFER_UPLOADED.name();
        String receipts = Topics.RECEIPT_RECEIVED.name();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(uploads, "junk", "{\"not\":\"avro\"}".getBytes()))
                    .get();
            producer.send(new ProducerRecord<>(
                            uploads, "huge-string", HostileRecords.hugeStringClaim(TransferUploaded.getClassSchema())))
                    .get();
            producer.send(new ProducerRecord<>(
                            receipts, "wrong-type", new EventSerializer().serialize(receipts, extract())))
                    .get();
        }
        TransferRef ref = new TransferRef(UUID.randomUUID().toString(), "KSD", "0561", "M03");
        publisher.publish(Topics.TRANSFER_UPLOADED, uploaded(ref));

        // the good upload after the garbage still gets its one outcome
        SpecificRecordBase outcome = await().atMost(Duration.ofSeconds(30))
                .until(() -> outcomesOf(ref.transferId()), list -> !list.isEmpty())
                .get(0);
        assertThat(outcome).isInstanceOf(DeliveryTimedOut.class);
        try (var dlt = new TopicReader<>(
                broker.getBrokersAsString(), Topics.TRANSFER_UPLOADED.deadLetter(), new ByteArrayDeserializer())) {
            ConsumerRecord<String, byte[]> junk = dlt.await("junk");
            assertThat(header(junk, DeadLetterReason.HEADER)).contains("not Avro single-object encoded");
            assertThat(header(junk, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(uploads);
            assertThat(junk.headers()
                            .lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET)
                            .value())
                    .hasSize(Long.BYTES);
            assertThat(new String(junk.value(), StandardCharsets.UTF_8)).isEqualTo("{\"not\":\"avro\"}");
            assertThat(header(dlt.await("huge-string"), DeadLetterReason.HEADER))
                    .contains("String length 2147483639 exceeds maximum allowed")
                    .contains("at field eventId");
        }
        try (var dlt = new TopicReader<>(
                broker.getBrokersAsString(), Topics.RECEIPT_RECEIVED.deadLetter(), new ByteArrayDeserializer())) {
            assertThat(header(dlt.await("wrong-type"), DeadLetterReason.HEADER))
                    .contains("ExtractReady is not an event of sf1820.receipt.received, which carries ReceiptReceived");
        }
        assertThat(correlation.state()).contains(KafkaStreams.State.RUNNING);
    }

    /**
     * An upload event under another key lands on another partition, so in another task whose store would
     * hold a second state for the transfer and settle it a second time. It is dead-lettered instead.
     */
    @Test
    void anEventNotKeyedByItsTransferIdAndATombstoneAreDeadLetteredAndTheTransferGetsOneOutcome() throws Exception {
        awaitCorrelationRunning();
        String uploads = Topics.TRANSFER_UPLOADED.name();
        TransferRef ref = new TransferRef(UUID.randomUUID().toString(), "KSD", "0561", "M03");
        String otherKey = keyOnAnotherPartition(ref.transferId());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            uploads, otherKey, new EventSerializer().serialize(uploads, uploaded(ref))))
                    .get();
            producer.send(new ProducerRecord<>(uploads, "a-tombstone", null)).get();
        }
        publisher.publish(Topics.TRANSFER_UPLOADED, uploaded(ref));

        try (var dlt = new TopicReader<>(
                broker.getBrokersAsString(), Topics.TRANSFER_UPLOADED.deadLetter(), new ByteArrayDeserializer())) {
            ConsumerRecord<String, byte[]> refused = dlt.await(otherKey);
            assertThat(header(refused, DeadLetterReason.HEADER))
                    .isEqualTo("NonRetryableEventException: Record on sf1820.transfer.uploaded keyed '" + otherKey
                            + "' holds TransferUploaded of transferId '" + ref.transferId()
                            + "': an event's key must be its transferId, so that one partition holds all of a "
                            + "transfer's events");
            assertThat(header(refused, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(uploads);
            assertThat(header(dlt.await("a-tombstone"), DeadLetterReason.HEADER))
                    .isEqualTo("NonRetryableEventException: Record on sf1820.transfer.uploaded keyed 'a-tombstone' "
                            + "has no value (a tombstone): the pipeline's topics carry events only");
        }
        // both would time out within the same few sweeps: held long enough for a second outcome to show
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !outcomesOf(ref.transferId()).isEmpty());
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(60))
                .until(() -> outcomesOf(ref.transferId()).size() == 1);
        assertThat(outcomesOf(ref.transferId())).singleElement().isInstanceOf(DeliveryTimedOut.class);
        assertThat(correlation.state()).contains(KafkaStreams.State.RUNNING);
    }

    /** A key the default partitioner puts on the other of the test's two partitions. */
    private static String keyOnAnotherPartition(String transferId) {
        int home = partitionOf(transferId);
        for (int i = 0; ; i++) {
            String key = "other-key-" + i;
            if (partitionOf(key) != home) {
                return key;
            }
        }
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2;
    }

    @Test
    void garbageOnTheHousekeepingTopicIsDeadLetteredThoughNoStageActsOnIt() throws Exception {
        String housekeeping = Topics.HOUSEKEEPING.name();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(housekeeping, "hk-junk", new byte[] {1, 2, 3}))
                    .get();
            producer.send(new ProducerRecord<>(
                            housekeeping, "hk-wrong-type", new EventSerializer().serialize(housekeeping, extract())))
                    .get();
        }
        try (var dlt = new TopicReader<>(
                broker.getBrokersAsString(), Topics.HOUSEKEEPING.deadLetter(), new ByteArrayDeserializer())) {
            assertThat(header(dlt.await("hk-junk"), DeadLetterReason.HEADER))
                    .contains("not Avro single-object encoded");
            assertThat(header(dlt.await("hk-wrong-type"), DeadLetterReason.HEADER))
                    .contains(
                            "ExtractReady is not an event of sf1820.housekeeping, which carries HousekeepingPerformed");
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static ExtractReady extract() {
        return SampleEvents.extractReady(SampleEvents.ksd("wrong-type"), Clock.systemUTC());
    }

    private static TransferUploaded uploaded(TransferRef ref) {
        return SampleEvents.transferUploaded(ref, "KSD_DST_0561_M03_20260302000002.zip", 3L, Clock.systemUTC());
    }
}
