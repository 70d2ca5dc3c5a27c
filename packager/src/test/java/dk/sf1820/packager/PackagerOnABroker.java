package dk.sf1820.packager;

import dk.sf1820.kafka.EventPublisher;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The packager stage as the app runs it, on an embedded KRaft broker of the test class's own, staging
 * in a folder of its own. A test adds beans with {@code @Import} and settings with
 * {@code @TestPropertySource}.
 */
@SpringBootTest(
        classes = PackagerOnABroker.Stage.class,
        properties = {"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "sf1820.kafka.partitions=1"})
@EmbeddedKafka
// The context's pollers write into the static @TempDir folders: close it before JUnit deletes them.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class PackagerOnABroker {

    @TempDir
    static Path staging;

    @DynamicPropertySource
    static void stagingDir(DynamicPropertyRegistry registry) {
        registry.add("sf1820.packager.staging-dir", staging::toString);
    }

    /** What the app would provide around the stage. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(PackagerConfiguration.class)
    static class Stage {}

    @Autowired
    EventPublisher publisher;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;
}
