package dk.sf1820.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * One SFTP user on the platform, as a sender or recipient logs in. Authentication is by key only;
 * the server's host key must be listed in {@code knownHosts}.
 *
 * <p>A passphrase-protected key gets its passphrase from a file ({@code passphrase-file}, e.g. a
 * mounted secret) or an environment variable ({@code passphrase-env}), read once here; the
 * passphrase is never logged and {@link PassphraseOnCommandLineCheck} refuses one given on the
 * command line, where {@code ps} and the shell history would show it.
 *
 * @param user the SFTP user, e.g. {@code KSD_SFTPSIMPEL}
 * @param host server host
 * @param port server port
 * @param privateKey OpenSSH or PEM private key file (ed25519, ECDSA or RSA)
 * @param passphrase the key's passphrase, or null; never logged
 * @param knownHosts OpenSSH known_hosts file holding the server's host key
 * @param passphraseFile a file whose content (without a trailing line break) is the key's passphrase, or null
 * @param passphraseEnv the environment variable holding the key's passphrase, or null
 */
public record SftpAccount(
        String user,
        String host,
        int port,
        Path privateKey,
        String passphrase,
        Path knownHosts,
        Path passphraseFile,
        String passphraseEnv) {

    @ConstructorBinding
    public SftpAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(knownHosts, "knownHosts");
        passphrase = passphrase(user, passphrase, passphraseFile, passphraseEnv, System::getenv);
    }

    /** An account whose key has no passphrase or whose passphrase the caller already holds. */
    public SftpAccount(String user, String host, int port, Path privateKey, String passphrase, Path knownHosts) {
        this(user, host, port, privateKey, passphrase, knownHosts, null, null);
    }

    /** host:port, for logs and events. */
    public String server() {
        return host + ":" + port;
    }

    /** The passphrase from exactly one of its three sources, or null when none is set. */
    static String passphrase(String user, String given, Path file, String variable, UnaryOperator<String> environment) {
        long sources = Stream.of(given, file, variable).filter(Objects::nonNull).count();
        if (sources > 1) {
            throw new IllegalArgumentException(
                    "SFTP account " + user + ": set only one of passphrase, passphrase-file and passphrase-env");
        }
        if (file != null) {
            try {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                return stripLineBreak(content, "passphrase-file " + file + " of SFTP account " + user);
            } catch (IOException e) {
                throw new UncheckedIOException("SFTP account " + user + ": cannot read passphrase-file " + file, e);
            }
        }
        if (variable != null) {
            String value = environment.apply(variable);
            if (value == null) {
                throw new IllegalArgumentException("SFTP account " + user + ": passphrase-env names the environment"
                        + " variable " + variable + ", which is not set");
            }
            return stripLineBreak(value, "environment variable " + variable + " of SFTP account " + user);
        }
        return given;
    }

    /** Files written by {@code echo} or an editor end in a line break that is not part of the passphrase. */
    private static String stripLineBreak(String value, String source) {
        String passphrase = value.endsWith("\r\n")
                ? value.substring(0, value.length() - 2)
                : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        if (passphrase.isEmpty()) {
            throw new IllegalArgumentException("The " + source + " is empty");
        }
        return passphrase;
    }

    @Override
    public String toString() {
        // the passphrase stays out of logs and exception messages
        return "SftpAccount[" + user + "@" + server() + ", key=" + privateKey + ", knownHosts=" + knownHosts + "]";
    }
}
