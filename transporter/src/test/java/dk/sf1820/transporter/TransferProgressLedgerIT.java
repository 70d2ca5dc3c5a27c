package dk.sf1820.transporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferProgress;
import dk.sf1820.schemas.avro.TransferStep;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.schemas.events.TransferRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The ledger reads only a transfer's own partition of {@code sf1820.transfer.progress}; these check the
 * guards that keep that from missing a step (and so from writing a second trigger) when the topic's
 * partition count grows: a key's older records then lie on another partition than its newer ones.
 */
@EmbeddedKafka(partitions = 2, topics = "sf1820.transfer.progress")
class TransferProgressLedgerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void stepsRecordedBeforeThePartitionCountGrewAreFoundOnTheKeysOldPartition(
            EmbeddedKafkaBroker broker, @TempDir Path staging) throws Exception {
        // a transfer whose key the default partitioner puts elsewhere under 3 partitions than under 2
        PackageReady moved = eventOnPartitions(staging, 2, 3);
        try (TransferProgressLedger running = ledger(broker);
                TransferProgressLedger otherInstance = ledger(broker)) {
            assertThat(running.lookup(moved.getTransferId())).isEmpty();
            otherInstance.record(moved, TransferStep.TRIGGERED, 10, 1, null);
            assertThat(running.lookup(moved.getTransferId()))
                    .as("a step another instance recorded on the key's partition")
                    .hasValueSatisfying(p -> assertThat(p.getStep()).isEqualTo(TransferStep.TRIGGERED));

            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
                admin.createPartitions(Map.of(Topics.TRANSFER_PROGRESS.name(), NewPartitions.increaseTo(3)))
                        .all()
                        .get();
            }

            try (TransferProgressLedger startedAfter = ledger(broker)) {
                assertThat(startedAfter.lookup(moved.getTransferId()))
                        .as("TRIGGERED on partition %d, the key's partition under 2", partition(moved, 2))
                        .hasValueSatisfying(p -> assertThat(p.getStep()).isEqualTo(TransferStep.TRIGGERED));
            }

            // a producer that knows the new count writes the next step to the key's new partition
            var producers = producerFactory(broker);
            try {
                TransferProgress published = TransferRef.of(moved).stamp(new TransferProgress(), Clock.systemUTC());
                published.setStep(TransferStep.PUBLISHED);
                published.setSender(moved.getSender());
                published.setFileName(moved.getFileName());
                published.setSizeBytes(10L);
                published.setAttempts(1);
                var written = new KafkaTemplate<>(producers)
                        .send(Topics.TRANSFER_PROGRESS.name(), moved.getTransferId(), published)
                        .get();
                assertThat(written.getRecordMetadata().partition()).isEqualTo(partition(moved, 3));
            } finally {
                producers.destroy();
            }
            // the ledger that started under 2 partitions takes the new count in and reads the new partition too
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(running.lookup(moved.getTransferId()))
                            .hasValueSatisfying(p -> assertThat(p.getStep()).isEqualTo(TransferStep.PUBLISHED)));
        }
    }

    private static PackageReady eventOnPartitions(Path staging, int before, int after) throws Exception {
        PackageReady event = Packages.packageReady(
                Packages.stageZip(staging, Packages.fileName("KSD"), 1), Packages.KSD_SENDER, "KSD");
        String transferId;
        do {
            transferId = UUID.randomUUID().toString();
        } while (partition(transferId, before) == partition(transferId, after));
        event.setTransferId(transferId);
        return event;
    }

    private static int partition(PackageReady event, int count) {
        return partition(event.getTransferId(), count);
    }

    /** As Kafka's default partitioner places a keyed record. */
    private static int partition(String key, int count) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % count;
    }

    private static TransferProgressLedger ledger(EmbeddedKafkaBroker broker) {
        var consumers = new DefaultKafkaConsumerFactory<String, SpecificRecordBase>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        // so the running ledger learns of the new partition in this test's time
                        ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                        500),
                new StringDeserializer(),
                new ErrorHandlingDeserializer<>(new EventDeserializer()));
        String name = "ledger-" + UUID.randomUUID();
        return new TransferProgressLedger(
                partition -> consumers.createConsumer(null, name, "-" + partition),
                new EventPublisher(new KafkaTemplate<>(producerFactory(broker))),
                Clock.systemUTC(),
                TIMEOUT);
    }

    private static DefaultKafkaProducerFactory<String, SpecificRecordBase> producerFactory(EmbeddedKafkaBroker broker) {
        return new DefaultKafkaProducerFactory<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new EventSerializer());
    }
}
