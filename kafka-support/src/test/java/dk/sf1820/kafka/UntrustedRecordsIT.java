package dk.sf1820.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.testsupport.HostileRecords;
import dk.sf1820.testsupport.SampleEvents;
import dk.sf1820.testsupport.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Issue 10, "Events are input too": records a stage cannot trust go to {@code <topic>.dlt} with a
 * reason naming the rule, and the stage goes on with the next record. The listener stands in for the
 * packager on {@code sf1820.extract.ready}, wired exactly as every stage is.
 */
@SpringBootTest(
        classes = UntrustedRecordsIT.StandInStage.class,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "sf1820.kafka.partitions=1",
            "sf1820.kafka.max-record-size=2KB"
        })
@EmbeddedKafka
class UntrustedRecordsIT {

    private static final String EXTRACT_READY = Topics.EXTRACT_READY.name();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class StandInStage {

        final List<ExtractReady> packaged = new CopyOnWriteArrayList<>();
        final List<Integer> exits = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = "sf1820.extract.ready", groupId = "stand-in-packager")
        void onExtractReady(ExtractReady event) {
            packaged.add(event);
        }

        @Bean
        ProcessExit processExit() {
            return exits::add;
        }

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    StandInStage stage;

    @Autowired
    SimpleMeterRegistry meters;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    private final Clock clock = Clock.systemUTC();

    @Test
    void everyUntrustedRecordIsDeadLetteredWithItsReasonAndTheStageGoesOn() throws Exception {
        EventSerializer serializer = new EventSerializer();
        byte[] good = serializer.serialize(EXTRACT_READY, extract("good"));
        Map<String, byte[]> bad = Map.of(
                // marker, ExtractReady's fingerprint, then eventId's length claimed as 2147483639 bytes
                "oom", HostileRecords.hugeStringClaim(ExtractReady.getClassSchema()),
                "oversized", Arrays.copyOf(good, 4096),
                "truncated", Arrays.copyOf(good, good.length - 7),
                "unknown-fingerprint", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0},
                "wrong-type", serializer.serialize(EXTRACT_READY, succeeded("wrong-type")));

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (var record : bad.entrySet()) {
                producer.send(new ProducerRecord<>(EXTRACT_READY, record.getKey(), record.getValue()))
                        .get();
            }
            producer.send(new ProducerRecord<>(EXTRACT_READY, "good", good)).get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> stage.packaged.size() == 1);
        assertThat(stage.packaged.get(0).getTransferId()).isEqualTo("good");
        try (var dlt = new TopicReader<>(brokers, Topics.EXTRACT_READY.deadLetter(), new ByteArrayDeserializer())) {
            assertThat(reason(dlt.await("oom")))
                    .contains("String length 2147483639 exceeds maximum allowed")
                    .contains("at field eventId")
                    .contains("org.apache.avro.limits.string.maxLength=1048576");
            assertThat(reason(dlt.await("oversized")))
                    .contains("Record on sf1820.extract.ready of 4096 bytes exceeds the 2048-byte limit");
            assertThat(reason(dlt.await("truncated")))
                    .contains("corrupt ExtractReady")
                    .contains("truncated record");
            assertThat(reason(dlt.await("unknown-fingerprint"))).contains("unknown schema fingerprint");
            assertThat(reason(dlt.await("wrong-type")))
                    .contains("DeliverySucceeded is not an event of sf1820.extract.ready, which carries ExtractReady");
            assertThat(dlt.await("oom").value()).hasSize(15);
        }
        assertThat(stage.exits).isEmpty();
        assertThat(meters.get(PipelineMetrics.DEAD_LETTERS)
                        .tag("topic", EXTRACT_READY)
                        .counter()
                        .count())
                .as("dead letters counted for the alert rule Sf1820DeadLetter")
                .isEqualTo(bad.size());
        assertThat(meters.get(PipelineMetrics.DEAD_LETTERS)
                        .tag("topic", Topics.PACKAGE_READY.name())
                        .counter()
                        .count())
                .as("every topic's count exists from the start")
                .isZero();
    }

    /**
     * Events are keyed by their transferId, so one partition holds all of a transfer's: an event under
     * another key (or none) could be acted on by a second consumer beside the first. A tombstone carries no
     * event. Both are dead-lettered with the rule; a forged header claiming a deserialization failure changes
     * nothing about a good event.
     */
    @Test
    void anEventNotKeyedByItsTransferIdAndATombstoneAreDeadLetteredForgedHeadersChangeNothing() throws Exception {
        EventSerializer serializer = new EventSerializer();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            EXTRACT_READY, "other-key", serializer.serialize(EXTRACT_READY, extract("mis-keyed"))))
                    .get();
            producer.send(new ProducerRecord<>(
                            EXTRACT_READY, null, serializer.serialize(EXTRACT_READY, extract("no-key"))))
                    .get();
            producer.send(new ProducerRecord<>(EXTRACT_READY, "tombstone", null))
                    .get();
            ProducerRecord<String, byte[]> forged = new ProducerRecord<>(
                    EXTRACT_READY, "forged-header", serializer.serialize(EXTRACT_READY, extract("forged-header")));
            // what spring-kafka's ErrorHandlingDeserializer writes when it fails: a serialized Java object
            forged.headers()
                    .add("springDeserializerExceptionValue", new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 1, 2, 3});
            forged.headers().add("springDeserializerExceptionKey", "junk".getBytes(StandardCharsets.UTF_8));
            producer.send(forged).get();
            producer.send(new ProducerRecord<>(
                            EXTRACT_READY, "keyed-good", serializer.serialize(EXTRACT_READY, extract("keyed-good"))))
                    .get();
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        stage.packaged.stream().anyMatch(e -> e.getTransferId().equals("keyed-good")));
        assertThat(stage.packaged)
                .extracting(ExtractReady::getTransferId)
                .contains("forged-header")
                .doesNotContain("mis-keyed", "no-key");
        try (var dlt = new TopicReader<>(brokers, Topics.EXTRACT_READY.deadLetter(), new ByteArrayDeserializer())) {
            assertThat(reason(dlt.await("other-key")))
                    .isEqualTo("NonRetryableEventException: Record on sf1820.extract.ready keyed 'other-key' holds "
                            + "ExtractReady of transferId 'mis-keyed': an event's key must be its transferId, so that "
                            + "one partition holds all of a transfer's events");
            assertThat(reason(dlt.await("tombstone"))).contains("has no value");
        }
        // dead-lettered before the good record after it was handed to the stage (one partition, in order)
        assertThat(TopicReader.readAll(brokers, Topics.EXTRACT_READY.deadLetter(), new ByteArrayDeserializer()))
                .filteredOn(r -> r.key() == null)
                .singleElement()
                .satisfies(r -> assertThat(reason(r)).contains("keyed null holds ExtractReady of transferId 'no-key'"));
        assertThat(stage.exits).isEmpty();
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(DeadLetterReason.HEADER).value(), StandardCharsets.UTF_8);
    }

    private ExtractReady extract(String transferId) {
        return SampleEvents.extractReady(SampleEvents.ksd(transferId), clock);
    }

    private DeliverySucceeded succeeded(String transferId) {
        return SampleEvents.deliverySucceeded(SampleEvents.ksd(transferId), clock);
    }
}
