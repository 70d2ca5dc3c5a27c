package dk.sf1820.packager;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.testsupport.TopicReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.ZipFile;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;

class PackagerIT extends PackagerOnABroker {

    @Test
    void extractReadyBecomesAZipOnDiskAndAPackageReady() throws Exception {
        byte[] rows = "bog;udlaan\n1;7\n".getBytes(StandardCharsets.UTF_8);
        ExtractReady extract =
                StagedExtracts.stage(staging, "FBS", "udlaan.csv", rows, Instant.parse("2026-01-15T09:00:00Z"));

        publisher.publish(Topics.EXTRACT_READY, extract);

        try (var packageReady = new TopicReader<>(brokers, Topics.PACKAGE_READY.name(), new EventDeserializer())) {
            SpecificRecordBase event =
                    packageReady.await(extract.getTransferId()).value();
            assertThat(event).isInstanceOf(PackageReady.class);
            PackageReady ready = (PackageReady) event;
            assertThat(ready.getFileName()).isEqualTo("FBS_DST_0561_M03_20260115100000.zip");
            assertThat(ready.getSender()).isEqualTo("FBS_SFTPSIMPEL");
            Path zip = Path.of(URI.create(ready.getPackageRef()));
            assertThat(ready.getSizeBytes()).isEqualTo(Files.size(zip));
            try (ZipFile zipFile = new ZipFile(zip.toFile())) {
                assertThat(zipFile.getInputStream(zipFile.getEntry("udlaan.csv"))
                                .readAllBytes())
                        .isEqualTo(rows);
            }
        }
    }

    @Test
    void extractsOfOnePeriodInTheSameSecondBecomePackagesOfDistinctNamesAndAReplayKeepsItsName() throws Exception {
        // Given three KSD/0561/M03 extracts announced in the same second (issue 10: they shared one name)
        Instant sameSecond = Instant.parse("2026-03-02T07:15:30.250Z");
        List<ExtractReady> burst = new java.util.ArrayList<>();
        for (String name : List.of("a.csv", "b.csv", "c.csv")) {
            burst.add(StagedExtracts.stage(
                    staging, "KSD", name, (name + ";1\n").getBytes(StandardCharsets.UTF_8), sameSecond));
        }

        // When they are published together, and the second is replayed afterwards
        burst.forEach(extract -> publisher.publish(Topics.EXTRACT_READY, extract));
        try (var packageReady = new TopicReader<>(brokers, Topics.PACKAGE_READY.name(), new EventDeserializer())) {
            List<PackageReady> packages = burst.stream()
                    .map(e ->
                            (PackageReady) packageReady.await(e.getTransferId()).value())
                    .toList();
            publisher.publish(Topics.EXTRACT_READY, burst.get(1));
            PackageReady replayed = (PackageReady)
                    packageReady.await(burst.get(1).getTransferId(), 2).get(1).value();

            // Then each has its own SF1820 name, and the replay re-packs to the same name and bytes
            assertThat(packages)
                    .extracting(PackageReady::getFileName)
                    .doesNotHaveDuplicates()
                    .allMatch(n -> n.matches("KSD_DST_0561_M03_202603020815(30|31|32)\\.zip"));
            assertThat(replayed.getFileName()).isEqualTo(packages.get(1).getFileName());
            assertThat(replayed.getSha256()).isEqualTo(packages.get(1).getSha256());
            assertThat(replayed.getPackageRef()).isEqualTo(packages.get(1).getPackageRef());
        }
    }

    @Test
    void recordThatIsNoEventEndsOnTheDeadLetterTopicWithItsReason() {
        byte[] garbage = new byte[64];
        new Random(1820).nextBytes(garbage);
        garbage[0] = 0x00; // never the Avro single-object marker
        String key = "garbage-" + UUID.randomUUID();

        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.EXTRACT_READY.name(), key, garbage));
        }

        try (var dlt = new TopicReader<>(brokers, Topics.EXTRACT_READY.deadLetter(), new ByteArrayDeserializer())) {
            ConsumerRecord<String, byte[]> dead = dlt.await(key);
            assertThat(dead.topic()).isEqualTo("sf1820.extract.ready.dlt");
            assertThat(dead.value()).isEqualTo(garbage);
            // Spring's message header only says "failed to deserialize"; the deserializer's reason is in the trace.
            assertThat(header(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isEqualTo("failed to deserialize");
            assertThat(header(dead, KafkaHeaders.DLT_EXCEPTION_STACKTRACE))
                    .contains("Record on sf1820.extract.ready is not Avro single-object encoded (64 bytes");
        }
    }

    @Test
    void extractWhoseStagedFileChangedEndsOnTheDeadLetterTopicWithoutAPackage() throws Exception {
        ExtractReady extract = StagedExtracts.stage(
                staging, "KP", "pension.csv", "a;b\n".getBytes(), Instant.parse("2026-02-01T08:00:00Z"));
        Files.writeString(Path.of(URI.create(extract.getStagedFile())), "a;c\n");

        publisher.publish(Topics.EXTRACT_READY, extract);

        try (var dlt = new TopicReader<>(brokers, Topics.EXTRACT_READY.deadLetter(), new ByteArrayDeserializer())) {
            ConsumerRecord<String, byte[]> dead = dlt.await(extract.getTransferId());
            assertThat(header(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                    .contains("transferId=" + extract.getTransferId())
                    .contains("no longer matches");
        }
        assertThat(staging.resolve("packages").resolve(extract.getTransferId())).isEmptyDirectory();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
