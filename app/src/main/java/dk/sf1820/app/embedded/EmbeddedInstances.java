package dk.sf1820.app.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Makes a second {@code ./sf1820 run} on a work directory another pipeline instance of the first
 * one's embedded default ({@link SharedWorkDirectory}). The joining instance takes the owner's SFTP
 * accounts (the running emulator, the keys and {@code known_hosts} as they are), its own
 * {@code sf1820.instance-id} ({@code <default>-<n>}), its own Kafka Streams state folder and a free
 * HTTP port, and every stage but DST's receiver, which belongs with the emulator; it shares the
 * broker, the staging area and the drop folder. Settings given explicitly win over all of these.
 */
final class EmbeddedInstances {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedInstances.class);
    static final String ACCOUNTS = "sf1820.sftp.accounts";
    static final String SFTP_PORT = "sf1820.embedded.sftp-port";
    private static final String DEFAULT_HTTP_PORT = "8820";

    private EmbeddedInstances() {}

    /**
     * Claims the work directory when this process would start the emulator; a long-running process
     * joins an owner that runs, a one-shot command ({@code demo}) is refused, saying why.
     *
     * @return the claim, or null when this process starts no emulator and so shares nothing
     */
    static SharedWorkDirectory claim(ConfigurableEnvironment env, boolean longRunning) {
        // as EmbeddedServiceplatformConfiguration's condition reads it (a repeated argument reads "false,false")
        String emulator = env.getProperty("sf1820.embedded.serviceplatform");
        if (emulator != null && !emulator.equalsIgnoreCase("true")) {
            return null;
        }
        Path workDir = Path.of(env.getRequiredProperty("sf1820.work-dir"));
        SharedWorkDirectory claim = SharedWorkDirectory.claim(workDir);
        Map<String, Object> settings = new LinkedHashMap<>();
        if (claim.owner()) {
            // the emulator comes back on the port it had, so instances that joined it still reach it
            String port = claim.record().getProperty(SFTP_PORT);
            if (port != null && env.getProperty(SFTP_PORT, Integer.class, 0) == 0) {
                settings.put(SFTP_PORT, port);
            }
        } else {
            if (!longRunning) {
                claim.release();
                throw new WorkDirectoryInUseException(
                        "The work directory " + claim.workDir() + " is in use by a running"
                                + " ./sf1820 run (it holds " + claim.workDir().resolve(SharedWorkDirectory.OWNER_LOCK)
                                + "); stop"
                                + " it first, or give this command its own --work-dir");
            }
            Properties record = awaitRecord(
                    claim,
                    env.getProperty("sf1820.embedded.kafka-start-timeout", Duration.class, Duration.ofSeconds(60)));
            record.stringPropertyNames().stream()
                    .filter(k -> k.startsWith(ACCOUNTS))
                    .forEach(k -> settings.put(k, record.getProperty(k)));
            settings.put("sf1820.embedded.serviceplatform", "false");
            joinedDefaults(env, claim.instance(), settings);
            log.info(
                    "joining the running embedded default as instance {} workDir={} sftpPort={} instanceId={}",
                    claim.instance(),
                    claim.workDir(),
                    record.getProperty(SFTP_PORT),
                    settings.getOrDefault("sf1820.instance-id", env.getProperty("sf1820.instance-id")));
        }
        if (!settings.isEmpty()) {
            env.getPropertySources().addFirst(new MapPropertySource("sf1820-embedded-instance", settings));
        }
        return claim;
    }

    /** What a joining instance needs of its own, unless set explicitly. */
    private static void joinedDefaults(ConfigurableEnvironment env, int instance, Map<String, Object> settings) {
        if (onlyFrom(env, "sf1820.instance-id", "sf1820-instance-identity")) {
            String id = env.getProperty("sf1820.instance-id") + "-" + instance;
            settings.put("sf1820.instance-id", id);
            settings.put("spring.kafka.consumer.properties.group.instance.id", id);
            settings.put("spring.kafka.streams.properties.group.instance.id", id);
        }
        if (env.getProperty("sf1820.extractor.drop-folder.instance") == null) {
            // its own processing folder in the shared drop folder: the default (the host name) is the owner's
            settings.put(
                    "sf1820.extractor.drop-folder.instance",
                    settings.getOrDefault("sf1820.instance-id", env.getProperty("sf1820.instance-id")));
        }
        if (DEFAULT_HTTP_PORT.equals(env.getProperty("server.port"))) {
            settings.put("server.port", "0");
        }
        settings.put(
                "spring.kafka.streams.state-dir",
                Path.of(env.getRequiredProperty("sf1820.work-dir"))
                        .resolve("streams-" + instance)
                        .toString());
        if (env.getProperty("sf1820.stages") == null) {
            settings.put("sf1820.stages", "extractor,packager,transporter,receipt-tracker,notifier");
        }
    }

    /** Whether the property's value comes from that property source alone (a computed default). */
    private static boolean onlyFrom(ConfigurableEnvironment env, String property, String source) {
        for (PropertySource<?> candidate : env.getPropertySources()) {
            // Spring's view of all the others, attached in front of them
            if (candidate.getName().equals("configurationProperties")) {
                continue;
            }
            if (candidate.containsProperty(property)) {
                return candidate.getName().equals(source);
            }
        }
        return false;
    }

    /** The owner writes its record once its emulator is up; a process started right after it waits for that. */
    private static Properties awaitRecord(SharedWorkDirectory claim, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Properties record = claim.record();
            if (record.getProperty(SFTP_PORT) != null && record.getProperty(ACCOUNTS + "[0].user") != null) {
                return record;
            }
            if (Instant.now().isAfter(deadline)) {
                claim.release();
                throw new WorkDirectoryInUseException("Another ./sf1820 run holds the work directory " + claim.workDir()
                        + " but has not recorded its Serviceplatform emulator in "
                        + claim.workDir().resolve(SharedWorkDirectory.RECORD) + " within " + timeout
                        + "; wait until it has started, then start this instance again");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the work directory's owner", e);
            }
        }
    }
}
