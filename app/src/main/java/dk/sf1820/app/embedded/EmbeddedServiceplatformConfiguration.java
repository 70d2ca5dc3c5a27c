package dk.sf1820.app.embedded;

import dk.sf1820.app.config.ProcessProperties;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.scan.MetadataForm;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default's Serviceplatform: the emulator on loopback with its data under the work
 * directory, an SFTP user for every sender in the registry and for each recipient, a generated
 * ed25519 key per user (kept across restarts), and a known_hosts file holding the emulator's host
 * key, so the stages connect exactly as they would to the real platform: key auth, host key verified.
 * The process that owns the work directory records the accounts, so that a second {@code run} on it
 * joins this emulator instead of starting another ({@link EmbeddedInstances}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sf1820.embedded.serviceplatform", havingValue = "true", matchIfMissing = true)
public class EmbeddedServiceplatformConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServiceplatformConfiguration.class);

    @Bean(destroyMethod = "close")
    ServiceplatformEmulator embeddedServiceplatform(
            ProcessProperties process,
            @Value("${sf1820.embedded.sftp-port:0}") int port,
            @Value("${sf1820.embedded.scan-interval:2s}") Duration scanInterval,
            @Value("${sf1820.embedded.metadata-form:TRIGGER}") MetadataForm metadataForm,
            FagsystemRegistry registry,
            Clock clock)
            throws IOException {
        Path workDir = process.workDir();
        ServiceplatformEmulator.Builder builder = ServiceplatformEmulator.builder()
                .root(workDir.toAbsolutePath().resolve("serviceplatform"))
                .port(port)
                .scanInterval(scanInterval)
                .metadataForm(metadataForm)
                .clock(clock);
        for (String user : users(registry)) {
            builder.user(user, key(workDir, user).publicKey());
        }
        ServiceplatformEmulator emulator = builder.build();
        emulator.start();
        log.info("embedded Serviceplatform emulator on 127.0.0.1:{} scanInterval={}", emulator.port(), scanInterval);
        return emulator;
    }

    @Bean
    SftpAccounts embeddedSftpAccounts(
            ServiceplatformEmulator emulator,
            ProcessProperties process,
            FagsystemRegistry registry,
            ObjectProvider<SharedWorkDirectory> sharedWorkDirectory)
            throws IOException {
        Path workDir = process.workDir();
        Path knownHosts = keysDir(workDir).resolve("known_hosts");
        // the port may change between runs: write the file afresh from the emulator's host key
        Files.deleteIfExists(knownHosts);
        emulator.writeKnownHosts(knownHosts);
        List<SftpAccount> accounts = new ArrayList<>();
        for (String user : users(registry)) {
            accounts.add(new SftpAccount(
                    user, "127.0.0.1", emulator.port(), key(workDir, user).privateKey(), null, knownHosts));
        }
        sharedWorkDirectory.ifAvailable(shared -> shared.record(joiningSettings(emulator, accounts)));
        return new SftpAccounts(accounts);
    }

    /** What a second instance on this work directory needs to use this emulator (no key, only its path). */
    private static Properties joiningSettings(ServiceplatformEmulator emulator, List<SftpAccount> accounts) {
        Properties settings = new Properties();
        settings.setProperty(EmbeddedInstances.SFTP_PORT, Integer.toString(emulator.port()));
        for (int i = 0; i < accounts.size(); i++) {
            SftpAccount account = accounts.get(i);
            String prefix = EmbeddedInstances.ACCOUNTS + "[" + i + "].";
            settings.setProperty(prefix + "user", account.user());
            settings.setProperty(prefix + "host", account.host());
            settings.setProperty(prefix + "port", Integer.toString(account.port()));
            settings.setProperty(
                    prefix + "private-key",
                    account.privateKey().toAbsolutePath().toString());
            settings.setProperty(
                    prefix + "known-hosts",
                    account.knownHosts().toAbsolutePath().toString());
        }
        return settings;
    }

    private static Set<String> users(FagsystemRegistry registry) {
        Set<String> users = new LinkedHashSet<>();
        for (Fagsystem f : registry.withExtract()) {
            users.add(f.sftpUser());
            users.addAll(f.recipients());
        }
        return users;
    }

    private static LocalKey key(Path workDir, String user) throws IOException {
        return LocalKeys.loadOrGenerate(keysDir(workDir), user);
    }

    private static Path keysDir(Path workDir) throws IOException {
        return Files.createDirectories(workDir.toAbsolutePath().resolve("keys"));
    }
}
