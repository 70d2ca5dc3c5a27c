package dk.sf1820.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ByteProgress;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.testsupport.MutableClock;
import dk.sf1820.testsupport.TopicReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Issue 14: a stage's progress through a file reaches its topic at a bounded rate, at most one record a
 * second per file however fast the bytes come, and always the last, which says the file is done.
 */
class ByteProgressPublisherIT {

    static final EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1, Topics.UPLOAD_PROGRESS.name());
    static DefaultKafkaProducerFactory<String, SpecificRecordBase> producers;

    @BeforeAll
    static void start() {
        kafka.afterPropertiesSet();
        producers = new DefaultKafkaProducerFactory<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                new StringSerializer(),
                new EventSerializer());
    }

    @AfterAll
    static void stop() {
        producers.destroy();
        kafka.destroy();
    }

    @Test
    void publishesAtMostOnceASecondAndAlwaysTheEnd() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        ByteProgressPublisher publisher =
                new ByteProgressPublisher(new KafkaTemplate<>(producers), Topics.UPLOAD_PROGRESS, clock);
        TransferRef transfer = new TransferRef("67e072ec-2db2-4c38-aeb1-a71c135ce566", "KSD", "0561", "M03");
        int total = 10 * 1024 * 1024;
        byte[] chunk = new byte[64 * 1024];

        // When 160 chunks are read, 100 ms apart: 16 s
        try (InputStream in = publisher
                .start(transfer, "KSD_DST_0561_M03_20260302100000.zip", total)
                .counting(new ByteArrayInputStream(new byte[total]))) {
            while (in.read(chunk) > 0) {
                clock.advance(Duration.ofMillis(100));
            }
        }

        // Then one record a second of the clock, the last at the end
        List<ByteProgress> records = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> TopicReader.readAll(kafka.getBrokersAsString(), Topics.UPLOAD_PROGRESS.name()).stream()
                                .map(r -> (ByteProgress) r.value())
                                .toList(),
                        r -> r.stream().anyMatch(p -> p.getBytesDone() == total));
        assertThat(records).hasSize(16);
        for (int i = 1; i < records.size() - 1; i++) {
            assertThat(Duration.between(
                            records.get(i - 1).getOccurredAt(), records.get(i).getOccurredAt()))
                    .isGreaterThanOrEqualTo(ByteProgressPublisher.INTERVAL);
        }
        assertThat(records).allSatisfy(p -> {
            assertThat(p.getTransferId()).isEqualTo(transfer.transferId());
            assertThat(p.getBytesTotal()).isEqualTo(total);
            assertThat(p.getStartedAt()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
        });
        assertThat(records).extracting(ByteProgress::getBytesDone).isSorted().endsWith((long) total);
    }
}
