package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dk.sf1820.dst.ReceivedFile;
import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The walking skeleton's promise (issue 2): one extract for each of the five fagsystems goes through
 * every stage on a real broker and the real emulator, and DST ends up holding exactly the packaged
 * bytes, announced by a metadata file naming sender, recipient, size and SendersFileId; each receipt is
 * consumed and removed; each transfer has exactly one outcome.
 */
class PipelineEndToEndIT {

    @RegisterExtension
    static final TestPipeline pipeline = TestPipeline.onOwnBroker();

    @Test
    void everyFagsystemsExtractReachesDstExactlyOnce() throws Exception {
        // Given one extract per fagsystem with an extract
        FagsystemRegistry registry = pipeline.app().getBean(FagsystemRegistry.class);
        ExtractSubmitter submitter = pipeline.app().getBean(ExtractSubmitter.class);
        Map<String, Fagsystem> submitted = new HashMap<>();
        for (Fagsystem fagsystem : registry.withExtract()) {
            Path extract = Files.writeString(
                    pipeline.work().resolve(fagsystem.code() + ".csv"),
                    "sagsnummer;beloeb\n" + fagsystem.code() + "-1;12,50\n" + fagsystem.code() + "-2;7,25\n");
            // When it is submitted
            submitted.put(submitter.submit(new ExtractRequest(fagsystem.code(), "561", "M03", extract)), fagsystem);
        }
        assertThat(submitted).hasSize(5);

        // Then DST receives every file, and every transfer ends in a DeliverySucceeded
        await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.dst().containsAll(submitted.keySet()));
        Map<String, List<SpecificRecordBase>> outcomes = new HashMap<>();
        Map<String, PackageReady> packages = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            read(Topics.DELIVERY_OUTCOME.name(), outcomes);
            return outcomes.keySet().containsAll(submitted.keySet());
        });
        read(Topics.PACKAGE_READY.name(), new HashMap<>())
                .forEach(e -> packages.put(TransferRef.of(e).transferId(), (PackageReady) e));

        for (var entry : submitted.entrySet()) {
            String transferId = entry.getKey();
            Fagsystem fagsystem = entry.getValue();
            assertThat(outcomes.get(transferId))
                    .as("outcomes of %s", transferId)
                    .hasSize(1)
                    .first()
                    .isInstanceOf(DeliverySucceeded.class);

            PackageReady pkg = packages.get(transferId);
            ReceivedFile atDst = pipeline.dst().get(transferId);
            assertThat(atDst.fileName())
                    .isEqualTo(pkg.getFileName())
                    .matches(fagsystem.code() + "_DST_0561_M03_\\d{14}\\.zip");
            assertThat(atDst.sender()).isEqualTo(fagsystem.sftpUser());
            assertThat(atDst.sizeBytes()).isEqualTo(pkg.getSizeBytes());
            assertThat(atDst.fileType()).isEqualTo("SF1820_" + fagsystem.code());
            assertThat(atDst.fileTransferUUID()).isNotBlank();
            // the package itself is deleted once the transfer succeeded: its SHA-256 stands for it
            assertThat(sha256(Files.readAllBytes(atDst.storedAt()))).isEqualTo(pkg.getSha256());
        }

        // And the personal data has left this machine's staging area, each deletion on the audit topic (issue 12)
        Path staging = pipeline.work().resolve("staging");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, List<SpecificRecordBase>> housekeeping = new HashMap<>();
            read(Topics.HOUSEKEEPING.name(), housekeeping);
            for (String transferId : submitted.keySet()) {
                assertThat(housekeeping.get(transferId))
                        .as("housekeeping of %s", transferId)
                        .extracting(e -> ((HousekeepingPerformed) e).getAction())
                        .contains(HousekeepingAction.EXTRACT_DELETED.name(), HousekeepingAction.PACKAGE_DELETED.name());
                assertThat(staging.resolve("extracts").resolve(transferId)).doesNotExist();
                assertThat(staging.resolve("packages").resolve(transferId)).doesNotExist();
            }
        });

        // And the platform's folders are clean: receipts consumed, nothing left in OUT or DST's IN
        Path users = pipeline.work().resolve("serviceplatform").resolve("users");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Fagsystem fagsystem : registry.withExtract()) {
                assertThat(list(users.resolve(fagsystem.sftpUser()).resolve("IN")))
                        .as("%s IN", fagsystem.code())
                        .isEmpty();
                assertThat(list(users.resolve(fagsystem.sftpUser()).resolve("OUT")))
                        .as("%s OUT", fagsystem.code())
                        .isEmpty();
            }
            assertThat(list(users.resolve("DST-CEMOS-SFTPUsername").resolve("IN")))
                    .isEmpty();
        });
    }

    @Test
    void valgIsRefusedBeforeAnythingIsStaged() throws IOException {
        Path extract = Files.writeString(pipeline.work().resolve("valg.csv"), "x\n1\n");
        ExtractSubmitter submitter = pipeline.app().getBean(ExtractSubmitter.class);
        assertThatThrownBy(() -> submitter.submit(new ExtractRequest("VALG", "0561", "M03", extract)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining("SF1820 specifies no extract");
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Reads a whole topic from the beginning, grouping the events by transferId. */
    private static List<SpecificRecordBase> read(String topic, Map<String, List<SpecificRecordBase>> byTransfer) {
        byTransfer.clear();
        List<SpecificRecordBase> all = new ArrayList<>();
        for (var record : TopicReader.readAll(pipeline.brokers(), topic)) {
            all.add(record.value());
            byTransfer.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
        }
        return all;
    }
}
