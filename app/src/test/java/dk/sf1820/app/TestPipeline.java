package dk.sf1820.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every stage in one context as the app's end-to-end ITs run it: the embedded emulator scanning and the
 * tracker and DST polling every 500 ms, so a transfer completes in seconds, and DST's deliveries recorded
 * ({@code app.getBean(ReceivedAtDst.class)}).
 */
final class TestPipeline {

    private TestPipeline() {
    }

    /** On a broker the test runs itself. */
    static ConfigurableApplicationContext onBroker(Path work, String bootstrapServers) {
        return start(work, List.of("--sf1820.embedded.kafka=false", "--spring.kafka.bootstrap-servers=" + bootstrapServers),
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
