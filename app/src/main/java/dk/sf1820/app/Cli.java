package dk.sf1820.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ./sf1820} command line. Options of the form {@code --spring.x=y}, {@code --sf1820.x=y},
 * {@code --logging.x=y} and {@code --server.x=y} pass through to Spring; {@code --bootstrap-servers HOST:PORT} points the
 * process at an existing Kafka cluster instead of the embedded broker.
 */
final class Cli {

    static final int KEEP_RUNNING = -1;
    static final int USAGE = 64;

    private static final String HELP = """
            usage: ./sf1820 <command> [options]

            commands:
              demo                       deliver one sample extract for each of KSD, DUBU, KY, FBS and KP to DST
                                         through the embedded broker and emulator; exit 0 only if all five succeed
              run                        run the pipeline (all stages, or --sf1820.stages=packager,transporter)
              submit --fagsystem KSD --authority 0561 --period M03 [--resend] FILE
                                         submit one extract; prints its transferId (SendersFileId); the same
                                         extract again is refused unless --resend delivers it anew on purpose
              audit TRANSFER-ID|DATA-FILE-NAME
                                         replay the topics and print the transfer's timeline (every event, stage, details)
              status [--fagsystem KSD] [--authority 0561] [--period M03]
                                         every transfer with its current state, counts per state, what needs attention
              purge TRANSFER-ID          delete the transfer's staged extract and package from the staging area now,
                                         each deletion a HousekeepingPerformed event (see README, "Personal data")
              serviceplatform --root DIR --users FILE [--port 2222] [--scan-interval 10m]
                             [--metadata-form file-metadata|trigger] [--http-port N] [--business-receipts]
                             [--ciphers aes128-gcm@openssh.com,aes128-ctr,...]
                                         run only the Serviceplatform emulator (no Kafka, no stages) until Ctrl-C;
                                         FILE has one '<user> <OpenSSH public key>' per line
              dst-receiver [--config FILE]
                                         run only DST's receiver against the account in sf1820.sftp.accounts
                                         (FILE: Spring properties), until Ctrl-C

            options for every command:
              --bootstrap-servers H:P    use this Kafka cluster instead of the embedded broker
              --work-dir DIR             where the embedded default keeps its data (default ./work)
              --sf1820.KEY=VALUE         any configuration key (see app/src/main/resources/application.yml); an
                                         unknown key or option is refused, naming the closest known one
              --sf1820.instance-id=ID    this process's name in every consumer group (default: host name and a
                                         digest of the work dir); distinct per process sharing a host and work dir
              --server.port=N            the HTTP port of run (default 8820)
            """;

    private Cli() {
    }

    static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(HELP);
            return args.length == 0 ? USAGE : 0;
        }
        try {
            Arguments arguments = Arguments.parse(List.of(args).subList(1, args.length));
            CommandOptions.check(args[0], arguments);
            return switch (args[0]) {
                case "demo" -> new DemoCommand(out).run(arguments.spring());
                case "run" -> RunCommand.run(arguments.spring());
                case "submit" -> new SubmitCommand(out, err).run(arguments);
                case "audit" -> new AuditCommand(out, err).run(arguments);
                case "status" -> new StatusCommand(out).run(arguments);
                case "purge" -> new PurgeCommand(out).run(arguments);
                case "serviceplatform" -> new ServiceplatformCommand(out).run(arguments);
                case "dst-receiver" -> new DstReceiverCommand(out).run(arguments);
                default -> {
                    err.println("sf1820: unknown command '" + args[0] + "'");
                    err.print(HELP);
                    yield USAGE;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("sf1820 " + args[0] + ": " + e.getMessage());
            return USAGE;
        }
    }

    /** Parsed options: Spring arguments, named command options and positional arguments. */
    record Arguments(List<String> spring, Map<String, String> options, List<String> positional) {

        /** Options that take no value, so that {@code --resend FILE} leaves FILE positional. */
        static final Set<String> FLAGS = Set.of("resend");

        static Arguments parse(List<String> args) {
            List<String> spring = new ArrayList<>();
            Map<String, String> options = new LinkedHashMap<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.startsWith("--spring.") || arg.startsWith("--sf1820.") || arg.startsWith("--logging.")
                        || arg.startsWith("--server.")) {
                    spring.add(arg);
                } else if (arg.startsWith("--")) {
                    String name = arg.substring(2);
                    String value;
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        value = name.substring(eq + 1);
                        name = name.substring(0, eq);
                    } else if (!FLAGS.contains(name) && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                        value = args.get(++i);
                    } else {
                        value = "true";
                    }
                    switch (name) {
                        case "bootstrap-servers" -> {
                            spring.add("--spring.kafka.bootstrap-servers=" + value);
                            spring.add("--sf1820.embedded.kafka=false");
                        }
                        case "work-dir" -> spring.add("--sf1820.work-dir=" + value);
                        default -> options.put(name, value);
                    }
                } else {
                    positional.add(arg);
                }
            }
            return new Arguments(spring, options, positional);
        }

        String require(String option) {
            String value = options.get(option);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--" + option + " is required");
            }
            return value;
        }
    }
}
