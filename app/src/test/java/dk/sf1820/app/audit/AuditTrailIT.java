package dk.sf1820.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.testsupport.HostileRecords;
import dk.sf1820.testsupport.SampleEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Issue 10: a 15-byte record claiming a 2 GiB string made the audit endpoints answer 500 for as long
 * as it stayed, and a DeliverySucceeded on sf1820.extract.ready counted as a succeeded transfer. The
 * audit now reads past what it cannot read, counts none of it as progress, and lists it as needing attention.
 */
@EmbeddedKafka(
        partitions = 1,
        topics = {"sf1820.extract.ready", "sf1820.package.ready", "sf1820.delivery.outcome"})
class AuditTrailIT {

    private final Clock clock = Clock.systemUTC();
    private final EventSerializer serializer = new EventSerializer();

    @Test
    void untrustedRecordsAreReadPastNeverCountedAndNeedAttention(EmbeddedKafkaBroker broker) throws Exception {
        String extractReady = Topics.EXTRACT_READY.name();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(extractReady, "ok", serializer.serialize(extractReady, extract("ok"))))
                    .get();
            producer.send(new ProducerRecord<>(
                            extractReady, "oom", HostileRecords.hugeStringClaim(ExtractReady.getClassSchema())))
                    .get();
            producer.send(new ProducerRecord<>(
                            extractReady, "forged", serializer.serialize(extractReady, succeeded("forged"))))
                    .get();
            producer.send(new ProducerRecord<>(Topics.PACKAGE_READY.name(), "junk", new byte[] {1, 2, 3}))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.DELIVERY_OUTCOME.name(),
                            "ok",
                            serializer.serialize(Topics.DELIVERY_OUTCOME.name(), succeeded("ok"))))
                    .get();
        }
        TransferProjection projection = new TransferProjection(
                new AuditTrail(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString())),
                Duration.ofMillis(500));
        projection.start();
        try {
            TransfersController http = new TransfersController(projection, clock);
            untrustedRecordsAreNoTransfers(http);

            // the projection keeps following: a transfer announced later shows without a replay
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(
                                extractReady, "later", serializer.serialize(extractReady, extract("later"))))
                        .get();
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> http.transfers(null, null, null, "EXTRACTED", null, null).transfers().stream()
                            .anyMatch(t -> t.transferId().equals("later")));
            assertThat(http.transfers("ksd", null, null, "succeeded", null, 1).transfers())
                    .extracting(TransferStatus::transferId)
                    .containsExactly("ok");
        } finally {
            projection.stop();
        }
    }

    private void untrustedRecordsAreNoTransfers(TransfersController http) {
        TransfersController.Status status = http.transfers(null, null, null, null, null, null);

        // the forged and corrupt records are no transfers: they must not inflate the counts
        assertThat(status.counts()).containsExactly(Map.entry(TransferState.SUCCEEDED, 1L));
        assertThat(status.transfers()).extracting(TransferStatus::transferId).containsExactly("ok");
        assertThat(status.attention()).isEmpty();
        assertThat(status.strayRecords()).hasSize(3);
        assertThat(status.strayRecords())
                .filteredOn(r -> r.contains("(key oom)"))
                .singleElement()
                .asString()
                .contains("String length 2147483639 exceeds maximum allowed")
                .contains("at field eventId");
        assertThat(status.strayRecords())
                .filteredOn(r -> r.contains("(key forged)"))
                .singleElement()
                .asString()
                .contains("DeliverySucceeded is not an event of sf1820.extract.ready, which carries ExtractReady");
        assertThat(status.strayRecords())
                .filteredOn(r -> r.contains("(key junk)"))
                .singleElement()
                .asString()
                .startsWith("record sf1820.package.ready@0:0");
        List<TransfersController.Timeline> forged = http.audit("forged");
        assertThat(forged)
                .singleElement()
                .satisfies(t -> assertThat(t.entries())
                        .singleElement()
                        .satisfies(e -> assertThat(e.event()).isEqualTo("Unreadable")));
    }

    private SpecificRecordBase extract(String transferId) {
        return SampleEvents.extractReady(SampleEvents.ksd(transferId), clock);
    }

    private SpecificRecordBase succeeded(String transferId) {
        return SampleEvents.deliverySucceeded(SampleEvents.ksd(transferId), clock);
    }
}
