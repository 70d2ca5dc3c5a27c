package dk.sf1820.serviceplatform.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * The platform's SSH host keys: ed25519 first, and ECDSA (nistp256) and RSA (3072 bits) for clients
 * too old for ed25519. Each is kept in {@code <root>/ssh_host_<type>_key} (OpenSSH format, 0600), as
 * sshd names them, so that clients' known_hosts entries stay valid across restarts; a missing one is
 * generated at start. RSA host keys sign with {@code rsa-sha2-256}/{@code rsa-sha2-512} only (see
 * {@link SignatureAlgorithms}).
 */
public final class HostKeys {

    /** The kinds of host key offered, in the server's order of preference. */
    enum Kind {
        ED25519("ssh_host_ed25519_key", KeyPairProvider.SSH_ED25519, 256),
        ECDSA("ssh_host_ecdsa_key", KeyPairProvider.ECDSA_SHA2_NISTP256, 256),
        RSA("ssh_host_rsa_key", KeyPairProvider.SSH_RSA, 3072);

        final String fileName;
        private final String keyType;
        private final int bits;

        Kind(String fileName, String keyType, int bits) {
            this.fileName = fileName;
            this.keyType = keyType;
            this.bits = bits;
        }
    }

    private final List<KeyPair> pairs;

    private HostKeys(List<KeyPair> pairs) {
        this.pairs = List.copyOf(pairs);
    }

    public static HostKeys loadOrCreate(Path root) {
        List<KeyPair> pairs = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            pairs.add(loadOrCreate(root, kind));
        }
        return new HostKeys(pairs);
    }

    private static KeyPair loadOrCreate(Path root, Kind kind) {
        Path file = root.resolve(kind.fileName);
        try {
            if (Files.isRegularFile(file)) {
                return OpenSshKeyFiles.readPrivateKey(file);
            }
            Files.createDirectories(root);
            KeyPair pair = KeyUtils.generateKeyPair(kind.keyType, kind.bits);
            OpenSshKeyFiles.writePrivateKey(pair, "serviceplatform-emulator", file);
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load or create the emulator's host key " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Cannot generate the emulator's " + kind.keyType + " host key (for "
                            + "ed25519, is net.i2p.crypto:eddsa on the class path?): " + e.getMessage(),
                    e);
        }
    }

    public KeyPairProvider provider() {
        return KeyPairProvider.wrap(pairs);
    }

    /** The ed25519 key, which every current client picks first. */
    public PublicKey primary() {
        return pairs.get(0).getPublic();
    }

    /** {@code SHA256:…} of the ed25519 key, as {@code ssh-keygen -lf} prints it. */
    public String fingerprint() {
        return KeyUtils.getFingerPrint(primary());
    }

    /** Every key's fingerprint, in the order offered. */
    public List<String> fingerprints() {
        return pairs.stream().map(p -> KeyUtils.getFingerPrint(p.getPublic())).toList();
    }

    /** One known_hosts line per key, for a server listening on {@code host:port}; ed25519 first. */
    public List<String> knownHostsLines(String host, int port) {
        String hostPattern = port == 22 ? host : "[" + host + "]:" + port;
        return pairs.stream()
                .map(p -> hostPattern + " " + PublicKeyEntry.toString(p.getPublic()))
                .toList();
    }
}
