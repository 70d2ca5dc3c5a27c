package dk.sf1820.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application as the read-only commands ({@code audit}, {@code status}) need it: the Kafka
 * connection only (the embedded broker from the work directory, started or reused, or
 * {@code --bootstrap-servers}); no stage and no emulator, so nothing is consumed, polled or sent.
 */
final class ReadOnlyContext {

    private ReadOnlyContext() {}

    static ConfigurableApplicationContext start(List<String> springArgs) {
        List<String> spring = new ArrayList<>(springArgs);
        spring.add("--sf1820.stages=");
        spring.add("--sf1820.embedded.serviceplatform=false");
        return Sf1820Application.start(spring, Map.of("logging.threshold.console", "WARN"));
    }
}
