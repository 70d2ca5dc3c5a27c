package dk.sf1820.app;

import dk.sf1820.app.config.ClosestMatch;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Tells what on a command line no command takes: an option by the closest one the command knows (an
 * ignored {@code --fagsytem} or {@code --bootstrap-server} would otherwise run with the default), an
 * argument by what the command takes, a command by the closest command.
 */
final class CommandOptions {

    /** Options of every command, left out of the list of a command's own. */
    private static final Set<String> COMMON = Set.of("--bootstrap-servers", "--work-dir", "--help", "-h");

    private CommandOptions() {}

    /** @param unmatched what picocli could not place, in the order given */
    static String describe(CommandLine commandLine, List<String> unmatched) {
        String command = commandLine.getCommandName();
        if (commandLine.getParent() == null) {
            String typed = unmatched.get(0);
            return ClosestMatch.of(typed, commandLine.getSubcommands().keySet())
                    .map(closest -> "unknown command '" + typed + "'; did you mean '" + closest + "'?")
                    .orElse("unknown command '" + typed + "'");
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec option : commandLine.getCommandSpec().options()) {
            known.add(option.longestName());
        }
        Set<String> candidates = new TreeSet<>(known);
        candidates.remove("--help"); // "did you mean --help?" helps only who typed something like it
        for (String argument : unmatched) {
            if (argument.startsWith("-")) {
                String option = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
                String closest = option.startsWith("--h")
                        ? "--help"
                        : ClosestMatch.of(option, candidates).orElseThrow();
                return "unknown option " + option + "; did you mean " + closest + "? (" + command + " takes "
                        + own(known) + ")";
            }
        }
        return "unexpected argument(s) " + unmatched + " (" + command + " takes " + own(known) + ")";
    }

    private static String own(Set<String> known) {
        List<String> own = known.stream().filter(o -> !COMMON.contains(o)).toList();
        return (own.isEmpty() ? "no options of its own" : String.join(", ", own))
                + " besides --bootstrap-servers, --work-dir and --x.y=z settings";
    }
}
