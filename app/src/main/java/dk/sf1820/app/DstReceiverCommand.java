package dk.sf1820.app;

import dk.sf1820.dst.DstReceiverConfiguration;
import dk.sf1820.dst.DstReceiverProperties;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpClientConfiguration;
import dk.sf1820.stage.StageSupportConfiguration;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@code ./sf1820 dst-receiver [--config FILE] [--sf1820.KEY=VALUE …]}: Danmarks Statistik's side alone,
 * fetching from a real or emulated Serviceplatform with its configured SFTP account until Ctrl-C.
 * The DST side needs no Kafka: the context holds the stage, the fagsystem registry and the SFTP
 * client, nothing else, so neither the embedded broker nor the emulator starts.
 *
 * <pre>
 * sf1820.sftp.accounts[0].user=DST-CEMOS-SFTPUsername
 * sf1820.sftp.accounts[0].host=sftp.serviceplatformen.dk
 * sf1820.sftp.accounts[0].port=22
 * sf1820.sftp.accounts[0].private-key=/etc/sf1820/dst_ed25519
 * sf1820.sftp.accounts[0].known-hosts=/etc/sf1820/known_hosts
 * sf1820.dst-receiver.store-dir=/srv/dst/received
 * </pre>
 */
final class DstReceiverCommand {

    private final PrintStream out;

    DstReceiverCommand(PrintStream out) {
        this.out = out;
    }

    int run(Cli.Arguments arguments) {
        ConfigurableApplicationContext context = start(arguments);
        ContextLifetime.awaitClose(context);
        return 0;
    }

    /** Starts the receiver's poll schedule; the caller closes the context. */
    ConfigurableApplicationContext start(Cli.Arguments arguments) {
        List<String> springArgs = new ArrayList<>(arguments.spring());
        arguments.options().forEach((option, value) -> {
            if (!option.equals("config")) {
                throw new IllegalArgumentException(
                        "unknown option --" + option + "; use --config FILE or " + "--sf1820.KEY=VALUE");
            }
            Path config = Path.of(value);
            if (!Files.exists(config)) {
                throw new IllegalArgumentException("--config " + config + ": no such file");
            }
            if (!Files.isRegularFile(config)) {
                // a directory or a FIFO exists; "no such file" would send the operator looking in the wrong place
                throw new IllegalArgumentException("--config " + config + ": not a regular file");
            }
            springArgs.add("--spring.config.additional-location=file:" + config.toAbsolutePath());
        });
        if (!arguments.positional().isEmpty()) {
            throw new IllegalArgumentException("unexpected argument(s) " + arguments.positional());
        }
        SpringApplication application = new SpringApplication(StandaloneDstReceiver.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        ConfigurableApplicationContext context = application.run(springArgs.toArray(String[]::new));
        DstReceiverProperties properties = context.getBean(DstReceiverProperties.class);
        SftpAccount account = context.getBean(SftpAccounts.class).require(properties.user());
        out.println("DST receiver fetching " + properties.inDir() + " of " + account.user() + "@" + account.server()
                + " every " + ReadableDurations.of(properties.pollInterval()));
        out.println("stored files: " + properties.storeDir().toAbsolutePath() + "/<sender>/<file>; rejected: "
                + properties.rejectedDir().toAbsolutePath());
        out.println("Ctrl-C stops it.");
        out.flush();
        return context;
    }

    /**
     * The DST stage and what it needs from stage-support (registry, clock) and from sftp-client (accounts
     * from {@code sf1820.sftp.accounts}, the connector); no other auto-configuration, so no Kafka client.
     */
    @Configuration(proxyBeanMethods = false)
    @Import(DstReceiverConfiguration.class)
    @ImportAutoConfiguration({StageSupportConfiguration.class, SftpClientConfiguration.class})
    static class StandaloneDstReceiver {}
}
