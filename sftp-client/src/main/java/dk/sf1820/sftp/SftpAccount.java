package dk.sf1820.sftp;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One SFTP user on the platform, as a sender or recipient logs in. Authentication is by key only;
 * the server's host key must be listed in {@code knownHosts}.
 *
 * @param user the SFTP user, e.g. {@code KSD_SFTPSIMPEL}
 * @param host server host
 * @param port server port
 * @param privateKey OpenSSH or PEM private key file (ed25519, ECDSA or RSA)
 * @param passphrase the key's passphrase, or null; never logged
 * @param knownHosts OpenSSH known_hosts file holding the server's host key
 */
public record SftpAccount(String user, String host, int port, Path privateKey, String passphrase, Path knownHosts) {

    public SftpAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(knownHosts, "knownHosts");
    }

    /** host:port, for logs and events. */
    public String server() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        // the passphrase stays out of logs and exception messages
        return "SftpAccount[" + user + "@" + server() + ", key=" + privateKey + ", knownHosts=" + knownHosts + "]";
    }
}
