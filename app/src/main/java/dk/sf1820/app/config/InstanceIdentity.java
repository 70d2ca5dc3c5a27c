package dk.sf1820.app.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives this instance a stable name, {@code sf1820.instance-id}, and makes every consumer group
 * member of it (listener containers, retry-topic containers, Kafka Streams) a static member under
 * that name ({@code group.instance.id}). A static member that restarts after a crash takes its
 * partitions back at once, instead of waiting for its dead predecessor's session to expire; one that
 * never comes back is replaced after {@code session.timeout.ms} (application.yml).
 * <p>
 * The default is the host name and a digest of the work directory, so a restart of the same instance
 * gets the same name. Two instances running the same stage on one host with the same work directory
 * must each be given their own {@code sf1820.instance-id}: Kafka lets only one member per name into a
 * group and fences the other. spring-kafka suffixes the name per consumer of a container with
 * concurrency > 1, Kafka Streams per stream thread.
 */
public class InstanceIdentity implements EnvironmentPostProcessor, Ordered {

    static final String INSTANCE_ID = ProcessProperties.INSTANCE_ID;
    static final String CONSUMER_INSTANCE = "spring.kafka.consumer.properties.group.instance.id";
    static final String STREAMS_INSTANCE = "spring.kafka.streams.properties.group.instance.id";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ProcessProperties process = ProcessProperties.of(environment);
        String id = process.instanceId() != null ? process.instanceId() : defaultId(hostName(), process.workDir());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(INSTANCE_ID, id);
        properties.put(CONSUMER_INSTANCE, id);
        properties.put(STREAMS_INSTANCE, id);
        // last: a group.instance.id set explicitly wins
        environment.getPropertySources().addLast(new MapPropertySource("sf1820-instance-identity", properties));
    }

    /** {@code <host>-<8 hex digits of the work directory's absolute path>}. */
    static String defaultId(String host, Path workDir) {
        String path = workDir.toAbsolutePath().normalize().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            String safeHost = host.replaceAll("[^A-Za-z0-9._-]", "-");
            return (safeHost.isEmpty() ? "sf1820" : safeHost) + "-"
                    + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return fromEnvironment != null ? fromEnvironment : "localhost";
        }
    }

    /** Before {@link UnknownSettingsCheck}, after the configuration files. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
