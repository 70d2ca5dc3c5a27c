package dk.sf1820.serviceplatform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The emulator as integration tests run it: on a free loopback port, scanning only when the test calls
 * {@code scanNow()}, a key generated per user and a known_hosts file holding its host keys, so a client
 * logs in exactly as at the real platform (key auth, host key checked). Layout under the given folder:
 * {@code platform/} (the emulator's root), {@code keys/<user>[.pub]} and {@code known_hosts}.
 *
 * <p>It is main code rather than a test-jar because the tests of six modules use it (this one,
 * sftp-client, transporter, receipt-tracker, dst-receiver and app): a test-jar resolves in the reactor
 * only once the build reaches {@code package} (a {@code test-compile} or an IDE run stumbles) and
 * brings none of its test-scoped dependencies. It uses nothing the emulator does not already ship.
 */
public final class ServiceplatformFixture implements AutoCloseable {

    private final ServiceplatformEmulator emulator;
    private final Path knownHosts;
    private final Map<String, LocalKey> keys;

    private ServiceplatformFixture(ServiceplatformEmulator emulator, Path knownHosts, Map<String, LocalKey> keys) {
        this.emulator = emulator;
        this.knownHosts = knownHosts;
        this.keys = keys;
    }

    /** Starts the emulator with these users, each with a generated ed25519 key. */
    public static ServiceplatformFixture start(Path dir, String... users) {
        return start(dir, builder -> builder, users);
    }

    /** With more settings, e.g. {@code b -> b.businessReceipts(true)} or {@code b -> b.clock(clock)}. */
    public static ServiceplatformFixture start(
            Path dir, UnaryOperator<ServiceplatformEmulator.Builder> settings, String... users) {
        Map<String, LocalKey> keys = new LinkedHashMap<>();
        ServiceplatformEmulator.Builder builder = settings.apply(ServiceplatformEmulator.builder()
                .root(dir.resolve("platform"))
                .port(0)
                .scanInterval(Duration.ZERO));
        for (String user : users) {
            LocalKey key = LocalKeys.generate(dir.resolve("keys"), user);
            keys.put(user, key);
            builder.user(user, key.publicKey());
        }
        ServiceplatformEmulator emulator = builder.build();
        emulator.start();
        Path knownHosts = dir.resolve("known_hosts");
        emulator.writeKnownHosts(knownHosts);
        return new ServiceplatformFixture(emulator, knownHosts, keys);
    }

    public ServiceplatformEmulator emulator() {
        return emulator;
    }

    /** The known_hosts file a client checks the emulator's host key against. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The user's generated key pair; its {@code privateKey()} is what a client logs in with. */
    public LocalKey key(String user) {
        LocalKey key = keys.get(user);
        if (key == null) {
            throw new IllegalArgumentException("no user " + user + " in this fixture; users: " + keys.keySet());
        }
        return key;
    }

    @Override
    public void close() {
        emulator.close();
    }
}
