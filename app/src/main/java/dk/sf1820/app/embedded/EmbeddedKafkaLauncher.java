package dk.sf1820.app.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the embedded Kafka broker (or {@code sf1820.embedded.kafka-brokers} of them as one cluster)
 * before any Kafka client bean exists and points {@code spring.kafka.bootstrap-servers} at it, when
 * {@code sf1820.embedded.kafka} is true (the default). Brokers already serving the work directory's
 * ports (another sf1820 process) are reused.
 * The broker is stopped after every other bean, so clients close cleanly. Its listener is secured as
 * {@code sf1820.embedded.kafka-security.*} says, and must speak the clients' protocol
 * ({@code spring.kafka.security.protocol}).
 */
public class EmbeddedKafkaLauncher implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaLauncher.class);

    private EmbeddedKafkaCluster broker;
    private SharedWorkDirectory workDirectory;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            boolean longRunning = prepared.getSpringApplication().getWebApplicationType() != WebApplicationType.NONE;
            workDirectory = EmbeddedInstances.claim(prepared.getEnvironment(), longRunning);
            start(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent prepared
                && prepared.getApplicationContext() instanceof GenericApplicationContext context) {
            if (broker != null) {
                context.getBeanFactory().registerSingleton("embeddedKafkaBroker", broker);
                context.getDefaultListableBeanFactory().registerDisposableBean("embeddedKafkaBroker", broker::close);
            }
            if (workDirectory != null) {
                context.getBeanFactory().registerSingleton("sharedWorkDirectory", workDirectory);
                context.getDefaultListableBeanFactory()
                        .registerDisposableBean("sharedWorkDirectory", workDirectory::release);
            }
        } else if (event instanceof ApplicationFailedEvent && workDirectory != null) {
            workDirectory.release();
        }
    }

    private void start(ConfigurableEnvironment env) {
        if (!env.getProperty("sf1820.embedded.kafka", Boolean.class, true)) {
            return;
        }
        Path dir = Path.of(env.getRequiredProperty("sf1820.work-dir"))
                .toAbsolutePath()
                .resolve("kafka");
        Binder binder = Binder.get(env);
        EmbeddedKafkaSecurity security = binder.bind("sf1820.embedded.kafka-security", EmbeddedKafkaSecurity.class)
                .orElse(EmbeddedKafkaSecurity.PLAINTEXT);
        // the clients' own settings (spring.kafka.security/ssl/properties.sasl.*), as every other client gets them
        KafkaProperties clients =
                binder.bind("spring.kafka", KafkaProperties.class).orElseGet(KafkaProperties::new);
        String clientProtocol = Objects.requireNonNullElse(clients.getSecurity().getProtocol(), "PLAINTEXT");
        if (!clientProtocol.equalsIgnoreCase(security.protocol())) {
            throw new IllegalStateException("The embedded Kafka broker listens with " + security.protocol()
                    + " (sf1820.embedded.kafka-security.protocol) but the clients speak " + clientProtocol
                    + " (spring.kafka.security.protocol): set both to the same protocol");
        }
        int brokers = env.getProperty("sf1820.embedded.kafka-brokers", Integer.class, 1);
        EmbeddedKafkaCluster candidate = EmbeddedKafkaCluster.of(
                dir,
                brokers,
                env.getProperty("sf1820.embedded.kafka-port", Integer.class, 0),
                security,
                clients.buildAdminProperties());
        String servers = candidate.bootstrapServers();
        if (candidate.serving()) {
            log.info("reusing the embedded Kafka broker already running bootstrapServers={}", servers);
        } else {
            Duration timeout =
                    env.getProperty("sf1820.embedded.kafka-start-timeout", Duration.class, Duration.ofSeconds(60));
            broker = candidate.start(timeout);
        }
        env.getPropertySources()
                .addFirst(new MapPropertySource(
                        "sf1820-embedded-kafka", Map.of("spring.kafka.bootstrap-servers", servers)));
        // the pipeline's topics as the cluster can hold them, unless configured otherwise
        env.getPropertySources()
                .addLast(new MapPropertySource(
                        "sf1820-embedded-kafka-replication",
                        Map.of(
                                "sf1820.kafka.replication-factor", Math.min(3, brokers),
                                "sf1820.kafka.min-insync-replicas", Math.min(2, brokers))));
    }
}
