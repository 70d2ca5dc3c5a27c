package dk.sf1820.serviceplatform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The emulator as the ITs use it: started on a random loopback port with scans only on demand, a
 * generated key per user, and a known_hosts file holding its host key.
 */
final class TestPlatform implements AutoCloseable {

    final ServiceplatformEmulator emulator;
    final Path knownHosts;
    private final Map<String, LocalKey> keys;

    private TestPlatform(ServiceplatformEmulator emulator, Path knownHosts, Map<String, LocalKey> keys) {
        this.emulator = emulator;
        this.knownHosts = knownHosts;
        this.keys = keys;
    }

    static TestPlatform start(Path dir, String... users) {
        return start(dir, builder -> builder, users);
    }

    /** With more settings, e.g. {@code b -> b.businessReceipts(true)}. */
    static TestPlatform start(Path dir, UnaryOperator<ServiceplatformEmulator.Builder> settings, String... users) {
        Map<String, LocalKey> keys = new LinkedHashMap<>();
        ServiceplatformEmulator.Builder builder = settings.apply(ServiceplatformEmulator.builder()
                .root(dir.resolve("platform")).port(0).scanInterval(Duration.ZERO));
        for (String user : users) {
            LocalKey key = LocalKeys.generate(dir.resolve("keys"), user);
            keys.put(user, key);
            builder.user(user, key.publicKey());
        }
        ServiceplatformEmulator emulator = builder.build();
        emulator.start();
        Path knownHosts = dir.resolve("known_hosts");
        emulator.writeKnownHosts(knownHosts);
        return new TestPlatform(emulator, knownHosts, keys);
    }

    LocalKey key(String user) {
        return keys.get(user);
    }

    @Override
    public void close() {
        emulator.close();
    }
}
