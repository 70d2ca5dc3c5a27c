package dk.sf1820.app.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the embedded Kafka broker before any Kafka client bean exists and points
 * {@code spring.kafka.bootstrap-servers} at it, when {@code sf1820.embedded.kafka} is true (the
 * default). A broker already serving the work directory's port (another sf1820 process) is reused.
 * The broker is stopped after every other bean, so clients close cleanly. Its listener is secured as
 * {@code sf1820.embedded.kafka-security.*} says, and must speak the clients' protocol
 * ({@code spring.kafka.security.protocol}).
 */
public class EmbeddedKafkaLauncher implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaLauncher.class);

    private EmbeddedKafkaBroker broker;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            start(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent prepared && broker != null
                && prepared.getApplicationContext() instanceof GenericApplicationContext context) {
            context.getBeanFactory().registerSingleton("embeddedKafkaBroker", broker);
            context.getDefaultListableBeanFactory().registerDisposableBean("embeddedKafkaBroker", broker::close);
        }
    }

    private void start(ConfigurableEnvironment env) {
        if (!env.getProperty("sf1820.embedded.kafka", Boolean.class, true)) {
            return;
        }
        Path dir = Path.of(env.getRequiredProperty("sf1820.work-dir")).toAbsolutePath().resolve("kafka");
        Binder binder = Binder.get(env);
        EmbeddedKafkaSecurity security = binder.bind("sf1820.embedded.kafka-security", EmbeddedKafkaSecurity.class)
                .orElse(EmbeddedKafkaSecurity.PLAINTEXT);
        // the clients' own settings (spring.kafka.security/ssl/properties.sasl.*), as every other client gets them
        KafkaProperties clients = binder.bind("spring.kafka", KafkaProperties.class).orElseGet(KafkaProperties::new);
        String clientProtocol = Objects.requireNonNullElse(clients.getSecurity().getProtocol(), "PLAINTEXT");
        if (!clientProtocol.equalsIgnoreCase(security.protocol())) {
            throw new IllegalStateException("The embedded Kafka broker listens with " + security.protocol()
                    + " (sf1820.embedded.kafka-security.protocol) but the clients speak " + clientProtocol
                    + " (spring.kafka.security.protocol): set both to the same protocol");
        }
        EmbeddedKafkaBroker candidate = new EmbeddedKafkaBroker(dir,
                env.getProperty("sf1820.embedded.kafka-port", Integer.class, 0), security,
                clients.buildAdminProperties());
        String servers = candidate.bootstrapServers();
        if (candidate.serving()) {
            log.info("reusing the embedded Kafka broker already running bootstrapServers={}", servers);
        } else {
            Duration timeout = env.getProperty("sf1820.embedded.kafka-start-timeout", Duration.class, Duration.ofSeconds(60));
            broker = candidate.start(timeout);
        }
        env.getPropertySources().addFirst(new MapPropertySource("sf1820-embedded-kafka",
                Map.of("spring.kafka.bootstrap-servers", servers)));
    }
}
