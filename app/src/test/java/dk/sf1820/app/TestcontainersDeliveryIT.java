package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.testsupport.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Issue 13, "Deployment": a delivery through the official {@code apache/kafka} image, the broker that
 * {@code docker-compose.yml} runs, for teams that have Docker. Skipped with a message where no Docker
 * engine runs (as on the project's CI machine, where every other IT uses a real broker started from
 * Maven Central's jars).
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersDeliveryIT {

    @Container
    static final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");

    @TempDir
    Path work;

    @Test
    void anExtractIsDeliveredThroughTheOfficialKafkaImage() throws Exception {
        try (ConfigurableApplicationContext app = Sf1820Application.start(
                List.of(
                        "--sf1820.work-dir=" + work,
                        "--sf1820.embedded.kafka=false",
                        "--spring.kafka.bootstrap-servers=" + kafka.getBootstrapServers(),
                        "--sf1820.embedded.scan-interval=500ms",
                        "--sf1820.receipt-tracker.poll-interval=500ms",
                        "--sf1820.dst-receiver.poll-interval=500ms"),
                Map.of())) {
            Path extract = Files.writeString(work.resolve("ksd.csv"), "sagsnummer;beloeb\nKSD-1;12,50\n");

            String transferId =
                    app.getBean(ExtractSubmitter.class).submit(new ExtractRequest("KSD", "561", "M03", extract));

            await("DeliverySucceeded of " + transferId)
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() ->
                            TopicReader.readAll(kafka.getBootstrapServers(), Topics.DELIVERY_OUTCOME.name()).stream()
                                    .anyMatch(
                                            r -> transferId.equals(r.key()) && r.value() instanceof DeliverySucceeded));
            assertThat(TopicReader.readAll(kafka.getBootstrapServers(), Topics.DELIVERY_OUTCOME.name()))
                    .filteredOn(r -> transferId.equals(r.key()))
                    .hasSize(1);
        }
    }
}
