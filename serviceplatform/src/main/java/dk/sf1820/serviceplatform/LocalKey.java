package dk.sf1820.serviceplatform;

import java.nio.file.Path;
import java.security.PublicKey;

/**
 * An SFTP user's key pair on local disk, ready for a client and for registration on the emulator.
 *
 * @param user the SFTP user the key is for
 * @param privateKey unencrypted OpenSSH private key file (0600) that JSch and OpenSSH read
 * @param publicKey the public half, to register with {@link ServiceplatformEmulator#addUser}
 * @param authorizedKeyLine the public key as an {@code authorized_keys} line ({@code ssh-ed25519 AAAA… user})
 */
public record LocalKey(String user, Path privateKey, PublicKey publicKey, String authorizedKeyLine) {

    @Override
    public String toString() {
        return "LocalKey[" + user + ", " + privateKey + "]";
    }
}
