package dk.sf1820.app;

import dk.sf1820.app.audit.AuditLog;
import dk.sf1820.app.audit.AuditPrinter;
import dk.sf1820.app.audit.AuditTrail;
import dk.sf1820.app.audit.TransferFilter;
import dk.sf1820.app.audit.TransferStatus;
import dk.sf1820.extractor.SubmissionLedger;
import dk.sf1820.extractor.SubmissionLedger.Unannounced;
import dk.sf1820.schemas.events.TransferRef;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./sf1820 status [--fagsystem X] [--authority N] [--period P]}: every transfer the audit
 * trail knows with its current state, the count per state, and the ones that need attention, among
 * them the submissions recorded in the staging area but never announced.
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
        TransferFilter filter = new TransferFilter(
                arguments.options().get("fagsystem"),
                arguments.options().get("authority"),
                arguments.options().get("period"));
        // A running instance answers from its live projection at once; its extractor announces overdue records
        // itself, so there are no unannounced submissions to add.
        Optional<StatusSource.Answer> running = StatusSource.runningInstance(arguments.spring(), filter);
        if (running.isPresent()) {
            new AuditPrinter(out)
                    .status(
                            running.get().transfers(),
                            List.of(),
                            filter.isEmpty() ? running.get().strayRecords() : List.of(),
                            Clock.systemUTC());
            return 0;
        }
        try (ConfigurableApplicationContext context = ReadOnlyContext.start(arguments.spring())) {
            Clock clock = context.getBean(Clock.class);
            AuditLog log = context.getBean(AuditTrail.class).replay();
            List<TransferStatus> statuses = log.statuses(filter, clock);
            new AuditPrinter(out)
                    .status(
                            statuses,
                            unannounced(context, filter, statuses, clock),
                            filter.isEmpty() ? log.strayRecords() : List.of(),
                            clock);
            return 0;
        }
    }

    /**
     * Submissions in the staging area's ledger whose ExtractReady never reached the topic: accepted, yet no
     * stage has heard of them (a crash or a Kafka outage between the record and the publish).
     */
    private static List<Unannounced> unannounced(
            ConfigurableApplicationContext context, TransferFilter filter, List<TransferStatus> statuses, Clock clock) {
        String stagingDir = context.getEnvironment().getProperty("sf1820.extractor.staging-dir");
        if (stagingDir == null || stagingDir.isBlank()) {
            return List.of();
        }
        Set<String> known = new HashSet<>();
        statuses.forEach(s -> known.add(s.transferId()));
        return new SubmissionLedger(Path.of(stagingDir), clock)
                .unannounced().stream()
                        .filter(u -> !known.contains(u.transferId()))
                        .filter(u -> filter.test(new TransferRef(
                                u.transferId(),
                                Objects.toString(u.fagsystem(), "?"),
                                Objects.toString(u.authority(), "?"),
                                Objects.toString(u.period(), "?"))))
                        .toList();
    }
}
