package dk.sf1820.receipts;

import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.receipts.correlation.CorrelationStreams;
import dk.sf1820.schemas.Topics;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.testsupport.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The tracker's correlation on an embedded broker of the test class's own, without an SFTP server
 * (no receipt ever comes) and with the timeout shortened to seconds, so a test sees outcomes, timeouts
 * and dead letters of the topology in seconds.
 */
@SpringBootTest(
        classes = {TrackerStage.class, TrackerWithoutPlatform.NoSftpAccounts.class},
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "sf1820.kafka.partitions=2",
            "sf1820.receipt-tracker.poll-interval=0",
            "sf1820.receipt-tracker.housekeeping-interval=0",
            "sf1820.receipt-tracker.timeout=2s",
            "sf1820.receipt-tracker.punctuate-interval=200ms",
            "spring.kafka.streams.properties.commit.interval.ms=100"
        })
// the context (and its Streams state) must close before JUnit deletes the temporary directory
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@EmbeddedKafka(
        brokerProperties = {
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0"
        })
public abstract class TrackerWithoutPlatform {

    @TempDir
    protected static Path work;

    @Autowired
    protected CorrelationStreams correlation;

    @Autowired
    protected EventPublisher publisher;

    @Autowired
    protected EmbeddedKafkaBroker broker;

    @DynamicPropertySource
    static void streamsState(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.kafka.streams.state-dir", () -> work.resolve("streams").toString());
    }

    public static class NoSftpAccounts {

        @Bean
        public SftpAccounts sftpAccounts() {
            return new SftpAccounts(List.of());
        }
    }

    protected void awaitCorrelationRunning() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> correlation.state().orElseThrow() == KafkaStreams.State.RUNNING);
    }

    protected List<SpecificRecordBase> outcomesOf(String transferId) {
        return TopicReader.readAll(broker.getBrokersAsString(), Topics.DELIVERY_OUTCOME.name()).stream()
                .filter(r -> transferId.equals(r.key()))
                .map(r -> r.value())
                .toList();
    }
}
