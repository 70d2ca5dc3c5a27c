package dk.sf1820.app;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.packager.PackagerProperties;
import dk.sf1820.packager.StagingHousekeeping;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./sf1820 purge TRANSFER-ID}: deletes one transfer's staged extract and package from the staging
 * area at once (a data subject's request, a mistaken extract), each deletion a {@code HousekeepingPerformed}
 * event on {@code sf1820.housekeeping}. Connects to Kafka only: no stage runs, nothing is consumed.
 */
final class PurgeCommand {

    private final PrintStream out;

    PurgeCommand(PrintStream out) {
        this.out = out;
    }

    int run(Cli.Arguments arguments) {
        if (arguments.positional().size() != 1) {
            throw new IllegalArgumentException("exactly one TRANSFER-ID is required, got " + arguments.positional());
        }
        String transferId =
                StagingHousekeeping.requireTransferId(arguments.positional().get(0));
        List<String> spring = new ArrayList<>(arguments.spring());
        spring.add("--sf1820.stages=");
        spring.add("--sf1820.embedded.serviceplatform=false");
        try (ConfigurableApplicationContext context =
                Sf1820Application.start(spring, Map.of("logging.threshold.console", "WARN"))) {
            PackagerProperties properties =
                    Binder.get(context.getEnvironment()).bindOrCreate("sf1820.packager", PackagerProperties.class);
            StagingHousekeeping housekeeping =
                    new StagingHousekeeping(properties, context.getBean(EventPublisher.class), Clock.systemUTC());
            List<Path> deleted = housekeeping.purge(transferId, "purged on request (./sf1820 purge)");
            if (deleted.isEmpty()) {
                out.println("nothing of transferId " + transferId + " in the staging area " + properties.stagingDir());
            }
            deleted.forEach(dir -> out.println("deleted " + dir));
            return 0;
        }
    }
}
