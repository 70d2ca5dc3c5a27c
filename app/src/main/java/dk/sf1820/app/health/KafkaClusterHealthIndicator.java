package dk.sf1820.app.health;

import dk.sf1820.schemas.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The Kafka cluster: UP when a broker answers within the timeout and every pipeline topic and its
 * dead-letter topic exists; DOWN naming the missing topics or why the cluster did not answer.
 */
class KafkaClusterHealthIndicator implements HealthIndicator, DisposableBean {

    private final Supplier<Admin> adminFactory;
    private final Duration timeout;
    private final List<String> expectedTopics;
    private Admin admin;

    /** The admin client is made at the first check: one-shot commands, which are never asked, make none. */
    KafkaClusterHealthIndicator(Map<String, Object> adminConfig, Duration timeout) {
        this(
                () -> Admin.create(adminConfig),
                timeout,
                Topics.ALL.stream()
                        .flatMap(t -> Stream.of(t.name(), t.deadLetter()))
                        .toList());
    }

    KafkaClusterHealthIndicator(Supplier<Admin> adminFactory, Duration timeout, List<String> expectedTopics) {
        this.adminFactory = adminFactory;
        this.timeout = timeout;
        this.expectedTopics = expectedTopics;
    }

    @Override
    public synchronized Health health() {
        int millis = Math.toIntExact(timeout.toMillis());
        if (admin == null) {
            admin = adminFactory.get();
        }
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis));
            Collection<Node> nodes = cluster.nodes().get(millis, TimeUnit.MILLISECONDS);
            String clusterId = cluster.clusterId().get(millis, TimeUnit.MILLISECONDS);
            Set<String> present = admin.listTopics(new ListTopicsOptions().timeoutMs(millis))
                    .names()
                    .get(millis, TimeUnit.MILLISECONDS);
            List<String> missing =
                    expectedTopics.stream().filter(t -> !present.contains(t)).toList();
            Health.Builder health =
                    missing.isEmpty() ? Health.up() : Health.down().withDetail("missingTopics", missing);
            return health.withDetail("clusterId", clusterId)
                    .withDetail("brokers", nodes.size())
                    .withDetail("topics", expectedTopics.size() - missing.size())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        } catch (ExecutionException e) {
            return Health.down()
                    .withDetail("error", String.valueOf(e.getCause()))
                    .build();
        } catch (TimeoutException e) {
            return Health.down()
                    .withDetail("error", "no answer from the cluster within " + timeout)
                    .build();
        }
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
