package dk.sf1820.serviceplatform.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.OpenSshSftp;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10: the emulator offers RSA and ECDSA host keys besides ed25519 (older clients have no
 * ed25519), the known_hosts it writes lets JSch and OpenSSH verify whichever they pick, and legacy
 * {@code ssh-rsa} (SHA-1) signatures are refused for host keys and user logins alike.
 */
class HostKeysIT {

    static final String KSD = "KSD_SFTPSIMPEL";

    @TempDir
    static Path dir;

    static ServiceplatformEmulator platform;
    static Path knownHosts;
    static LocalKey rsaUser;

    @BeforeAll
    static void startPlatform() throws Exception {
        KeyPair pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 3072);
        Path privateKey = dir.resolve("keys").resolve("id_rsa");
        Files.createDirectories(privateKey.getParent());
        OpenSshKeyFiles.writePrivateKey(pair, KSD, privateKey);
        rsaUser = new LocalKey(KSD, privateKey, pair.getPublic(), PublicKeyEntry.toString(pair.getPublic()));
        platform = ServiceplatformEmulator.builder()
                .root(dir.resolve("platform"))
                .port(0)
                .scanInterval(Duration.ZERO)
                .user(KSD, pair.getPublic())
                .build();
        platform.start();
        knownHosts = dir.resolve("known_hosts");
        platform.writeKnownHosts(knownHosts);
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void knownHostsListsEveryHostKey() throws Exception {
        assertThat(Files.readAllLines(knownHosts))
                .hasSize(3)
                .allMatch(l -> l.startsWith("[127.0.0.1]:" + platform.port()))
                .anyMatch(l -> l.contains(" ssh-ed25519 "))
                .anyMatch(l -> l.contains(" ecdsa-sha2-nistp256 "))
                .anyMatch(l -> l.contains(" ssh-rsa "));
        assertThat(platform.knownHostsLine()).contains(" ssh-ed25519 ");
        for (HostKeys.Kind kind : HostKeys.Kind.values()) {
            assertThat(platform.root().resolve(kind.fileName)).isRegularFile();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"})
    void jschVerifiesEveryHostKeyTypeAgainstKnownHosts(String algorithm) throws Exception {
        Session session = jsch(Map.of("server_host_key", algorithm));
        try {
            session.connect(10_000);
            String expectedKeyType = algorithm.startsWith("rsa-sha2") ? "ssh-rsa" : algorithm;
            assertThat(session.getHostKey().getType()).isEqualTo(expectedKeyType);
        } finally {
            session.disconnect();
        }
    }

    @Test
    void legacySshRsaHostKeySignaturesAreNotOffered() {
        Session session = jsch(Map.of("server_host_key", "ssh-rsa"));
        assertThatThrownBy(() -> session.connect(10_000))
                .isInstanceOf(JSchException.class)
                .hasMessageContaining("Algorithm negotiation fail");
    }

    @Test
    void rsaUserKeyLogsInWithSha2Signatures() throws Exception {
        Session session = jsch(Map.of("PubkeyAcceptedAlgorithms", "rsa-sha2-256"));
        try {
            session.connect(10_000);
            assertThat(session.isConnected()).isTrue();
        } finally {
            session.disconnect();
        }
    }

    /** The client is told not to trust the server's list, so the server itself must refuse the SHA-1 signature. */
    @Test
    void rsaUserKeySigningWithSha1IsRefused() {
        Session session = jsch(Map.of("PubkeyAcceptedAlgorithms", "ssh-rsa", "enable_server_sig_algs", "no"));
        try {
            assertThatThrownBy(() -> session.connect(10_000))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("Auth fail");
        } finally {
            session.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256", "ssh-ed25519"})
    void openSshSftpVerifiesEveryHostKeyType(String algorithm) throws Exception {
        assumeTrue(OpenSshSftp.installed(), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        OpenSshSftp.Result result = sftp("HostKeyAlgorithms=" + algorithm);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void openSshSftpCannotUseSshRsaHostKeySignatures() throws Exception {
        assumeTrue(OpenSshSftp.installed(), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        OpenSshSftp.Result result = sftp("HostKeyAlgorithms=ssh-rsa");
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("no matching host key type");
    }

    @Test
    void openSshSftpCannotLogInWithSshRsaSignatures() throws Exception {
        assumeTrue(OpenSshSftp.installed(), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        OpenSshSftp.Result refused = sftp("PubkeyAcceptedAlgorithms=ssh-rsa");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("Permission denied");
        OpenSshSftp.Result accepted = sftp("PubkeyAcceptedAlgorithms=rsa-sha2-512");
        assertThat(accepted.exitCode()).as(accepted.output()).isZero();
    }

    @Test
    void everyHostKeyIsKeptAcrossRestarts() {
        Path root = dir.resolve("restarted");
        List<String> first;
        try (ServiceplatformEmulator one =
                ServiceplatformEmulator.builder().root(root).port(0).build()) {
            one.start();
            first = withoutHost(one.knownHostsLines());
        }
        try (ServiceplatformEmulator two =
                ServiceplatformEmulator.builder().root(root).port(0).build()) {
            two.start();
            assertThat(withoutHost(two.knownHostsLines())).isEqualTo(first).hasSize(3);
        }
    }

    private static List<String> withoutHost(List<String> lines) {
        return lines.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
    }

    private static Session jsch(Map<String, String> config) {
        try {
            JSch jsch = new JSch();
            jsch.setKnownHosts(knownHosts.toString());
            jsch.addIdentity(rsaUser.privateKey().toString());
            Session session = jsch.getSession(KSD, platform.host(), platform.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            config.forEach(session::setConfig);
            return session;
        } catch (JSchException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OpenSSH's sftp, listing the home, host key checked strictly against the emulator's known_hosts. */
    private static OpenSshSftp.Result sftp(String option) throws Exception {
        return new OpenSshSftp(platform.port(), KSD, rsaUser.privateKey(), knownHosts).run(dir, "ls /\n", "-o", option);
    }
}
