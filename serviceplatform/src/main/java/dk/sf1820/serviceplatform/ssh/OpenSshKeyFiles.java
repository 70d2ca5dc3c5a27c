package dk.sf1820.serviceplatform.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Reads and writes unencrypted ed25519 key pairs as OpenSSH private key files, the format both
 * OpenSSH and JSch read. Used for the platform's host key and for the keys of local SFTP users.
 */
public final class OpenSshKeyFiles {

    private OpenSshKeyFiles() {}

    public static KeyPair generateEd25519() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Cannot generate an ed25519 key pair (is net.i2p.crypto:eddsa on the " + "class path?): "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Writes the private key with owner-only permissions. The file is created as a temp file with
     * 0600 from the start and renamed into place, so the key is never readable by others, not even
     * briefly, and a crash never leaves half a key under the final name.
     */
    public static void writePrivateKey(KeyPair pair, String comment, Path file) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        createOwnerOnly(temp);
        try (OutputStream out = Files.newOutputStream(temp)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
        } catch (GeneralSecurityException e) {
            Files.deleteIfExists(temp);
            throw new IOException("Cannot encode private key " + file + ": " + e.getMessage(), e);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static void writePublicKey(KeyPair pair, String comment, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePublicKey(pair.getPublic(), comment, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot encode public key " + file + ": " + e.getMessage(), e);
        }
    }

    public static KeyPair readPrivateKey(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs =
                    SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IOException("Key file " + file + " holds no key pair");
            }
            return it.next();
        } catch (GeneralSecurityException e) {
            throw new IOException(
                    "Cannot read key file " + file + " (an unencrypted OpenSSH private key is " + "expected): "
                            + e.getMessage(),
                    e);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): fall back to the platform's default ACLs
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(
                    "Key file " + file + " appeared while being written; is a second emulator "
                            + "using the same root?",
                    e);
        }
    }
}
