package dk.sf1820.serviceplatform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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
        Map<String, LocalKey> keys = new LinkedHashMap<>();
        ServiceplatformEmulator.Builder builder = ServiceplatformEmulator.builder().root(dir.resolve("platform"))
                .port(0).scanInterval(Duration.ZERO);
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
