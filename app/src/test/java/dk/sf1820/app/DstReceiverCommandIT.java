package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.stage.PollSchedule;
import dk.sf1820.testsupport.Triggers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

/** {@code ./sf1820 dst-receiver --config FILE}: DST's side alone fetches a delivery from the platform. */
class DstReceiverCommandIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    @TempDir
    Path dir;

    @Test
    void fetchesFromTheEmulatorWithOnlyTheDstStageRunning() throws Exception {
        LocalKey ksd = LocalKeys.generate(dir.resolve("keys"), KSD);
        LocalKey dst = LocalKeys.generate(dir.resolve("keys"), DST);
        String fileName = "KSD_DST_0561_M03_20260331080000.zip";
        byte[] zip = zip();
        try (ServiceplatformEmulator platform = ServiceplatformEmulator.builder()
                .root(dir.resolve("platform"))
                .port(0)
                .scanInterval(Duration.ZERO)
                .user(KSD, ksd.publicKey())
                .user(DST, dst.publicKey())
                .build()) {
            platform.start();
            Path knownHosts = dir.resolve("known_hosts");
            platform.writeKnownHosts(knownHosts);
            // Given a delivery waiting in DST's IN
            Files.write(platform.home(KSD).resolve("OUT").resolve(fileName), zip);
            Files.write(
                    platform.home(KSD).resolve("OUT").resolve(fileName + ".trigger"), trigger(fileName, zip.length));
            assertThat(platform.scanNow().delivered()).hasSize(1);
            Path store = dir.resolve("received");
            Path config = Files.writeString(
                    dir.resolve("dst.properties"),
                    String.join(
                            "\n",
                            "sf1820.work-dir=" + dir.resolve("work"),
                            "sf1820.sftp.accounts[0].user=" + DST,
                            "sf1820.sftp.accounts[0].host=127.0.0.1",
                            "sf1820.sftp.accounts[0].port=" + platform.port(),
                            "sf1820.sftp.accounts[0].private-key=" + dst.privateKey(),
                            "sf1820.sftp.accounts[0].known-hosts=" + knownHosts,
                            "sf1820.dst-receiver.store-dir=" + store,
                            "sf1820.dst-receiver.rejected-dir=" + dir.resolve("rejected"),
                            "sf1820.dst-receiver.poll-interval=200ms"));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();

            // When the dst-receiver command runs
            try (ConfigurableApplicationContext context = new DstReceiverCommand(
                            new PrintStream(printed, true, StandardCharsets.UTF_8))
                    .start(new Cli.Arguments(List.of(), Map.of("config", config.toString()), List.of()))) {
                assertThat(context.getBeanNamesForType(KafkaTemplate.class))
                        .as("no Kafka")
                        .isEmpty();
                assertThat(context.getBeanNamesForType(ServiceplatformEmulator.class))
                        .as("no emulator")
                        .isEmpty();
                assertThat(context.getBeansOfType(PollSchedule.class)).hasSize(1);
                assertThat(printed.toString(StandardCharsets.UTF_8))
                        .contains("DST receiver fetching /IN of " + DST + "@127.0.0.1:" + platform.port()
                                + " every 200ms");

                // Then the file is stored, and IN is cleaned
                Path stored = store.resolve(KSD).resolve(fileName);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(stored));
                assertThat(stored).hasBinaryContent(zip);
                Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    try (var in = Files.list(platform.home(DST).resolve("IN"))) {
                        assertThat(in).isEmpty();
                    }
                });
            }
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Cli.run(
                new String[] {"dst-receiver", "--store", "x"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --store");
    }

    private static byte[] zip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("extract.csv"));
            zip.write("0561;M03;1\n0561;M03;2\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] trigger(String fileName, long size) {
        return Triggers.xml(
                Triggers.trigger(fileName, size, KSD, "6c1f0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", List.of(DST)));
    }
}
