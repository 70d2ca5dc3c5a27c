package dk.sf1820.receipts.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.receipts.ReceiptTrackerConfiguration;
import dk.sf1820.receipts.ReceiptTrackerProperties;
import dk.sf1820.receipts.TopicContents;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.testsupport.TopicReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A transfer whose receipt never comes times out exactly once, on a real broker with the wall clock
 * (the tracker's timeout shortened to seconds; no SFTP server is needed for a receipt that never comes).
 */
@SpringBootTest(classes = ReceiptTimeoutIT.TrackerApp.class, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "sf1820.kafka.partitions=2",
        "sf1820.receipt-tracker.poll-interval=0",
        "sf1820.receipt-tracker.housekeeping-interval=0",
        "sf1820.receipt-tracker.timeout=2s",
        "sf1820.receipt-tracker.punctuate-interval=200ms",
        "spring.kafka.streams.properties.commit.interval.ms=100"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@EmbeddedKafka(brokerProperties = {
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0"})
class ReceiptTimeoutIT {

    @TempDir
    static Path work;

    @Autowired
    CorrelationStreams correlation;
    @Autowired
    EventPublisher publisher;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    ReceiptTrackerProperties properties;

    @DynamicPropertySource
    static void streamsState(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.streams.state-dir", () -> work.resolve("streams").toString());
    }

    @Test
    void uploadWithoutReceiptTimesOutExactlyOnce() throws Exception {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> correlation.state().orElseThrow() == KafkaStreams.State.RUNNING);
        TransferRef ref = new TransferRef(UUID.randomUUID().toString(), "KSD", "0561", "M03");
        TransferUploaded uploaded = ref.stamp(new TransferUploaded(), Clock.systemUTC());
        uploaded.setSender("KSD_SFTPSIMPEL");
        uploaded.setFileName("KSD_DST_0561_M03_20260302000001.zip");
        uploaded.setRemoteDataPath("/OUT/KSD_DST_0561_M03_20260302000001.zip");
        uploaded.setRemoteTriggerPath("/OUT/KSD_DST_0561_M03_20260302000001.zip.trigger");
        uploaded.setSizeBytes(3L);
        uploaded.setDurationMillis(1L);
        uploaded.setServer("127.0.0.1:22");

        publisher.publish(Topics.TRANSFER_UPLOADED, uploaded);

        SpecificRecordBase outcome = await().atMost(Duration.ofSeconds(30))
                .until(() -> outcomesOf(ref.transferId()), list -> !list.isEmpty()).get(0);
        assertThat(outcome).isInstanceOfSatisfying(DeliveryTimedOut.class, t -> {
            assertThat(TransferRef.of(t)).isEqualTo(ref);
            assertThat(t.getWaitedMillis()).isGreaterThanOrEqualTo(properties.timeout().toMillis());
        });
        // several more sweeps pass; the settled transfer must not time out again
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() -> TopicContents.lag(
                broker.getBrokersAsString(), properties.applicationId(), List.of(Topics.TRANSFER_UPLOADED.name())) == 0);
        assertThat(outcomesOf(ref.transferId())).hasSize(1);
    }

    private List<SpecificRecordBase> outcomesOf(String transferId) {
        return TopicReader.readAll(broker.getBrokersAsString(), Topics.DELIVERY_OUTCOME.name()).stream()
                .filter(r -> transferId.equals(r.key())).map(r -> r.value()).toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReceiptTrackerConfiguration.class)
    static class TrackerApp {

        @Bean
        SftpAccounts sftpAccounts() {
            return new SftpAccounts(List.of());
        }
    }
}
