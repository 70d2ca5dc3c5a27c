package dk.sf1820.app;

import dk.sf1820.app.audit.AuditEntry;
import dk.sf1820.app.audit.AuditPrinter;
import dk.sf1820.app.audit.AuditTrail;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./sf1820 audit <transferId or data file name>}: replays the topics from the beginning and
 * prints the transfer's timeline. Exit status 0, or {@link #NOT_FOUND} when the trail knows no such transfer.
 */
final class AuditCommand {

    static final int NOT_FOUND = 1;

    private final PrintStream out;
    private final PrintStream err;

    AuditCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(Cli.Arguments arguments) {
        if (arguments.positional().size() != 1 || !arguments.options().isEmpty()) {
            throw new IllegalArgumentException("exactly one transferId or data file name is required (and no other "
                    + "options than --bootstrap-servers / --work-dir), got " + arguments.positional()
                    + (arguments.options().isEmpty()
                            ? ""
                            : " and --"
                                    + String.join(", --", arguments.options().keySet())));
        }
        String query = arguments.positional().get(0);
        try (ConfigurableApplicationContext context = ReadOnlyContext.start(arguments.spring())) {
            Map<String, List<AuditEntry>> timelines =
                    context.getBean(AuditTrail.class).replay().timelines(query);
            if (timelines.isEmpty()) {
                err.println("sf1820 audit: no transfer with id or data file name '" + query + "' in the audit trail at "
                        + context.getEnvironment().getProperty("spring.kafka.bootstrap-servers"));
                return NOT_FOUND;
            }
            AuditPrinter printer = new AuditPrinter(out);
            timelines.forEach(printer::timeline);
            return 0;
        }
    }
}
