package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.testsupport.TopicReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = ExtractorIT.Stage.class, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "sf1820.kafka.partitions=1"})
@EmbeddedKafka
class ExtractorIT {

    static final Instant NOW = Instant.parse("2026-03-31T22:30:00Z");

    @TempDir
    static Path staging;

    @TempDir
    Path exports;

    @DynamicPropertySource
    static void stagingDir(DynamicPropertyRegistry registry) {
        registry.add("sf1820.extractor.staging-dir", staging::toString);
    }

    /** The stage as the app runs it, with what the app would provide. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ExtractorConfiguration.class)
    static class Stage {

        @Bean
        FagsystemRegistry fagsystemRegistry() {
            return FagsystemRegistry.standard();
        }

        @Bean
        Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Autowired
    ExtractSubmitter submitter;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    TopicReader<SpecificRecordBase> extractReady;

    @BeforeEach
    void openTopic() {
        extractReady = TopicReader.events(brokers, Topics.EXTRACT_READY.name());
    }

    @AfterEach
    void closeTopic() {
        extractReady.close();
    }

    @Test
    void submittedExtractIsStagedAndAnnouncedOnTheExtractTopic() throws Exception {
        Path file = Files.writeString(exports.resolve("ksd-2026-03.csv"), "cpr;dage\n0101010101;12\n");

        String transferId = submitter.submit(new ExtractRequest("KSD", "561", "M03", file));

        ConsumerRecord<String, SpecificRecordBase> record = extractReady.await(transferId, 1).get(0);
        assertThat(record.value()).isInstanceOf(ExtractReady.class);
        ExtractReady event = (ExtractReady) record.value();
        assertThat(event.getTransferId()).isEqualTo(transferId);
        assertThat(event.getFagsystem()).isEqualTo("KSD");
        assertThat(event.getAuthority()).isEqualTo("0561");
        assertThat(event.getPeriod()).isEqualTo("M03");
        assertThat(event.getOccurredAt()).isEqualTo(NOW);
        assertThat(event.getOriginalFileName()).isEqualTo("ksd-2026-03.csv");
        assertThat(event.getSource()).isEqualTo("submit");
        assertThat(event.getSizeBytes()).isEqualTo(Files.size(file));
        Path staged = Path.of(URI.create(event.getStagedFile()));
        assertThat(staged).startsWith(staging).hasSameBinaryContentAs(file);
    }

    @Test
    void theSameExtractSubmittedTwiceKeepsItsTransferId() throws Exception {
        Path file = Files.writeString(exports.resolve("ky.csv"), "ydelse;beloeb\n1;100\n");

        String first = submitter.submit(new ExtractRequest("KY", "0101", "K1", file));
        String second = submitter.submit(new ExtractRequest("KY", "101", "K1", file));

        assertThat(second).isEqualTo(first);
        List<ConsumerRecord<String, SpecificRecordBase>> records = extractReady.await(first, 2);
        assertThat(records).extracting(r -> ((ExtractReady) r.value()).getSha256()).containsOnly(
                ((ExtractReady) records.get(0).value()).getSha256());
    }
}
