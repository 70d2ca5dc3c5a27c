package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.JSchException;
import dk.sf1820.serviceplatform.ssh.OpenSshKeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone emulator's users come from a users file; each accepted key type logs in over SFTP. */
class UsersFileLoginIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    @TempDir
    static Path dir;

    static ServiceplatformEmulator platform;
    static Path knownHosts;
    static LocalKey ksdEd25519;
    static LocalKey dstEcdsa;
    static LocalKey dstRsa;

    @BeforeAll
    static void startFromUsersFile() throws Exception {
        ksdEd25519 = keyFile(KSD, "ed25519", KeyPairProvider.SSH_ED25519, 256);
        dstEcdsa = keyFile(DST, "ecdsa", KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        dstRsa = keyFile(DST, "rsa", KeyPairProvider.SSH_RSA, 3072);
        Path usersFile = Files.writeString(dir.resolve("users.txt"), """
                # user  key
                %s
                %s
                %s
                """.formatted(
                        ksdEd25519.authorizedKeyLine(), dstEcdsa.authorizedKeyLine(), dstRsa.authorizedKeyLine()));
        platform = ServiceplatformEmulator.builder()
                .root(dir.resolve("platform"))
                .port(0)
                .scanInterval(Duration.ZERO)
                .users(UsersFile.read(usersFile))
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
    void ed25519KeyLogsIn() throws Exception {
        assertLogsInToOwnHome(ksdEd25519);
    }

    @Test
    void ecdsaNistp256KeyLogsIn() throws Exception {
        assertLogsInToOwnHome(dstEcdsa);
    }

    @Test
    void rsaKeyLogsInWithRsaSha2Signatures() throws Exception {
        assertLogsInToOwnHome(dstRsa);
    }

    @Test
    void keyOfAnotherUserIsRefused() {
        LocalKey wrongUser = new LocalKey(KSD, dstEcdsa.privateKey(), dstEcdsa.publicKey(), "");

        assertThatThrownBy(() ->
                        SftpClient.connect(platform, wrongUser, knownHosts).close())
                .isInstanceOf(JSchException.class)
                .hasMessageContaining("Auth fail");
    }

    @Test
    void usersOfTheFileGetTheirFolders() {
        assertThat(platform.users()).containsExactly(DST, KSD);
        assertThat(platform.home(DST).resolve("IN")).isDirectory();
        assertThat(platform.home(KSD).resolve("OUT")).isDirectory();
    }

    private static void assertLogsInToOwnHome(LocalKey key) throws Exception {
        try (SftpClient client = SftpClient.connect(platform, key, knownHosts)) {
            client.put(key.user().getBytes(), "/OUT/whoami-" + key.privateKey().getFileName());
        }
        assertThat(platform.home(key.user())
                        .resolve("OUT/whoami-" + key.privateKey().getFileName()))
                .hasContent(key.user());
    }

    private static LocalKey keyFile(String user, String name, String type, int bits) throws Exception {
        KeyPair pair = KeyUtils.generateKeyPair(type, bits);
        Path privateKey = dir.resolve("keys").resolve(name);
        Files.createDirectories(privateKey.getParent());
        OpenSshKeyFiles.writePrivateKey(pair, user, privateKey);
        String usersLine = user + " " + PublicKeyEntry.toString(pair.getPublic()) + " " + name + "@test";
        return new LocalKey(user, privateKey, pair.getPublic(), usersLine);
    }
}
