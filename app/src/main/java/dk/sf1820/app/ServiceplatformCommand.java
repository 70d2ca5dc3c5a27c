package dk.sf1820.app;

import dk.sf1820.serviceplatform.EmulatorHttpControl;
import dk.sf1820.serviceplatform.ServiceplatformConfiguration;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.ServiceplatformProperties;
import dk.sf1820.serviceplatform.UsersFile;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@code ./sf1820 serviceplatform --root DIR --users FILE [--port 2222] …}: the Serviceplatform emulator
 * alone, for a municipality or vendor testing its own SFTP client, until Ctrl-C. No Kafka broker and
 * no stages: a Spring context holding only the emulator (and its HTTP control with {@code --http-port}),
 * so configuration, validation and logging work as for every other command.
 */
final class ServiceplatformCommand {

    /** The port SFTP test set-ups tend to use; 0 picks a free one. */
    static final int DEFAULT_PORT = 2222;

    private static final Map<String, String> OPTIONS = Map.of(
            "port", "port",
            "root", "root",
            "users", "users-file",
            "scan-interval", "scan-interval",
            "metadata-form", "metadata-form",
            "http-port", "http-port",
            "business-receipts", "business-receipts",
            "ciphers", "ciphers");
    static final Set<String> OPTION_NAMES = OPTIONS.keySet();

    private final PrintStream out;

    ServiceplatformCommand(PrintStream out) {
        this.out = out;
    }

    int run(Cli.Arguments arguments) {
        ConfigurableApplicationContext context = start(arguments);
        ContextLifetime.awaitClose(context);
        return 0;
    }

    /** Starts the emulator and prints how to reach it; the caller closes the context. */
    ConfigurableApplicationContext start(Cli.Arguments arguments) {
        Set<String> unknown = new TreeSet<>(arguments.options().keySet());
        unknown.removeAll(OPTIONS.keySet());
        if (!unknown.isEmpty() || !arguments.positional().isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown + " " + arguments.positional()
                    + "; known: --" + String.join(", --", new TreeSet<>(OPTIONS.keySet())));
        }
        arguments.require("root");
        Path usersFile = Path.of(arguments.require("users"));
        try {
            // fail before anything starts, with the file's own message (file, line, reason)
            UsersFile.read(usersFile);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<String> springArgs = new ArrayList<>(arguments.spring());
        arguments
                .options()
                .forEach((option, value) ->
                        springArgs.add("--sf1820.serviceplatform." + OPTIONS.get(option) + "=" + value));
        SpringApplication application = new SpringApplication(StandaloneServiceplatform.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of("sf1820.serviceplatform.port", DEFAULT_PORT));
        ConfigurableApplicationContext context = application.run(springArgs.toArray(String[]::new));
        printBanner(context);
        return context;
    }

    private void printBanner(ConfigurableApplicationContext context) {
        ServiceplatformEmulator emulator = context.getBean(ServiceplatformEmulator.class);
        ServiceplatformProperties properties = context.getBean(ServiceplatformProperties.class);
        out.println("Serviceplatform emulator listening on " + emulator.host() + ":" + emulator.port());
        out.println("host key fingerprint: " + emulator.hostKeyFingerprint() + " (kept in " + emulator.root() + ")");
        out.println("known_hosts lines:    " + String.join("\n                      ", emulator.knownHostsLines()));
        out.println("users:                " + String.join(", ", emulator.users()));
        out.println("folders:              " + emulator.root().resolve("users") + "/<user>/{IN,OUT}");
        out.println("trigger scan:         "
                + (properties.scanInterval().isZero()
                        ? "on demand only"
                        : "every " + ReadableDurations.of(properties.scanInterval())));
        context.getBeanProvider(EmulatorHttpControl.class)
                .ifAvailable(control -> out.println("scan now:             curl -X POST http://127.0.0.1:"
                        + control.port() + "/scan   (housekeeping: " + "/housekeeping)"));
        out.println("Ctrl-C stops it.");
        out.flush();
    }

    /** Only the emulator: no auto-configuration, so no Kafka client, broker or web server can start. */
    @Configuration(proxyBeanMethods = false)
    @Import(ServiceplatformConfiguration.class)
    static class StandaloneServiceplatform {}
}
