package dk.sf1820.receipts.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.StageHalt;
import dk.sf1820.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Issue 10: a dead correlation topology in a live process leaves every transfer without an outcome.
 * When an unreadable record cannot even be dead-lettered (here: its dead-letter topic does not exist
 * and the broker creates none), the record is not skipped; the Streams client stops and the process
 * exits with {@link StageHalt#EXIT_CODE} to be restarted.
 */
@EmbeddedKafka(
        partitions = 1,
        topics = {"sf1820.transfer.uploaded", "sf1820.receipt.received", "sf1820.delivery.outcome"},
        brokerProperties = {
            "auto.create.topics.enable=false",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0"
        })
class CorrelationStreamsHaltIT {

    @TempDir
    Path stateDir;

    @Test
    void aRecordThatCannotBeDeadLetteredStopsTheTopologyAndEndsTheProcess(EmbeddedKafkaBroker broker) throws Exception {
        List<Integer> exits = new CopyOnWriteArrayList<>();
        GenericApplicationContext context = new GenericApplicationContext();
        context.refresh();
        StageHalt halt = new StageHalt(context, exits::add);
        Properties config = ReceiptCorrelationTopology.streamsConfig(
                Map.of(
                        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                        StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000),
                "halt-test");
        CorrelationStreams correlation = new CorrelationStreams(
                ReceiptCorrelationTopology.build(Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofDays(35)),
                config,
                halt);
        correlation.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(correlation::ready);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.TRANSFER_UPLOADED.name(), "junk", new byte[] {1, 2, 3}))
                        .get();
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> !exits.isEmpty());
            assertThat(exits).containsExactly(StageHalt.EXIT_CODE);
            assertThat(halt.failure())
                    .hasValueSatisfying(
                            f -> assertThat(f).contains("receipt-tracker").contains("cannot go on"));
            assertThat(correlation.state())
                    .hasValueSatisfying(
                            s -> assertThat(s).isIn(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR));
        } finally {
            correlation.stop();
        }
    }
}
