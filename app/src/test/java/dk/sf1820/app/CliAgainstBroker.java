package dk.sf1820.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Runs the command line as {@code ./sf1820} would, in a fresh Spring context against a test's broker and work directory. */
final class CliAgainstBroker {

    private CliAgainstBroker() {}

    /** @return what the command printed, standard output and error together */
    static String run(String bootstrapServers, Path work, String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        String[] all = Stream.concat(
                        Stream.of(args),
                        Stream.of("--bootstrap-servers", bootstrapServers, "--work-dir", work.toString()))
                .toArray(String[]::new);
        Cli.run(all, out, out);
        String printed = captured.toString(StandardCharsets.UTF_8);
        // in the failsafe report, what an operator would have seen
        System.out.println("$ ./sf1820 " + String.join(" ", args) + "\n" + printed);
        return printed;
    }
}
