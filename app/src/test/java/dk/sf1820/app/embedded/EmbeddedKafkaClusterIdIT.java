package dk.sf1820.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster id is base64: one in 64 starts with '-', which the storage tool took for an option and
 * refused ("argument --cluster-id/-t: expected one argument"), so the embedded broker failed to start now
 * and then (seen once in CI). A work directory keeps its id, so such an id must work too.
 */
class EmbeddedKafkaClusterIdIT {

    @TempDir
    Path work;

    @Test
    void aClusterIdStartingWithADashFormatsAndServes() throws Exception {
        Path dir = Files.createDirectories(work.resolve("kafka"));
        String id = "-" + "A".repeat(21); // 16 bytes in URL-safe base64, the first six bits 62 ('-')
        Files.writeString(dir.resolve("cluster.id"), id);

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0).start(Duration.ofSeconds(60));
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isEqualTo(id);
        }
    }
}
