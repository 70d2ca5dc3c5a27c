package dk.sf1820.app;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What each command of {@code ./sf1820} takes, declared for picocli: its options, its arguments and
 * its {@code --help}. Parsing ends here; each command's work stays in its own class ({@link SubmitCommand},
 * {@link StatusCommand}, ...), handed the parsed {@link Cli.Arguments}.
 */
final class Commands {

    private Commands() {}

    /** Where a command writes, and the {@code --x.y=z} settings the command line passes through to Spring. */
    record Io(PrintStream out, PrintStream err, List<String> spring) {}

    /** Options every command takes. */
    static final class Common {

        @Option(
                names = "--bootstrap-servers",
                paramLabel = "HOST:PORT",
                description = "use this Kafka cluster instead of the embedded broker")
        String bootstrapServers;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description = "where the embedded default keeps its data (default ./work)")
        String workDir;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "show this help and exit; nothing starts")
        boolean help;

        /** The Spring arguments these options stand for. */
        List<String> spring() {
            List<String> spring = new ArrayList<>();
            if (bootstrapServers != null) {
                spring.add("--spring.kafka.bootstrap-servers=" + bootstrapServers);
                spring.add("--sf1820.embedded.kafka=false");
            }
            if (workDir != null) {
                spring.add("--sf1820.work-dir=" + workDir);
            }
            return spring;
        }
    }

    /** A command: the common options, and the hand-over of what was parsed to the command's class. */
    abstract static class Base implements Callable<Integer> {

        @Mixin
        Common common;

        final Io io;

        Base(Io io) {
            this.io = io;
        }

        Cli.Arguments arguments(Map<String, String> options, List<String> positional) {
            List<String> spring = new ArrayList<>(io.spring());
            spring.addAll(common.spring());
            Map<String, String> given = new LinkedHashMap<>();
            options.forEach((name, value) -> {
                if (value != null) {
                    given.put(name, value);
                }
            });
            return new Cli.Arguments(spring, given, positional);
        }

        Cli.Arguments arguments() {
            return arguments(Map.of(), List.of());
        }

        /**
         * This command's own options as given, by long name without the dashes ({@code --scan-interval} becomes
         * {@code scan-interval}); an option not given is left out, and so is each of {@code handledHere}, which
         * the command uses itself rather than hands over. The common options are Spring settings instead.
         */
        Map<String, String> ownOptions(String... handledHere) {
            Set<String> skipped = Set.of(handledHere);
            Map<String, String> options = new LinkedHashMap<>();
            for (Field field : getClass().getDeclaredFields()) {
                Option option = field.getAnnotation(Option.class);
                if (option == null) {
                    continue;
                }
                String name = Arrays.stream(option.names())
                        .max(Comparator.comparingInt(String::length))
                        .orElseThrow()
                        .replaceFirst("^-+", "");
                Object value;
                try {
                    value = field.get(this);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("option field " + field + " cannot be read", e);
                }
                if (value != null && !skipped.contains(name)) {
                    options.put(name, String.valueOf(value));
                }
            }
            return options;
        }
    }

    @Command(
            name = "demo",
            description = {
                "Deliver one sample extract for each of KSD, DUBU, KY, FBS and KP to DST "
                        + "through the embedded broker and emulator.",
                "Exit 0 only if all five succeed."
            })
    static final class Demo extends Base {
        Demo(Io io) {
            super(io);
        }

        @Override
        public Integer call() {
            return new DemoCommand(io.out()).run(arguments().spring());
        }
    }

    @Command(
            name = "run",
            description = {
                "Run the pipeline (all stages, or --sf1820.stages=packager,transporter) "
                        + "until Ctrl-C, with its HTTP interface on 127.0.0.1:8820 (--server.port=N).",
                "Any --x.y=z is passed to Spring as a setting."
            })
    static final class Run extends Base {
        Run(Io io) {
            super(io);
        }

        @Override
        public Integer call() {
            return RunCommand.run(arguments().spring());
        }
    }

    @Command(
            name = "submit",
            description = {
                "Submit one extract; prints its transferId (SendersFileId).",
                "The same extract again is refused unless --resend delivers it anew on purpose.",
                "With --wait, follows the transfer to its outcome: packaging, upload, the platform's receipt."
            })
    static final class Submit extends Base {

        @Option(names = "--fagsystem", paramLabel = "CODE", description = "KSD, DUBU, KY, FBS or KP")
        String fagsystem;

        @Option(names = "--authority", paramLabel = "NNNN", description = "the municipality code, e.g. 0561")
        String authority;

        @Option(names = "--period", paramLabel = "PERIOD", description = "the extract's period, e.g. M03, K1, H2, Y")
        String period;

        @Option(names = "--resend", description = "deliver an extract submitted before anew")
        boolean resend;

        @Option(names = "--wait", description = "follow the transfer until its outcome; exit code by outcome")
        boolean waitForOutcome;

        @Parameters(paramLabel = "FILE", arity = "1", description = "the extract file")
        String file;

        Submit(Io io) {
            super(io);
        }

        @Override
        public Integer call() {
            SubmitCommand command = new SubmitCommand(io.out(), io.err());
            Cli.Arguments arguments = arguments(ownOptions("wait"), List.of(file));
            return waitForOutcome ? command.runAndWait(arguments) : command.run(arguments);
        }
    }

    @Command(
            name = "audit",
            description = "Replay the topics and print the transfer's timeline (every event, stage, " + "details).")
    static final class Audit extends Base {

        @Parameters(
                paramLabel = "TRANSFER-ID|DATA-FILE-NAME",
                arity = "1",
                description = "the transferId (SendersFileId) or the data file name")
        String query;

        Audit(Io io) {
            super(io);
        }

        @Override
        public Integer call() {
            return new AuditCommand(io.out(), io.err()).run(arguments(Map.of(), List.of(query)));
        }
    }

    @Command(
            name = "status",
            description = "Every transfer with its current state, counts per state, what needs " + "attention.")
    static final class Status extends Base {

        @Option(names = "--fagsystem", paramLabel = "CODE", description = "only this fagsystem's transfers")
        String fagsystem;

        @Option(names = "--authority", paramLabel = "NNNN", description = "only this municipality's transfers")
        String authority;

        @Option(names = "--period", paramLabel = "PERIOD", description = "only this period's transfers")
        String period;

        @Option(
                names = "--watch",
                paramLabel = "SECONDS",
                arity = "0..1",
                fallbackValue = "2",
                description = "show the table again every SECONDS (2 if not given) until Ctrl-C")
        Integer watchSeconds;

        Status(Io io) {
            super(io);
        }

        @Override
        public Integer call() {
            Cli.Arguments arguments = arguments(ownOptions("watch"), List.of());
            if (watchSeconds == null) {
                return new StatusCommand(io.out()).run(arguments);
            }
            return new StatusWatch(io.out(), watchSeconds).run(() -> new StatusCommand(io.out()).run(arguments));
        }
    }

    @Command(
            name = "purge",
            description = {
                "Delete a transfer's staged extract and package from the staging area now.",
                "Each deletion is a HousekeepingPerformed event (see README, \"Personal data\")."
            })
    static final class Purge extends Base {

        @Parameters(paramLabel = "TRANSFER-ID", arity = "1", description = "the transferId (a lower-case UUID)")
        String transferId;

        Purge(Io io) {
            super(io);
        }

        @Override
        public Integer call() {
            return new PurgeCommand(io.out()).run(arguments(Map.of(), List.of(transferId)));
        }
    }

    @Command(
            name = "serviceplatform",
            description = {"Run only the Serviceplatform emulator (no Kafka, no stages) " + "until Ctrl-C."})
    static final class Serviceplatform extends Base {

        @Option(names = "--root", paramLabel = "DIR", description = "the emulator's folders and host keys")
        String root;

        @Option(names = "--users", paramLabel = "FILE", description = "one '<user> <OpenSSH public key>' per line")
        String users;

        @Option(names = "--port", paramLabel = "N", description = "the SFTP port (default 2222; 0 picks a free one)")
        String port;

        @Option(
                names = "--scan-interval",
                paramLabel = "DURATION",
                description = "the trigger scan's interval, e.g. 10m")
        String scanInterval;

        @Option(names = "--metadata-form", paramLabel = "FORM", description = "file-metadata or trigger")
        String metadataForm;

        @Option(
                names = "--http-port",
                paramLabel = "N",
                description = "serve POST /scan and /housekeeping on this port")
        String httpPort;

        @Option(
                names = "--business-receipts",
                paramLabel = "BOOLEAN",
                arity = "0..1",
                fallbackValue = "true",
                description = "also write business receipts")
        String businessReceipts;

        @Option(names = "--ciphers", paramLabel = "LIST", description = "e.g. aes128-gcm@openssh.com,aes128-ctr")
        String ciphers;

        Serviceplatform(Io io) {
            super(io);
        }

        @Override
        public Integer call() {
            return new ServiceplatformCommand(io.out()).run(arguments(ownOptions(), List.of()));
        }
    }

    @Command(
            name = "dst-receiver",
            description = {"Run only DST's receiver against the account in " + "sf1820.sftp.accounts, until Ctrl-C."})
    static final class DstReceiver extends Base {

        @Option(names = "--config", paramLabel = "FILE", description = "Spring properties: the account, the store dir")
        String config;

        DstReceiver(Io io) {
            super(io);
        }

        @Override
        public Integer call() {
            return new DstReceiverCommand(io.out()).run(arguments(ownOptions(), List.of()));
        }
    }
}
