package dk.sf1820.serviceplatform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * The platform's SSH host key, kept in {@code <root>/ssh_host_ed25519_key} so that clients' known_hosts
 * entries stay valid across restarts. Generated on first start.
 */
final class HostKey {

    static final String FILE_NAME = "ssh_host_ed25519_key";

    private final KeyPair pair;

    private HostKey(KeyPair pair) {
        this.pair = pair;
    }

    static HostKey loadOrCreate(Path root) {
        Path file = root.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                return new HostKey(OpenSshKeyFiles.readPrivateKey(file));
            }
            Files.createDirectories(root);
            KeyPair pair = OpenSshKeyFiles.generateEd25519();
            OpenSshKeyFiles.writePrivateKey(pair, "serviceplatform-emulator", file);
            return new HostKey(pair);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load or create the emulator's host key " + file, e);
        }
    }

    KeyPair pair() {
        return pair;
    }

    PublicKey publicKey() {
        return pair.getPublic();
    }

    /** {@code SHA256:…}, as {@code ssh-keygen -lf} prints it, for operators comparing fingerprints. */
    String fingerprint() {
        return KeyUtils.getFingerPrint(pair.getPublic());
    }

    /** A known_hosts line for a server listening on {@code host:port}. */
    String knownHostsLine(String host, int port) {
        String hostPattern = port == 22 ? host : "[" + host + "]:" + port;
        return hostPattern + " " + PublicKeyEntry.toString(pair.getPublic());
    }
}
