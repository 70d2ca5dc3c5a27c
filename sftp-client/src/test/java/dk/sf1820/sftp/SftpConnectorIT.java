package dk.sf1820.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.ServiceplatformFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The production SFTP client against the Serviceplatform emulator: each key type the platform's
 * users may hold logs in; a refused key, an unreadable key and a host key other than the trusted one
 * stop the account with an error an operator can act on, and no key material reaches the logs.
 */
class SftpConnectorIT {

    private static final String PASSPHRASE = "correct horse battery staple";
    private static final String PASSPHRASE_VARIABLE = "SF1820_TEST_SFTP_PASSPHRASE";

    @TempDir
    static Path dir;

    static ServiceplatformEmulator platform;
    static Path knownHosts;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<String> secrets = new ArrayList<>();

    @BeforeAll
    static void startPlatform() {
        ServiceplatformFixture fixture = ServiceplatformFixture.start(dir);
        platform = fixture.emulator();
        knownHosts = fixture.knownHosts();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void noKeyMaterialLogged() {
        root().detachAppender(logs);
        String all = String.join(
                "\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertThat(secrets).allSatisfy(secret -> assertThat(all).doesNotContain(secret));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void logsInWithEachKeyType(String type) throws Exception {
        // JSch offers only rsa-sha2-512/256 for RSA keys (never SHA-1 ssh-rsa), so RSA logging in proves them
        String user = "KSD_" + type.toUpperCase();
        Path key = registeredKey(user, type, null);

        try (SftpConnection sftp = new SftpConnector().open(account(user, key, null, knownHosts))) {
            byte[] content = ("logged in with " + type).getBytes(StandardCharsets.UTF_8);
            sftp.upload(content, "/OUT/probe.txt");
            assertThat(sftp.size("/OUT/probe.txt")).hasValue(content.length);
        }
        assertThat(platform.home(user).resolve("OUT").resolve("probe.txt")).hasContent("logged in with " + type);
    }

    @Test
    void passphraseProtectedKeyLogsInWithItsPassphrase() throws Exception {
        Path key = registeredKey("KP_PROTECTED", "ecdsa", PASSPHRASE);

        try (SftpConnection sftp = new SftpConnector().open(account("KP_PROTECTED", key, PASSPHRASE, knownHosts))) {
            assertThat(sftp.list("/OUT")).isEmpty();
        }
    }

    @Test
    void passphraseFromAFileBoundFromConfigurationLogsIn() throws Exception {
        Path protectedKey = registeredKey("KP_FILE", "ecdsa", PASSPHRASE);
        Path secret = Files.writeString(dir.resolve("kp-file.passphrase"), PASSPHRASE + "\n");

        SftpAccount account = bind(Map.of(
                "user", "KP_FILE", "private-key", protectedKey.toString(), "passphrase-file", secret.toString()));

        assertThat(account.passphrase()).isEqualTo(PASSPHRASE);
        assertThat(account.toString()).doesNotContain(PASSPHRASE);
        try (SftpConnection sftp = new SftpConnector().open(account)) {
            assertThat(sftp.list("/OUT")).isEmpty();
        }
    }

    @Test
    void passphraseFromAnEnvironmentVariableBoundFromConfigurationLogsIn() throws Exception {
        // failsafe sets SF1820_TEST_SFTP_PASSPHRASE to the same passphrase (sftp-client/pom.xml)
        assertThat(System.getenv(PASSPHRASE_VARIABLE)).as("set by failsafe").isEqualTo(PASSPHRASE);
        Path key = registeredKey("KP_ENV", "rsa", PASSPHRASE);

        SftpAccount account =
                bind(Map.of("user", "KP_ENV", "private-key", key.toString(), "passphrase-env", PASSPHRASE_VARIABLE));

        try (SftpConnection sftp = new SftpConnector().open(account)) {
            assertThat(sftp.list("/OUT")).isEmpty();
        }
    }

    @Test
    void keyTheServerDoesNotKnowIsRefusedForGood() throws Exception {
        registeredKey("KY_SFTPSIMPEL", "ed25519", null);
        Path other = LocalKeys.generate(dir.resolve("other"), "KY_SFTPSIMPEL").privateKey();
        remember(other);

        assertThatExceptionOfType(SftpException.class)
                .isThrownBy(() -> new SftpConnector().open(account("KY_SFTPSIMPEL", other, null, knownHosts)))
                .satisfies(e -> assertThat(e.retryable()).isFalse())
                .withMessageContaining("KY_SFTPSIMPEL")
                .withMessageContaining("refused")
                .satisfies(e -> assertThat(chain(e)).doesNotContainAnyElementsOf(secrets));
    }

    @Test
    void wrongPassphraseNamesTheKeyFileButNotThePassphrase() throws Exception {
        Path key = registeredKey("FBS_PROTECTED", "rsa", PASSPHRASE);

        assertThatExceptionOfType(SftpException.class)
                .isThrownBy(() ->
                        new SftpConnector().open(account("FBS_PROTECTED", key, "wrong " + PASSPHRASE, knownHosts)))
                .satisfies(e -> assertThat(e.retryable()).isFalse())
                .withMessageContaining(key.toString())
                .satisfies(e -> assertThat(chain(e)).noneMatch(m -> m.contains(PASSPHRASE)));
    }

    @Test
    void changedHostKeyStopsTheAccountNamingThePresentedFingerprint() throws Exception {
        Path key = registeredKey("DUBU_SFTPSIMPEL", "ed25519", null);
        LocalKey impostor = LocalKeys.generate(dir.resolve("impostor"), "impostor");
        Path otherKnownHosts = dir.resolve("known_hosts_other");
        String[] parts = impostor.authorizedKeyLine().split(" ");
        Files.writeString(otherKnownHosts, "[127.0.0.1]:" + platform.port() + " " + parts[0] + " " + parts[1] + "\n");

        assertThatExceptionOfType(SftpException.class)
                .isThrownBy(() -> new SftpConnector().open(account("DUBU_SFTPSIMPEL", key, null, otherKnownHosts)))
                .satisfies(e -> assertThat(e.retryable()).isFalse())
                .withMessageContaining(platform.hostKeyFingerprint())
                .withMessageContaining("DUBU_SFTPSIMPEL")
                .satisfies(e -> assertThat(chain(e)).doesNotContainAnyElementsOf(secrets));
        assertThat(platform.home("DUBU_SFTPSIMPEL").resolve("OUT")).isEmptyDirectory();
    }

    @Test
    void closedConnectionsSessionIsReusedAndOneThatFailedIsNot() throws Exception {
        Path key = registeredKey("KSD_POOLED", "ed25519", null);
        SftpAccount account = account("KSD_POOLED", key, null, knownHosts);
        try (SftpConnector connector = new SftpConnector(Duration.ofSeconds(5), 2, Duration.ofSeconds(30))) {
            Object first;
            try (SftpConnection sftp = connector.open(account)) {
                first = sftp.session();
            }
            try (SftpConnection sftp = connector.open(account)) {
                assertThat(sftp.session()).as("reused").isSameAs(first);
                assertThatExceptionOfType(SftpException.class).isThrownBy(() -> sftp.read("/OUT/no-such-file"));
            }
            try (SftpConnection sftp = connector.open(account)) {
                assertThat(sftp.session())
                        .as("a session that saw an error is not reused")
                        .isNotSameAs(first);
            }
        }
    }

    @Test
    void sessionTheServerDroppedIsReplaced() throws Exception {
        Path key = registeredKey("KY_POOLED", "ed25519", null);
        SftpAccount account = account("KY_POOLED", key, null, knownHosts);
        try (SftpConnector connector = new SftpConnector(Duration.ofSeconds(5), 2, Duration.ofSeconds(30))) {
            Object before;
            try (SftpConnection sftp = connector.open(account)) {
                before = sftp.session();
            }
            // the platform restarts (a service window) on the same address with the same host key
            int port = platform.port();
            platform.close();
            platform = ServiceplatformEmulator.builder()
                    .root(dir.resolve("platform"))
                    .port(port)
                    .scanInterval(Duration.ZERO)
                    .user(
                            "KY_POOLED",
                            LocalKeys.loadOrGenerate(dir.resolve("generated-KY_POOLED"), "KY_POOLED")
                                    .publicKey())
                    .build();
            platform.start();

            try (SftpConnection sftp = connector.open(account)) {
                assertThat(sftp.session()).isNotSameAs(before);
                sftp.upload("after restart".getBytes(StandardCharsets.UTF_8), "/OUT/after-restart.txt");
            }
            assertThat(platform.home("KY_POOLED").resolve("OUT").resolve("after-restart.txt"))
                    .hasContent("after restart");
        }
    }

    @Test
    void sessionsPerAccountAreLimitedAndAWaitingCallerFailsRetryably() throws Exception {
        Path key = registeredKey("FBS_LIMITED", "ed25519", null);
        SftpAccount account = account("FBS_LIMITED", key, null, knownHosts);
        try (SftpConnector connector = new SftpConnector(Duration.ofMillis(500), 1, Duration.ofSeconds(30))) {
            try (SftpConnection held = connector.open(account)) {
                assertThatExceptionOfType(SftpException.class)
                        .isThrownBy(() -> connector.open(account))
                        .satisfies(e -> assertThat(e.retryable()).isTrue())
                        .withMessageContaining("FBS_LIMITED")
                        .withMessageContaining("busy");
                assertThat(held.list("/OUT")).isEmpty();
            }
            try (SftpConnection next = connector.open(account)) {
                assertThat(next.list("/OUT")).isEmpty();
            }
        }
    }

    /** A key pair of the type, its private half written as OpenSSH does, its public half registered. */
    private Path registeredKey(String user, String type, String passphrase)
            throws IOException, GeneralSecurityException {
        KeyPair pair = switch (type) {
            case "ed25519" -> {
                LocalKey local = LocalKeys.generate(dir.resolve("generated-" + user), user);
                platform.addUser(user, local.publicKey());
                remember(local.privateKey());
                yield null;
            }
            case "ecdsa" -> generate("EC", 256);
            case "rsa" -> generate("RSA", 3072);
            default -> throw new IllegalArgumentException(type);
        };
        if (pair == null) {
            return dir.resolve("generated-" + user).resolve(user);
        }
        Path file = dir.resolve(user + "_" + type);
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphrase);
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, user, encryption, out);
        }
        platform.addUser(user, pair.getPublic());
        remember(file);
        return file;
    }

    private static KeyPair generate(String algorithm, int size) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(size);
        return generator.generateKeyPair();
    }

    /** The base64 body of a private key file: what must never appear in a log or an error. */
    private void remember(Path privateKey) throws IOException {
        Files.readAllLines(privateKey).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("-----"))
                .forEach(secrets::add);
        secrets.add(PASSPHRASE);
    }

    private static List<String> chain(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }

    /** The account as {@code sf1820.sftp.accounts[0].*} settings bind it, the way the application reads it. */
    private static SftpAccount bind(Map<String, String> settings) {
        Map<String, String> properties = new LinkedHashMap<>();
        settings.forEach((name, value) -> properties.put("sf1820.sftp.accounts[0]." + name, value));
        properties.put("sf1820.sftp.accounts[0].host", platform.host());
        properties.put("sf1820.sftp.accounts[0].port", Integer.toString(platform.port()));
        properties.put("sf1820.sftp.accounts[0].known-hosts", knownHosts.toString());
        SftpProperties bound = new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("sf1820.sftp", SftpProperties.class);
        return bound.accounts().get(0);
    }

    private static SftpAccount account(String user, Path key, String passphrase, Path knownHosts) {
        return new SftpAccount(user, platform.host(), platform.port(), key, passphrase, knownHosts);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
