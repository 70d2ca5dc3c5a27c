package dk.sf1820.serviceplatform;

import static com.jcraft.jsch.ChannelSftp.SSH_FX_NO_SUCH_FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may log in, and what a logged-in user can reach: only its own home, by key only. */
class SftpAccessIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    @TempDir
    static Path dir;

    static ServiceplatformEmulator platform;
    static LocalKey ksd;
    static Path knownHosts;

    @BeforeAll
    static void startPlatform() throws Exception {
        ServiceplatformFixture test = ServiceplatformFixture.start(dir, KSD, DST);
        platform = test.emulator();
        ksd = test.key(KSD);
        knownHosts = test.knownHosts();
        Files.writeString(platform.home(DST).resolve("IN/secret.zip"), "DST's delivery");
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void userSeesOnlyItsOwnInAndOut() throws Exception {
        try (SftpClient client = SftpClient.connect(platform, ksd, knownHosts)) {
            assertThat(client.sftp.pwd()).isEqualTo("/");
            List<String> names = client.sftp.ls("/").stream()
                    .map(e -> e.getFilename())
                    .filter(n -> !n.equals(".") && !n.equals(".."))
                    .toList();
            assertThat(names).contains("IN", "OUT").doesNotContain(DST, "users");
            client.sftp.cd("..");
            assertThat(client.sftp.pwd()).isEqualTo("/");
        }
    }

    @Test
    void cannotReadOrListAnotherUsersFolders() throws Exception {
        try (SftpClient client = SftpClient.connect(platform, ksd, knownHosts)) {
            for (String path : List.of(
                    "../" + DST + "/IN/secret.zip",
                    "/../" + DST + "/IN/secret.zip",
                    "/../../users/" + DST + "/IN/secret.zip",
                    platform.home(DST).resolve("IN/secret.zip").toString())) {
                assertNoSuchFile(() -> client.get(path));
            }
            assertNoSuchFile(() -> client.sftp.ls("/../" + DST + "/IN"));
            assertNoSuchFile(() -> client.sftp.ls(platform.home(DST).toString()));
        }
    }

    @Test
    void cannotWriteIntoAnotherUsersFoldersNorEscapeItsHome() throws Exception {
        try (SftpClient client = SftpClient.connect(platform, ksd, knownHosts)) {
            // no such folder inside KSD's home: refused
            assertThatThrownBy(() -> client.put("x".getBytes(), "/../" + DST + "/IN/planted.zip"))
                    .isInstanceOf(SftpException.class);
            // ".." stops at the home: the file lands in KSD's own home, never above it
            client.put("x".getBytes(), "/../../escape.txt");
        }
        assertThat(platform.home(DST).resolve("IN/planted.zip")).doesNotExist();
        assertThat(platform.home(KSD).resolve("escape.txt")).exists();
        assertThat(platform.root().resolve("escape.txt")).doesNotExist();
        assertThat(platform.root().resolve("users/escape.txt")).doesNotExist();
        assertThat(dir.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void inAndOutCannotBeRemovedOrRenamed() throws Exception {
        try (SftpClient client = SftpClient.connect(platform, ksd, knownHosts)) {
            client.sftp.mkdir("/IN/empty");
            client.sftp.rmdir("/IN/empty");
            assertThatThrownBy(() -> client.sftp.rmdir("/OUT")).isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> client.sftp.rename("/IN", "/IN2")).isInstanceOf(SftpException.class);
        }
        assertThat(platform.home(KSD).resolve("OUT")).isDirectory();
        assertThat(platform.home(KSD).resolve("IN")).isDirectory();
    }

    @Test
    void linksCannotBeCreated() throws Exception {
        try (SftpClient client = SftpClient.connect(platform, ksd, knownHosts)) {
            assertThatThrownBy(() -> client.sftp.symlink("/../" + DST + "/IN", "/OUT/dst-in"))
                    .isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> client.sftp.symlink("/IN", "/OUT/own-in")).isInstanceOf(SftpException.class);
        }
        assertThat(platform.home(KSD).resolve("OUT/dst-in")).doesNotExist();
        assertThat(platform.home(KSD).resolve("OUT/own-in")).doesNotExist();
    }

    @Test
    void passwordAndKeyboardInteractiveAreRefused() throws Exception {
        for (String method : List.of("password", "keyboard-interactive")) {
            JSch jsch = new JSch();
            jsch.setKnownHosts(knownHosts.toString());
            Session session = jsch.getSession(KSD, platform.host(), platform.port());
            session.setPassword("anything");
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", method);
            assertThatThrownBy(() -> session.connect(10_000))
                    .as(method)
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("Auth");
            assertThat(session.isConnected()).isFalse();
        }
    }

    @Test
    void unregisteredKeyIsRefused() {
        LocalKey stranger = LocalKeys.generate(dir.resolve("stranger"), KSD);
        assertThatThrownBy(() -> SftpClient.connect(platform, stranger, knownHosts))
                .isInstanceOf(JSchException.class)
                .hasMessageContaining("Auth fail");
        LocalKey unknownUser = LocalKeys.generate(dir.resolve("keys"), "NOT_A_USER");
        assertThatThrownBy(() -> SftpClient.connect(platform, unknownUser, knownHosts))
                .isInstanceOf(JSchException.class)
                .hasMessageContaining("Auth fail");
    }

    @Test
    void userAddedWhileRunningCanLogIn() throws Exception {
        LocalKey late = LocalKeys.generate(dir.resolve("keys"), "KP_SFTPSIMPEL");
        platform.addUser(late.user(), late.publicKey());
        try (SftpClient client = SftpClient.connect(platform, late, knownHosts)) {
            client.put("hello".getBytes(), "/OUT/hello.txt");
        }
        assertThat(platform.home("KP_SFTPSIMPEL").resolve("OUT/hello.txt")).hasContent("hello");
    }

    @Test
    void privateKeyIsReadableByItsOwnerOnly() throws Exception {
        assertThat(Files.getPosixFilePermissions(ksd.privateKey()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(ksd.privateKey().resolveSibling(KSD + ".pub")).content().startsWith("ssh-ed25519 ");
        assertThat(ksd.authorizedKeyLine()).startsWith("ssh-ed25519 ").endsWith(" " + KSD);
    }

    @Test
    void hostKeyStaysTheSameAcrossRestarts() throws Exception {
        Path root = dir.resolve("restart");
        Path firstKnownHosts = dir.resolve("restart_known_hosts");
        String fingerprint;
        int port;
        try (ServiceplatformEmulator first = ServiceplatformEmulator.builder()
                .root(root)
                .scanInterval(Duration.ZERO)
                .user(KSD, ksd.publicKey())
                .build()) {
            first.start();
            fingerprint = first.hostKeyFingerprint();
            port = first.port();
            first.writeKnownHosts(firstKnownHosts);
        }
        try (ServiceplatformEmulator second = ServiceplatformEmulator.builder()
                .root(root)
                .port(port)
                .scanInterval(Duration.ZERO)
                .user(KSD, ksd.publicKey())
                .build()) {
            second.start();
            assertThat(second.hostKeyFingerprint()).isEqualTo(fingerprint).startsWith("SHA256:");
            // the known_hosts written before the restart still verifies the server
            try (SftpClient client = SftpClient.connect(second, ksd, firstKnownHosts)) {
                assertThat(client.sftp.pwd()).isEqualTo("/");
            }
        }
        try (ServiceplatformEmulator other = ServiceplatformEmulator.builder()
                .root(dir.resolve("other"))
                .port(port)
                .scanInterval(Duration.ZERO)
                .user(KSD, ksd.publicKey())
                .build()) {
            other.start();
            // a different server on the same address is not trusted
            assertThatThrownBy(() -> SftpClient.connect(other, ksd, firstKnownHosts))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("HostKey");
        }
    }

    private static void assertNoSuchFile(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        SftpException.class, e -> assertThat(e.id).isEqualTo(SSH_FX_NO_SUCH_FILE));
    }
}
