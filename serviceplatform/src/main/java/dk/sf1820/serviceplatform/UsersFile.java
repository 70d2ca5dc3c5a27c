package dk.sf1820.serviceplatform;

import dk.sf1820.serviceplatform.sftp.PlatformUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The standalone emulator's list of SFTP users and the public keys they log in with, one key per line:
 *
 * <pre>
 * # user                  OpenSSH public key line (as in ~/.ssh/id_ed25519.pub)
 * KSD_SFTPSIMPEL          ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… ksd@host
 * DST-CEMOS-SFTPUsername  ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAA…
 * DST-CEMOS-SFTPUsername  ssh-rsa AAAAB3NzaC1yc2EAAAA… second key of the same user
 * </pre>
 *
 * Blank lines and lines starting with {@code #} are ignored; a user may have several lines. Anything
 * else that cannot be used fails the whole file, naming the file, the line number and the reason: an
 * emulator that starts with a user silently missing would be debugged from the client's side.
 */
public final class UsersFile {

    /**
     * Key types the platform's users may have: ed25519, ECDSA, and RSA ({@code ssh-rsa} keys, which
     * sign with rsa-sha2-256/512). DSA is refused, as current OpenSSH does.
     */
    static final Set<String> KEY_TYPES =
            Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa");

    static final int MIN_RSA_BITS = 2048;

    private UsersFile() {}

    /**
     * @return the keys of each user, users in file order
     * @throws IllegalArgumentException naming the file, the line and the reason for the first bad line
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Map<String, List<PublicKey>> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read users file " + file + ": " + e.getMessage(), e);
        }
        Map<String, List<PublicKey>> keysByUser = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                String[] userAndKey = line.split("\\s+", 2);
                if (userAndKey.length < 2) {
                    throw new IllegalArgumentException("expected '<user> <key type> <base64 key> [comment]', "
                            + "found only '" + userAndKey[0] + "'");
                }
                String user = userAndKey[0];
                if (KEY_TYPES.contains(user) || user.equals("ssh-dss")) {
                    // the easiest mistake: a .pub line pasted without the user in front
                    throw new IllegalArgumentException("the line starts with the key type '" + user + "'; put the "
                            + "SFTP user first: '<user> " + user + " AAAA… [comment]'");
                }
                PlatformUsers.requireValidName(user);
                keysByUser.computeIfAbsent(user, u -> new ArrayList<>()).add(publicKey(userAndKey[1].strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Users file " + file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return keysByUser;
    }

    private static PublicKey publicKey(String keyLine) {
        String type = keyLine.split("\\s+", 2)[0];
        if (!KEY_TYPES.contains(type)) {
            throw new IllegalArgumentException("key type '" + type + "' is not accepted; use one of "
                    + KEY_TYPES.stream().sorted().toList());
        }
        PublicKey key;
        try {
            key = PublicKeyEntry.parsePublicKeyEntry(keyLine)
                    .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the " + type + " key cannot be decoded (" + e.getMessage() + ")", e);
        }
        if (key == null) {
            throw new IllegalArgumentException("the " + type + " key cannot be decoded");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("the RSA key has "
                    + rsa.getModulus().bitLength() + " bits; at least " + MIN_RSA_BITS + " are required");
        }
        return key;
    }
}
