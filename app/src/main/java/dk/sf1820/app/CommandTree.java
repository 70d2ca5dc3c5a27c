package dk.sf1820.app;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code ./sf1820} and its commands as one picocli tree, with the exit codes every command shares: a
 * mistake on the command line (an unknown option, a missing argument) or a refused setting is
 * {@value Cli#USAGE}, told on standard error in one line naming what to change.
 */
final class CommandTree {

    private CommandTree() {}

    static CommandLine build(Commands.Io io) {
        CommandLine root = new CommandLine(new Root(io.out()));
        root.addSubcommand("help", new HelpCommand());
        root.addSubcommand(new Commands.Demo(io));
        root.addSubcommand(new Commands.Run(io));
        root.addSubcommand(new Commands.Submit(io));
        root.addSubcommand(new Commands.Audit(io));
        root.addSubcommand(new Commands.Status(io));
        root.addSubcommand(new Commands.Purge(io));
        root.addSubcommand(new Commands.Serviceplatform(io));
        root.addSubcommand(new Commands.DstReceiver(io));
        // an extract named @something.csv is a file, not a file of arguments
        root.setExpandAtFiles(false);
        root.setParameterExceptionHandler((e, args) -> usageError(io.err(), e));
        root.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // a setting or argument a command refused once it looked closer: UnknownSettingsCheck, a bad users file
            if (e instanceof IllegalArgumentException) {
                io.err().println("sf1820 " + commandLine.getCommandName() + ": " + e.getMessage());
                return Cli.USAGE;
            }
            throw e;
        });
        return root;
    }

    private static int usageError(PrintStream err, ParameterException e) {
        CommandLine commandLine = e.getCommandLine();
        boolean isRoot = commandLine.getParent() == null;
        String message = e instanceof UnmatchedArgumentException unmatched
                ? CommandOptions.describe(commandLine, unmatched.getUnmatched())
                : e.getMessage();
        err.println((isRoot ? "sf1820: " : "sf1820 " + commandLine.getCommandName() + ": ") + message);
        err.println(
                isRoot
                        ? "./sf1820 help lists the commands"
                        : "./sf1820 " + commandLine.getCommandName() + " --help shows what it takes");
        return Cli.USAGE;
    }

    @Command(
            name = "sf1820",
            synopsisHeading = "usage: ",
            customSynopsis = "./sf1820 <command> [options]",
            description = {
                "",
                "Delivers municipal data extracts to Danmarks Statistik through the Serviceplatform " + "(SF1820).",
                "./sf1820 help <command> (or <command> --help) shows what a command takes."
            },
            commandListHeading = "%ncommands:%n",
            optionListHeading = "%noptions:%n",
            exitCodeListHeading = "%nexit codes:%n",
            exitCodeList = {
                "0:done (submit --wait: delivered, DST's receipt is positive)",
                "1:failed: a delivery failed (submit --wait, demo), audit found no such transfer",
                "2:extract refused (fagsystem, authority, period or file not acceptable)",
                "3:duplicate extract (announced before; --resend delivers it anew)",
                "4:extract recorded but not announced (Kafka unreachable; it will be announced)",
                "5:delivery timed out: no receipt from the platform in time (submit --wait)",
                "64:usage: unknown command, option or setting, a missing or bad argument",
                "70:a stage cannot go on (run, demo); its supervisor should restart the process",
            },
            footerHeading = "%nsettings:%n",
            footer = {
                "  --bootstrap-servers H:P  use this Kafka cluster instead of the embedded broker",
                "  --work-dir DIR           where the embedded default keeps its data (./work)",
                "  --sf1820.KEY=VALUE       any configuration key (app/src/main/resources/",
                "                           application.yml); an unknown key is refused, naming",
                "                           the closest known one",
                "  --sf1820.instance-id=ID  this process's name in every consumer group (default:",
                "                           host name and a digest of the work dir)",
                "  --server.port=N          the HTTP port of run (default 8820)",
                "  --x.y=z                  any other Spring setting, passed through"
            })
    static final class Root implements Callable<Integer> {

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help")
        boolean help;

        @Spec
        CommandSpec spec;

        private final PrintStream out;

        Root(PrintStream out) {
            this.out = out;
        }

        /** No command: the help, and a usage error for a script that forgot the command. */
        @Override
        public Integer call() {
            spec.commandLine().usage(out);
            return Cli.USAGE;
        }
    }
}
