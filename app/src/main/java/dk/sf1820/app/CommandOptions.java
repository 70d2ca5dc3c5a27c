package dk.sf1820.app;

import dk.sf1820.app.config.ClosestMatch;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options each command takes. An option no command reads is refused before anything starts,
 * naming the closest known one: an ignored {@code --fagsytem} or {@code --bootstrap-server} would
 * otherwise run with the default.
 */
final class CommandOptions {

    /** Taken by every command, handled while parsing. */
    static final Set<String> GLOBAL = Set.of("bootstrap-servers", "work-dir");

    private static final Map<String, Set<String>> BY_COMMAND = Map.of(
            "demo", Set.of(),
            "run", Set.of(),
            "submit", Set.of("fagsystem", "authority", "period", "resend"),
            "audit", Set.of(),
            "status", Set.of("fagsystem", "authority", "period"),
            "purge", Set.of(),
            "serviceplatform", ServiceplatformCommand.OPTION_NAMES,
            "dst-receiver", Set.of("config"));

    /** Commands that take no positional argument. */
    private static final Set<String> NO_ARGUMENTS = Set.of("demo", "run", "status", "serviceplatform", "dst-receiver");

    private CommandOptions() {
    }

    /** @throws IllegalArgumentException naming the unknown option and the closest known one */
    static void check(String command, Cli.Arguments arguments) {
        Set<String> known = BY_COMMAND.get(command);
        if (known == null) {
            return;
        }
        for (String option : arguments.options().keySet()) {
            if (!known.contains(option)) {
                Set<String> candidates = new TreeSet<>(known);
                candidates.addAll(GLOBAL);
                String closest = ClosestMatch.of(option, candidates).orElseThrow();
                throw new IllegalArgumentException("unknown option --" + option + "; did you mean --" + closest
                        + "? (" + command + " takes " + describe(known) + ")");
            }
        }
        if (NO_ARGUMENTS.contains(command) && !arguments.positional().isEmpty()) {
            throw new IllegalArgumentException("unexpected argument(s) " + arguments.positional() + " ("
                    + command + " takes " + describe(known) + ")");
        }
    }

    private static String describe(Set<String> known) {
        List<String> all = new TreeSet<>(known).stream().map(o -> "--" + o).toList();
        return (all.isEmpty() ? "no options of its own" : String.join(", ", all))
                + " besides --bootstrap-servers, --work-dir and --sf1820.KEY=VALUE";
    }
}
