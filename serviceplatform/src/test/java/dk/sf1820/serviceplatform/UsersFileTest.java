package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryAcceptedKeyTypeWithCommentsBlankLinesAndSeveralKeysPerUser() throws Exception {
        PublicKey ed25519 = key(KeyPairProvider.SSH_ED25519, 256);
        PublicKey ecdsa = key(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        PublicKey rsa = key(KeyPairProvider.SSH_RSA, 2048);
        Path file = write("""
                # the platform's users
                KSD_SFTPSIMPEL          %s ksd@municipality

                DST-CEMOS-SFTPUsername\t%s
                  DST-CEMOS-SFTPUsername  %s second key, rsa-sha2-256/512 logins
                """.formatted(line(ed25519), line(ecdsa), line(rsa)));

        Map<String, List<PublicKey>> users = UsersFile.read(file);

        assertThat(users).containsOnlyKeys("KSD_SFTPSIMPEL", "DST-CEMOS-SFTPUsername");
        assertThat(KeyUtils.compareKeys(users.get("KSD_SFTPSIMPEL").get(0), ed25519))
                .isTrue();
        assertThat(users.get("DST-CEMOS-SFTPUsername")).hasSize(2);
        assertThat(KeyUtils.compareKeys(users.get("DST-CEMOS-SFTPUsername").get(0), ecdsa))
                .isTrue();
        assertThat(KeyUtils.compareKeys(users.get("DST-CEMOS-SFTPUsername").get(1), rsa))
                .isTrue();
    }

    @Test
    void userWithoutKeyNamesFileAndLine() throws Exception {
        Path file = write("# users\nKSD_SFTPSIMPEL " + line(key(KeyPairProvider.SSH_ED25519, 256)) + "\nDUBU_SFTP\n");

        assertThatThrownBy(() -> UsersFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Users file " + file + " line 3: expected '<user> <key type> <base64 key> [comment]', "
                        + "found only 'DUBU_SFTP'");
    }

    @Test
    void publicKeyLineWithoutUserIsExplained() throws Exception {
        Path file = write(line(key(KeyPairProvider.SSH_ED25519, 256)) + " ksd@host\n");

        assertThatThrownBy(() -> UsersFile.read(file))
                .hasMessageStartingWith("Users file " + file + " line 1: ")
                .hasMessageContaining("the line starts with the key type 'ssh-ed25519'; put the SFTP user first");
    }

    @Test
    void dsaKeyIsRefused() throws Exception {
        Path file = write("KSD_SFTPSIMPEL ssh-dss AAAAB3NzaC1kc3MAAACBAP== old\n");

        assertThatThrownBy(() -> UsersFile.read(file))
                .hasMessageStartingWith("Users file " + file + " line 1: ")
                .hasMessageContaining("key type 'ssh-dss' is not accepted")
                .hasMessageContaining("ssh-ed25519");
    }

    @Test
    void undecodableKeyIsRefused() throws Exception {
        Path file = write("\n\nKSD_SFTPSIMPEL ssh-ed25519 bm90IGEga2V5 broken\n");

        assertThatThrownBy(() -> UsersFile.read(file))
                .hasMessageStartingWith("Users file " + file + " line 3: ")
                .hasMessageContaining("the ssh-ed25519 key cannot be decoded");
    }

    @Test
    void shortRsaKeyIsRefused() throws Exception {
        Path file = write("KSD_SFTPSIMPEL " + line(key(KeyPairProvider.SSH_RSA, 1024)) + "\n");

        assertThatThrownBy(() -> UsersFile.read(file))
                .hasMessageStartingWith("Users file " + file + " line 1: ")
                .hasMessageContaining("the RSA key has 1024 bits; at least 2048 are required");
    }

    @Test
    void userNameThatIsAPathIsRefused() throws Exception {
        Path file = write("../etc " + line(key(KeyPairProvider.SSH_ED25519, 256)) + "\n");

        assertThatThrownBy(() -> UsersFile.read(file))
                .hasMessageStartingWith("Users file " + file + " line 1: ")
                .hasMessageContaining("SFTP user name '../etc' is not allowed");
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.txt");

        assertThatThrownBy(() -> UsersFile.read(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Cannot read users file " + file);
    }

    private Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("users.txt"), content);
    }

    private static PublicKey key(String type, int bits) throws Exception {
        KeyPair pair = KeyUtils.generateKeyPair(type, bits);
        return pair.getPublic();
    }

    private static String line(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }
}
