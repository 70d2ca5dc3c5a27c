package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.testsupport.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Issue 12: one transfer's personal data leaves the staging area on request, and the audit says when. */
class PurgeCommandIT {

    static final EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);

    @TempDir
    static Path work;

    @BeforeAll
    static void startKafka() {
        kafka.afterPropertiesSet();
    }

    @AfterAll
    static void stopKafka() {
        kafka.destroy();
    }

    @Test
    void purgeDeletesTheTransfersExtractAndPackageWithAnEventEachAndLeavesOthersAlone() throws Exception {
        // Given a transfer whose extract and package are still staged (a failed transfer, within its retention)
        String transferId = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        Path staging = work.resolve("staging");
        Path extract = write(staging.resolve("extracts").resolve(transferId).resolve("sygedage.csv"), "cpr;dage\n");
        Path zip = write(staging.resolve("packages").resolve(transferId).resolve("KSD_DST_0561_M03_1.zip"), "PK");
        Path othersZip = write(staging.resolve("packages").resolve(other).resolve("KSD_DST_0561_M03_2.zip"), "PK");

        // When an operator purges it
        String[] result = cli("purge", transferId);

        // Then both folders are gone, each with its HousekeepingPerformed, and another transfer's package stays
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1]).contains("deleted " + extract.getParent()).contains("deleted " + zip.getParent());
        assertThat(extract.getParent()).doesNotExist();
        assertThat(zip.getParent()).doesNotExist();
        assertThat(othersZip).exists();
        try (var housekeeping = TopicReader.events(kafka.getBrokersAsString(), Topics.HOUSEKEEPING.name())) {
            List<HousekeepingPerformed> events = housekeeping.await(transferId, 2).stream()
                    .map(r -> (HousekeepingPerformed) r.value())
                    .toList();
            assertThat(events)
                    .extracting(HousekeepingPerformed::getAction)
                    .containsExactly(
                            HousekeepingAction.EXTRACT_DELETED.name(), HousekeepingAction.PACKAGE_DELETED.name());
            assertThat(events).allSatisfy(e -> assertThat(e.getDetail()).contains("purged on request"));
        }

        // And a second purge finds nothing left
        String[] again = cli("purge", transferId);
        assertThat(again[0]).isEqualTo("0");
        assertThat(again[1]).contains("nothing of transferId " + transferId);
    }

    @Test
    void purgeRefusesWhatIsNoTransferIdBeforeTouchingAnything() {
        String[] result = cli("purge", "../packages");

        assertThat(result[0]).isEqualTo(String.valueOf(Cli.USAGE));
        assertThat(result[2]).contains("'../packages' is not a transferId");
    }

    private static Path write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** Exit status, standard output, standard error. */
    private static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--sf1820.work-dir=" + work,
                "--sf1820.embedded.kafka=false",
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString()));
        int status = Cli.run(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {
            String.valueOf(status), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
        };
    }
}
