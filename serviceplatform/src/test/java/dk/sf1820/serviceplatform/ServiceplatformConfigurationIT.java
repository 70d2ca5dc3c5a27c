package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.serviceplatform.scan.MetadataForm;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
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

    final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(ServiceplatformConfiguration.class);

    @Test
    void emulatorRunsWhileTheContextDoesAndRoutesForRegisteredUsers() throws Exception {
        AtomicInteger port = new AtomicInteger();
        context.withPropertyValues(
                        "sf1820.serviceplatform.root=" + dir,
                        "sf1820.serviceplatform.scan-interval=0s",
                        "sf1820.serviceplatform.metadata-form=file-metadata")
                .run(ctx -> {
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
    void standaloneSettingsLoadUsersFileAndOpenTheHttpControl() throws Exception {
        LocalKey key = LocalKeys.generate(dir.resolve("keys"), "KSD_SFTPSIMPEL");
        Path usersFile = Files.writeString(
                dir.resolve("users.txt"), "# standalone\n" + key.user() + " " + key.authorizedKeyLine() + "\n");
        context.withPropertyValues(
                        "sf1820.serviceplatform.root=" + dir.resolve("platform"),
                        "sf1820.serviceplatform.users-file=" + usersFile,
                        "sf1820.serviceplatform.http-port=0",
                        "sf1820.serviceplatform.business-receipts=true")
                .run(ctx -> {
                    ServiceplatformEmulator emulator = ctx.getBean(ServiceplatformEmulator.class);
                    assertThat(emulator.users()).containsExactly("KSD_SFTPSIMPEL");
                    Path knownHosts = dir.resolve("known_hosts");
                    emulator.writeKnownHosts(knownHosts);
                    try (SftpClient client = SftpClient.connect(emulator, key, knownHosts)) {
                        assertThat(client.sftp.pwd()).isEqualTo("/");
                    }
                    assertThat(ctx.getBean(EmulatorHttpControl.class).port()).isPositive();
                    assertThat(ctx.getBean(ServiceplatformProperties.class).businessReceipts())
                            .isTrue();
                });
    }

    @Test
    void badUsersFileFailsTheStartNamingTheLine() throws Exception {
        Path usersFile = Files.writeString(dir.resolve("users.txt"), "KSD_SFTPSIMPEL\n");
        context.withPropertyValues(
                        "sf1820.serviceplatform.root=" + dir, "sf1820.serviceplatform.users-file=" + usersFile)
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("Users file " + usersFile + " line 1: expected"));
    }

    @Test
    void defaultsFollowThePlatform() {
        context.withPropertyValues("sf1820.serviceplatform.root=" + dir).run(ctx -> {
            ServiceplatformProperties properties = ctx.getBean(ServiceplatformProperties.class);
            assertThat(properties.scanInterval()).isEqualTo(Duration.ofMinutes(10));
            assertThat(properties.metadataForm()).isEqualTo(MetadataForm.TRIGGER);
            assertThat(properties.port()).isZero();
            assertThat(properties.businessReceipts()).isFalse();
            assertThat(properties.httpPort()).isNull();
            assertThat(ctx).doesNotHaveBean(EmulatorHttpControl.class);
        });
    }

    @Test
    void portOutsideTheRangeIsRefused() {
        context.withPropertyValues("sf1820.serviceplatform.root=" + dir, "sf1820.serviceplatform.port=70000")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("port"));
    }
}
