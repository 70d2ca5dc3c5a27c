package dk.sf1820.packager;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.testsupport.HostileRecords;
import dk.sf1820.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a 15-byte record on sf1820.extract.ready claiming a 2 GiB string stopped the packager for
 * good (OutOfMemoryError), and a DeliverySucceeded there was ignored yet counted. Both now go to the
 * dead-letter topic with a reason, and the extract published after them is packaged.
 */
class UntrustedExtractReadyIT extends PackagerOnABroker {

    @Test
    void aGoodExtractAfterForgedRecordsIsStillPackaged() throws Exception {
        String topic = Topics.EXTRACT_READY.name();
        DeliverySucceeded forged =
                new TransferRef("forged", "KSD", "0561", "M03").stamp(new DeliverySucceeded(), Clock.systemUTC());
        forged.setFileName("KSD_DST_0561_M03_20260302111530.zip");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            topic, "oom", HostileRecords.hugeStringClaim(ExtractReady.getClassSchema())))
                    .get();
            producer.send(new ProducerRecord<>(topic, "forged", new EventSerializer().serialize(topic, forged)))
                    .get();
        }
        ExtractReady good = StagedExtracts.stage(
                staging,
                "FBS",
                "udlaan.csv",
                "bog;udlaan\n1;7\n".getBytes(StandardCharsets.UTF_8),
                Instant.parse("2026-01-15T09:00:00Z"));
        publisher.publish(Topics.EXTRACT_READY, good);

        try (var packageReady = TopicReader.events(brokers, Topics.PACKAGE_READY.name())) {
            assertThat(packageReady.await(good.getTransferId()).value()).isInstanceOf(PackageReady.class);
        }
        try (var dlt = new TopicReader<>(brokers, Topics.EXTRACT_READY.deadLetter(), new ByteArrayDeserializer())) {
            assertThat(reason(dlt.await("oom")
                            .headers()
                            .lastHeader(DeadLetterReason.HEADER)
                            .value()))
                    .contains("String length 2147483639 exceeds maximum allowed")
                    .contains("at field eventId");
            assertThat(reason(dlt.await("forged")
                            .headers()
                            .lastHeader(DeadLetterReason.HEADER)
                            .value()))
                    .contains("DeliverySucceeded is not an event of sf1820.extract.ready, which carries ExtractReady");
        }
    }

    private static String reason(byte[] header) {
        return new String(header, StandardCharsets.UTF_8);
    }
}
