package dk.sf1820.serviceplatform.sftp;

import dk.sf1820.schemas.sftp.PlatformFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's SFTP users: their authorised public keys and their homes
 * {@code <root>/users/<user>/{IN,OUT}}. Every session is confined to its user's home by the
 * virtual file system; a user without a registered key cannot log in.
 */
public final class PlatformUsers implements PublickeyAuthenticator {

    static final String IN = PlatformFolders.IN.substring(1);
    public static final String OUT = PlatformFolders.OUT.substring(1);
    private static final Logger log = LoggerFactory.getLogger(PlatformUsers.class);

    private final Path root;
    private final Path usersRoot;
    private final VirtualFileSystemFactory homes = new VirtualFileSystemFactory();
    // sorted so that every scan visits users, and so triggers, in the same order
    private final Map<String, Set<PublicKey>> keysByUser = new ConcurrentSkipListMap<>();

    public PlatformUsers(Path root) {
        this.root = root;
        this.usersRoot = root.resolve("users");
    }

    /** The platform's own state, beside the users' homes and so out of every SFTP user's reach. */
    public Path platformState() {
        return root.resolve("state");
    }

    /** Registers a user (or one more key of a known user) and creates its IN and OUT folders. */
    public void add(String user, PublicKey key) {
        requireValidName(user);
        Path home = home(user);
        try {
            Files.createDirectories(home.resolve(IN));
            Files.createDirectories(home.resolve(OUT));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the home of SFTP user " + user + " at " + home, e);
        }
        homes.setUserHomeDir(user, home);
        keysByUser.computeIfAbsent(user, u -> new CopyOnWriteArraySet<>()).add(key);
        log.info("SFTP user registered user={} home={} keyFingerprint={}", user, home, KeyUtils.getFingerPrint(key));
    }

    public boolean isRegistered(String user) {
        return user != null && keysByUser.containsKey(user);
    }

    public List<String> names() {
        return List.copyOf(keysByUser.keySet());
    }

    public Path home(String user) {
        return usersRoot.resolve(user);
    }

    public Path in(String user) {
        return home(user).resolve(IN);
    }

    public Path out(String user) {
        return home(user).resolve(OUT);
    }

    public VirtualFileSystemFactory fileSystems() {
        return homes;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        Set<PublicKey> keys = username == null ? null : keysByUser.get(username);
        boolean accepted = keys != null && keys.stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
        if (!accepted) {
            log.warn(
                    "SFTP login refused user={} keyFingerprint={} remote={}",
                    username,
                    KeyUtils.getFingerPrint(key),
                    session.getClientAddress());
        }
        return accepted;
    }

    // a user name becomes a directory name: keep it from naming anything but its own folder
    public static void requireValidName(String user) {
        if (user == null
                || user.isBlank()
                || user.length() > 255
                || user.contains("/")
                || user.contains("\\")
                || user.startsWith(".")
                || user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("SFTP user name '" + user + "' is not allowed: it must be a plain, "
                    + "non-empty folder name without path separators and not starting with '.'");
        }
    }
}
