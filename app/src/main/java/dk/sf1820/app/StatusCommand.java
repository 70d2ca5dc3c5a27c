package dk.sf1820.app;

import dk.sf1820.app.audit.AuditPrinter;
import dk.sf1820.app.audit.AuditTrail;
import dk.sf1820.app.audit.TransferFilter;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./sf1820 status [--fagsystem X] [--authority N] [--period P]}: every transfer the audit
 * trail knows with its current state, the count per state, and the ones that need attention.
 */
final class StatusCommand {

    private static final Set<String> OPTIONS = Set.of("fagsystem", "authority", "period");

    private final PrintStream out;

    StatusCommand(PrintStream out) {
        this.out = out;
    }

    int run(Cli.Arguments arguments) {
        Set<String> unknown = new HashSet<>(arguments.options().keySet());
        unknown.removeAll(OPTIONS);
        if (!unknown.isEmpty() || !arguments.positional().isEmpty()) {
            throw new IllegalArgumentException("takes only --fagsystem, --authority and --period, got "
                    + (unknown.isEmpty() ? arguments.positional() : "--" + String.join(", --", unknown)));
        }
        TransferFilter filter = new TransferFilter(arguments.options().get("fagsystem"),
                arguments.options().get("authority"), arguments.options().get("period"));
        try (ConfigurableApplicationContext context = ReadOnlyContext.start(arguments.spring())) {
            Clock clock = context.getBean(Clock.class);
            new AuditPrinter(out).status(context.getBean(AuditTrail.class).replay().statuses(filter, clock));
            return 0;
        }
    }
}
