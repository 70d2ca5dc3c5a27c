package dk.sf1820.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;

/**
 * Every stage in one context as the app's end-to-end ITs run it: the embedded emulator scanning and the
 * tracker and DST polling every 500 ms, so a transfer completes in seconds, and DST's deliveries recorded
 * ({@code app.getBean(ReceivedAtDst.class)}). As a JUnit extension ({@link #onOwnBroker()}) it also
 * runs the broker; the static methods start a context on a broker the test manages itself.
 */
final class TestPipeline implements BeforeAllCallback, AfterAllCallback {

    private Path work;
    private EmbeddedKafkaBroker kafka;
    private ConfigurableApplicationContext app;

    private TestPipeline() {}

    /**
     * On a KRaft broker of the test class's own, in a work folder of its own: register it with
     * {@code @RegisterExtension static final TestPipeline pipeline = TestPipeline.onOwnBroker();}. It starts
     * before the class's tests and stops (context, then broker) after them.
     */
    static TestPipeline onOwnBroker() {
        return new TestPipeline();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        work = Files.createTempDirectory("sf1820-pipeline-");
        // one broker: the transaction state log must not ask for the default three replicas
        kafka = new EmbeddedKafkaKraftBroker(1, 1)
                .brokerProperties(Map.of(
                        "transaction.state.log.replication.factor", "1",
                        "transaction.state.log.min.isr", "1"));
        kafka.afterPropertiesSet();
        app = onBroker(work, kafka.getBrokersAsString());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (kafka != null) {
                kafka.destroy();
            }
            if (work != null) {
                FileSystemUtils.deleteRecursively(work);
            }
        }
    }

    /** The work folder ({@code sf1820.work-dir}) of this pipeline. */
    Path work() {
        return work;
    }

    ConfigurableApplicationContext app() {
        return app;
    }

    /** What DST received. */
    ReceivedAtDst dst() {
        return app.getBean(ReceivedAtDst.class);
    }

    String brokers() {
        return kafka.getBrokersAsString();
    }

    /** On a broker the test runs itself. */
    static ConfigurableApplicationContext onBroker(Path work, String bootstrapServers) {
        return start(
                work,
                List.of("--sf1820.embedded.kafka=false", "--spring.kafka.bootstrap-servers=" + bootstrapServers),
                Map.of());
    }

    /** With more arguments and default properties, e.g. the embedded broker's security settings. */
    static ConfigurableApplicationContext start(Path work, List<String> moreArgs, Map<String, Object> defaults) {
        List<String> args = new ArrayList<>(List.of(
                "--sf1820.work-dir=" + work,
                "--sf1820.embedded.scan-interval=500ms",
                "--sf1820.receipt-tracker.poll-interval=500ms",
                "--sf1820.dst-receiver.poll-interval=500ms"));
        args.addAll(moreArgs);
        return Sf1820Application.start(args, defaults, ReceivedAtDst.class);
    }
}
