package dk.sf1820.serviceplatform;

import dk.sf1820.serviceplatform.ssh.OpenSshKeyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Key pairs for local SFTP users (the demo, tests, a first-time installation): {@code <dir>/<user>}
 * holds the private key, {@code <dir>/<user>.pub} the public key.
 */
public final class LocalKeys {

    private LocalKeys() {}

    /** A fresh ed25519 key pair for {@code user}, replacing any key files of that user in {@code dir}. */
    public static LocalKey generate(Path dir, String user) {
        requirePlainName(user);
        try {
            Files.createDirectories(dir);
            KeyPair pair = OpenSshKeyFiles.generateEd25519();
            Path privateKey = dir.resolve(user);
            OpenSshKeyFiles.writePrivateKey(pair, user, privateKey);
            OpenSshKeyFiles.writePublicKey(pair, user, dir.resolve(user + ".pub"));
            return toLocalKey(user, privateKey, pair);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write key files of SFTP user " + user + " in " + dir, e);
        }
    }

    /** The key pair of {@code user} in {@code dir}, generated the first time; stable across restarts. */
    public static LocalKey loadOrGenerate(Path dir, String user) {
        requirePlainName(user);
        Path privateKey = dir.resolve(user);
        if (!Files.isRegularFile(privateKey)) {
            return generate(dir, user);
        }
        try {
            return toLocalKey(user, privateKey, OpenSshKeyFiles.readPrivateKey(privateKey));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read key of SFTP user " + user + " from " + privateKey, e);
        }
    }

    private static LocalKey toLocalKey(String user, Path privateKey, KeyPair pair) {
        String line = PublicKeyEntry.toString(pair.getPublic()) + " " + user;
        return new LocalKey(user, privateKey, pair.getPublic(), line);
    }

    private static void requirePlainName(String user) {
        if (user == null || user.isBlank() || user.contains("/") || user.contains("\\") || user.startsWith(".")) {
            throw new IllegalArgumentException("SFTP user name '" + user + "' cannot be used as a key file name");
        }
    }
}
