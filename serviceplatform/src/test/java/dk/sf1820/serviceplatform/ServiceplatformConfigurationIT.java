package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ServiceplatformConfigurationIT {

    @TempDir
    Path dir;

    final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(ServiceplatformConfiguration.class);

    @Test
    void emulatorRunsWhileTheContextDoesAndRoutesForRegisteredUsers() throws Exception {
        AtomicInteger port = new AtomicInteger();
        context.withPropertyValues("sf1820.serviceplatform.root=" + dir, "sf1820.serviceplatform.scan-interval=0s",
                "sf1820.serviceplatform.metadata-form=trigger").run(ctx -> {
                    ServiceplatformEmulator emulator = ctx.getBean(ServiceplatformEmulator.class);
                    port.set(emulator.port());
                    LocalKey key = LocalKeys.generate(dir.resolve("keys"), "KSD_SFTPSIMPEL");
                    emulator.addUser(key.user(), key.publicKey());
                    Path knownHosts = dir.resolve("known_hosts");
                    emulator.writeKnownHosts(knownHosts);
                    try (SftpClient client = SftpClient.connect(emulator, key, knownHosts)) {
                        assertThat(client.sftp.pwd()).isEqualTo("/");
                    }
                    assertThat(emulator.root()).isEqualTo(dir.toAbsolutePath().normalize());
                });
        Assertions.assertThatThrownBy(() -> new Socket("127.0.0.1", port.get()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void defaultsFollowThePlatform() {
        context.withPropertyValues("sf1820.serviceplatform.root=" + dir).run(ctx -> {
            ServiceplatformProperties properties = ctx.getBean(ServiceplatformProperties.class);
            assertThat(properties.scanInterval()).isEqualTo(Duration.ofMinutes(10));
            assertThat(properties.metadataForm()).isEqualTo(MetadataForm.FILE_METADATA);
            assertThat(properties.port()).isZero();
        });
    }

    @Test
    void portOutsideTheRangeIsRefused() {
        context.withPropertyValues("sf1820.serviceplatform.root=" + dir, "sf1820.serviceplatform.port=70000")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("port"));
    }
}
