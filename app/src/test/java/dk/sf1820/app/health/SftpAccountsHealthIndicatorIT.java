package dk.sf1820.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.testsupport.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The SFTP part of health against the real emulator, stopped, started again and replaced by one with another host key. */
class SftpAccountsHealthIndicatorIT {

    private static final String USER = "KSD_SFTPSIMPEL";

    @TempDir
    Path dir;

    private ServiceplatformEmulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void goesDownWhenThePlatformGoesAwayAndUpWhenItReturns() throws IOException {
        int port = freePort();
        LocalKey key = LocalKeys.generate(dir.resolve("keys"), USER);
        emulator = start(dir.resolve("platform"), port, key);
        Path knownHosts = dir.resolve("known_hosts");
        emulator.writeKnownHosts(knownHosts);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SftpAccountsHealthIndicator indicator =
                indicator(key, port, knownHosts, Duration.ZERO, Clock.systemUTC(), meters);

        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        assertThat(account(indicator.health())).containsEntry("result", "files {/OUT=0, /IN=0}");
        assertThat(meters.get(PipelineMetrics.SFTP_ACCOUNT_UP)
                        .tag("account", USER)
                        .gauge()
                        .value())
                .isEqualTo(1.0);

        emulator.close();
        Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(account(down).get("error")).asString().contains("Cannot connect to " + USER + "@127.0.0.1:" + port);
        assertThat(meters.get(PipelineMetrics.SFTP_ACCOUNT_UP)
                        .tag("account", USER)
                        .gauge()
                        .value())
                .isZero();

        emulator = start(dir.resolve("platform"), port, key);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aChangedHostKeyIsDownWithTheFingerprintTheServerPresented() throws IOException {
        int port = freePort();
        LocalKey key = LocalKeys.generate(dir.resolve("keys"), USER);
        emulator = start(dir.resolve("platform"), port, key);
        Path knownHosts = dir.resolve("known_hosts");
        emulator.writeKnownHosts(knownHosts);
        SftpAccountsHealthIndicator indicator =
                indicator(key, port, knownHosts, Duration.ZERO, Clock.systemUTC(), new SimpleMeterRegistry());
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        emulator.close();
        // another platform answering on the same address: a new host key (the emulator keeps its key in its root)
        emulator = start(dir.resolve("impostor"), port, key);
        Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(account(down).get("error"))
                .asString()
                .contains("Host key of 127.0.0.1:" + port + " is not trusted")
                .contains("server presented")
                .contains(emulator.hostKeyFingerprint());
    }

    @Test
    void aResultIsReusedForTheCheckInterval() throws IOException {
        int port = freePort();
        LocalKey key = LocalKeys.generate(dir.resolve("keys"), USER);
        emulator = start(dir.resolve("platform"), port, key);
        Path knownHosts = dir.resolve("known_hosts");
        emulator.writeKnownHosts(knownHosts);
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        SftpAccountsHealthIndicator indicator =
                indicator(key, port, knownHosts, Duration.ofMinutes(5), clock, new SimpleMeterRegistry());
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        emulator.close();
        clock.advance(Duration.ofMinutes(4));
        assertThat(indicator.health().getStatus())
                .as("within the interval: no new login")
                .isEqualTo(Status.UP);
        clock.advance(Duration.ofMinutes(2));
        assertThat(indicator.health().getStatus()).as("after it: checked again").isEqualTo(Status.DOWN);
    }

    private static SftpAccountsHealthIndicator indicator(
            LocalKey key, int port, Path knownHosts, Duration interval, Clock clock, SimpleMeterRegistry meters) {
        SftpAccount account = new SftpAccount(USER, "127.0.0.1", port, key.privateKey(), null, knownHosts);
        return new SftpAccountsHealthIndicator(
                List.of(account),
                new SftpConnector(Duration.ofSeconds(5)),
                List.of("/OUT", "/IN"),
                interval,
                clock,
                new PipelineMetrics(meters));
    }

    private static ServiceplatformEmulator start(Path root, int port, LocalKey key) {
        ServiceplatformEmulator started = ServiceplatformEmulator.builder()
                .root(root)
                .port(port)
                .scanInterval(Duration.ZERO)
                .users(Map.of(USER, List.of(key.publicKey())))
                .build();
        started.start();
        return started;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> account(Health health) {
        return (Map<String, Object>) health.getDetails().get(USER);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
