package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.testsupport.Triggers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3: a restart of the emulator between upload and scan loses nothing and delivers once. */
class RestartBeforeScanIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    @TempDir
    Path dir;

    @Test
    void triggerUploadedBeforeARestartIsDeliveredExactlyOnceAfterIt() throws Exception {
        String fileName = "KSD_DST_0561_M03_20260331080000.zip";
        String sendersFileId = UUID.randomUUID().toString();
        byte[] data = "extract uploaded just before the platform went down".getBytes();
        LocalKey ksd = LocalKeys.generate(dir.resolve("keys"), KSD);
        LocalKey dst = LocalKeys.generate(dir.resolve("keys"), DST);

        // Given a data file and its trigger uploaded, and the platform stopped before it scanned
        try (ServiceplatformEmulator before = platform(ksd, dst)) {
            before.start();
            Path knownHosts = dir.resolve("known_hosts");
            before.writeKnownHosts(knownHosts);
            try (SftpClient sender = SftpClient.connect(before, ksd, knownHosts)) {
                sender.put(data, "/OUT/" + fileName);
                sender.put(
                        Triggers.xml(Triggers.trigger(fileName, data.length, KSD, sendersFileId, List.of(DST))),
                        "/OUT/" + fileName + ".trigger");
            }
        }

        // When a new emulator starts on the same root and scans, twice
        try (ServiceplatformEmulator after = platform(ksd, dst)) {
            after.start();
            ScanReport first = after.scanNow();
            ScanReport second = after.scanNow();

            // Then the delivery happened once: one data file and metadata at DST, one receipt, OUT empty
            assertThat(first.delivered()).singleElement().satisfies(t -> {
                assertThat(t.sendersFileId()).isEqualTo(sendersFileId);
                assertThat(t.triggerName()).isEqualTo(fileName + ".trigger");
            });
            assertThat(second.triggers()).isEmpty();
            assertThat(names(after.home(DST).resolve("IN"))).containsExactly(fileName, fileName + ".metadata");
            assertThat(after.home(DST).resolve("IN").resolve(fileName)).hasBinaryContent(data);
            assertThat(names(after.home(KSD).resolve("IN")))
                    .as("one technical receipt, no business receipt")
                    .containsExactly(fileName + ".sftpreceipt");
            assertThat(names(after.home(KSD).resolve("OUT"))).isEmpty();
        }
    }

    private ServiceplatformEmulator platform(LocalKey... keys) {
        ServiceplatformEmulator.Builder builder = ServiceplatformEmulator.builder()
                .root(dir.resolve("platform"))
                .port(0)
                .scanInterval(Duration.ZERO);
        for (LocalKey key : keys) {
            builder.user(key.user(), key.publicKey());
        }
        return builder.build();
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
