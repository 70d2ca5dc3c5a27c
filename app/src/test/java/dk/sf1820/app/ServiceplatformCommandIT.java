package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.testsupport.Triggers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

/** {@code ./sf1820 serviceplatform}: the emulator alone, users from a file, scans on demand over HTTP. */
class ServiceplatformCommandIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    @TempDir
    Path dir;

    @Test
    void runsOnlyTheEmulatorPrintsItsFingerprintAndScansOnDemand() throws Exception {
        LocalKey ksd = LocalKeys.generate(dir.resolve("keys"), KSD);
        LocalKey dst = LocalKeys.generate(dir.resolve("keys"), DST);
        Path users = Files.writeString(
                dir.resolve("users.txt"),
                "# standalone users\n" + KSD + " " + ksd.authorizedKeyLine() + "\n" + DST + " "
                        + dst.authorizedKeyLine() + "\n");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Cli.Arguments arguments = new Cli.Arguments(
                List.of("--sf1820.work-dir=" + dir.resolve("work")),
                Map.of(
                        "port",
                        "0",
                        "root",
                        dir.resolve("platform").toString(),
                        "users",
                        users.toString(),
                        "scan-interval",
                        "0s",
                        "http-port",
                        "0"),
                List.of());

        try (ConfigurableApplicationContext context =
                new ServiceplatformCommand(new PrintStream(printed, true, StandardCharsets.UTF_8)).start(arguments)) {
            ServiceplatformEmulator emulator = context.getBean(ServiceplatformEmulator.class);
            String banner = printed.toString(StandardCharsets.UTF_8);
            assertThat(banner)
                    .contains("listening on 127.0.0.1:" + emulator.port())
                    .contains("host key fingerprint: " + emulator.hostKeyFingerprint())
                    .contains("users:                " + DST + ", " + KSD)
                    .contains("trigger scan:         on demand only");
            assertThat(emulator.hostKeyFingerprint()).startsWith("SHA256:");
            assertThat(dir.resolve("platform/ssh_host_ed25519_key")).exists();
            assertThat(context.getBeanNamesForType(KafkaTemplate.class))
                    .as("no Kafka in standalone mode")
                    .isEmpty();
            assertThat(context.containsBean("embeddedKafkaBroker")).isFalse();

            String fileName = "KSD_DST_0561_M03_20260331080000.zip";
            Path out = emulator.home(KSD).resolve("OUT");
            Files.write(out.resolve(fileName), new byte[42]);
            Files.write(out.resolve(fileName + ".trigger"), trigger(fileName, 42));
            HttpResponse<String> scan = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(scanUrl(banner)))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(scan.statusCode()).isEqualTo(200);
            assertThat(scan.body()).contains("DELIVERED user=" + KSD + " trigger=" + fileName + ".trigger");
            assertThat(emulator.home(DST).resolve("IN").resolve(fileName + ".metadata"))
                    .exists();
        }
    }

    @Test
    void badUsersFileLineStopsTheStartNamingFileAndLine() throws Exception {
        Path users = Files.writeString(dir.resolve("users.txt"), "# users\n\nKSD_SFTPSIMPEL ssh-dss AAAA\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Cli.run(
                new String[] {"serviceplatform", "--root", dir.toString(), "--users", users.toString()},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith(
                        "sf1820 serviceplatform: Users file " + users + " line 3: key type 'ssh-dss' is not accepted");
        assertThat(dir.resolve("ssh_host_ed25519_key")).as("nothing started").doesNotExist();
    }

    @Test
    void missingUsersOptionIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Cli.run(
                new String[] {"serviceplatform", "--root", dir.toString()},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--users is required");
    }

    private static String scanUrl(String banner) {
        Matcher url = Pattern.compile("curl -X POST (http://127\\.0\\.0\\.1:\\d+/scan)")
                .matcher(banner);
        assertThat(url.find()).as(banner).isTrue();
        return url.group(1);
    }

    private static byte[] trigger(String fileName, long size) {
        return Triggers.xml(
                Triggers.trigger(fileName, size, KSD, "2f0d3c8e-5b1a-4c2e-9d7f-0a1b2c3d4e5f", List.of(DST)));
    }
}
