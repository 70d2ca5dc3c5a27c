package dk.sf1820.receipts.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.kafka.StageHalt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * What a new owner takes from the duties topic: the markers the tracker writes, and nothing else. Garbage
 * and forged records on a sender's partition are skipped, counted and logged, and neither stop the
 * ownership nor suppress a duty.
 */
@EmbeddedKafka(
        partitions = 3,
        topics = DutyMarkersReadIT.TOPIC,
        brokerProperties = {"group.initial.rebalance.delay.ms=0"})
class DutyMarkersReadIT {

    static final String TOPIC = "sf1820.receipt-tracker.duties";
    static final String SENDER = "KSD_SFTPSIMPEL";
    static final String REPORTED = "DEADLINE_NEAR /OUT/a.zip@2026-03-02T00:00:00Z:4";
    static final String REPORTED_LATER = "DEADLINE_NEAR /OUT/b.zip@2026-03-03T00:00:00Z:5";

    @Test
    void garbageAndForgedRecordsOnTheDutiesTopicAreRefusedNotKept(EmbeddedKafkaBroker broker) throws Exception {
        int partition = DutyMarkers.partitionOf(SENDER, 3);
        String otherSender = otherSenderThan(partition);
        String forged = DutyMarkers.key(otherSender, REPORTED);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new StringSerializer())) {
            send(producer, partition, DutyMarkers.key(SENDER, REPORTED), "done");
            send(producer, partition, null, "done");
            send(producer, partition, "\u0000\u00ff garbage \n", "done");
            send(producer, partition, forged, "done"); // another sender's marker, on this sender's partition
            send(producer, partition, DutyMarkers.key(SENDER, "DEADLINE_NEAR /OUT/c.zip@yesterday:1"), "done");
            send(producer, partition, DutyMarkers.key(SENDER, "DEADLINE_NEAR /OUT/d.zip@2026-03-02T00:00:00Z:4"), "x");
            send(producer, partition, DutyMarkers.key(SENDER, "DEADLINE_NEAR /" + "x".repeat(5000) + "@2026"), "done");
            send(producer, partition, DutyMarkers.key(SENDER, REPORTED_LATER), "done");
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        GenericApplicationContext context = new GenericApplicationContext();
        StageHalt halt = new StageHalt(context, status -> {});
        KafkaGroupOwnership ownership = new KafkaGroupOwnership(
                TOPIC,
                "duty-markers-read-it",
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                        "10000"),
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                halt,
                new PipelineMetrics(meters));
        ownership.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(ownership::ready);

            assertThat(ownership.owns(SENDER)).isTrue();
            assertThat(ownership.done(SENDER, REPORTED)).isTrue();
            assertThat(ownership.done(SENDER, REPORTED_LATER)).isTrue();
            assertThat(ownership.done(otherSender, REPORTED))
                    .as("forged on another's partition")
                    .isFalse();
            assertThat(ownership.done(SENDER, "DEADLINE_NEAR /OUT/d.zip@2026-03-02T00:00:00Z:4"))
                    .as("a value other than done")
                    .isFalse();
            assertThat(meters.counter(PipelineMetrics.DUTY_MARKERS_REFUSED).count())
                    .isEqualTo(6);
            assertThat(halt.failure()).isEmpty();
        } finally {
            ownership.stop();
        }
    }

    private static void send(KafkaProducer<String, String> producer, int partition, String key, String value)
            throws Exception {
        producer.send(new ProducerRecord<>(TOPIC, partition, key, value)).get(30, TimeUnit.SECONDS);
    }

    /** A sender whose duties live on another partition than {@code partition}. */
    private static String otherSenderThan(int partition) {
        for (int i = 0; ; i++) {
            String sender = "FORGED_" + i;
            if (DutyMarkers.partitionOf(sender, 3) != partition) {
                return sender;
            }
        }
    }
}
