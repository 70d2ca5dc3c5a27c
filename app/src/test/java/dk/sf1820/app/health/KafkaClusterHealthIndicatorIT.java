package dk.sf1820.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.app.embedded.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The Kafka part of health against a real broker (sf1820's embedded one, a child JVM) that this test
 * starts, stops and starts again on the same data: DOWN without its topics, UP with them, DOWN while
 * the broker is away, UP once it is back.
 */
class KafkaClusterHealthIndicatorIT {

    private static final List<String> TOPICS = List.of("sf1820.health-test", "sf1820.health-test.dlt");

    @TempDir
    Path work;

    @Test
    void downWithoutTheClusterOrItsTopicsUpWithBoth() throws Exception {
        Path dir = work.resolve("kafka");
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0).start(Duration.ofSeconds(60));
        String bootstrap = broker.bootstrapServers();
        KafkaClusterHealthIndicator indicator = new KafkaClusterHealthIndicator(
                () -> Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)),
                Duration.ofSeconds(5),
                TOPICS);
        try {
            Health missing = indicator.health();
            assertThat(missing.getStatus()).isEqualTo(Status.DOWN);
            assertThat(missing.getDetails())
                    .containsEntry("missingTopics", TOPICS)
                    .containsEntry("brokers", 1);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(TOPICS.stream()
                                .map(t -> new NewTopic(t, 1, (short) 1))
                                .toList())
                        .all()
                        .get();
            }
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            broker.close();
            Health gone = indicator.health();
            assertThat(gone.getStatus()).isEqualTo(Status.DOWN);
            assertThat(gone.getDetails().get("error")).asString().isNotBlank();

            broker = new EmbeddedKafkaBroker(dir, 0).start(Duration.ofSeconds(60));
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            // the broker's own log goes to the rolling kafka.log, the JVM's console to its own file
            assertThat(Files.readString(work.resolve("logs/kafka.log"))).contains("INFO");
        } finally {
            indicator.destroy();
            broker.close();
        }
    }
}
