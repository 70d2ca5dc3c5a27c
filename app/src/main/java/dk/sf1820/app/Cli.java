package dk.sf1820.app;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code ./sf1820} command line, parsed by picocli ({@link CommandTree}, {@link Commands}). Options of the
 * form {@code --x.y=z} ({@code --sf1820.stages=packager}, {@code --spring.config.additional-location=...})
 * pass through to Spring; {@code --bootstrap-servers HOST:PORT} points the process at an existing Kafka
 * cluster instead of the embedded broker.
 */
final class Cli {

    static final int KEEP_RUNNING = -1;
    static final int USAGE = 64;

    private Cli() {}

    static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> spring = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            (isSpringSetting(arg) ? spring : rest).add(arg);
        }
        CommandLine commandLine = CommandTree.build(new Commands.Io(out, err, spring));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(rest.toArray(String[]::new));
    }

    /**
     * {@code --x.y=z}: a setting for Spring ({@code --sf1820.stages=packager}, {@code --server.port=0},
     * {@code --spring.config.additional-location=...}), passed through untouched; no command option has a dot.
     * Unknown {@code sf1820.*} keys among them are refused by {@code UnknownSettingsCheck} at start.
     */
    static boolean isSpringSetting(String arg) {
        if (!arg.startsWith("--")) {
            return false;
        }
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
        return name.indexOf('.') > 0;
    }

    /** Parsed options: Spring arguments, named command options and positional arguments. */
    record Arguments(List<String> spring, Map<String, String> options, List<String> positional) {

        String require(String option) {
            String value = options.get(option);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--" + option + " is required");
            }
            return value;
        }
    }
}
