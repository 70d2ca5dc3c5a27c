package dk.sf1820.packager;

import static dk.sf1820.packager.StagedExtracts.sha256;
import static dk.sf1820.packager.StagedExtracts.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackagerTest {

    /** 00:30 on 1 April in Copenhagen (summer time), still 31 March in UTC. */
    private static final Instant OCCURRED = Instant.parse("2026-03-31T22:30:00Z");

    private static final byte[] ROWS = "cpr;dage\n0101010101;12\n0202020202;3\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path staging;

    private Packager packager() {
        return new Packager(
                FagsystemRegistry.standard(),
                new PackagerProperties(
                        staging,
                        ZoneId.of("Europe/Copenhagen"),
                        6,
                        DeflateLibrary.AUTO,
                        0,
                        Duration.ofDays(30),
                        Duration.ofHours(1),
                        1),
                Clock.systemUTC());
    }

    @Test
    void zipHoldsTheExtractAsOneDeflatedEntryWithAValidCrc() throws Exception {
        ExtractReady extract = stage(staging, "KSD", "sygedagpenge.csv", ROWS, OCCURRED);

        Path zip = zipOf(packager().pack(extract));

        try (ZipFile zipFile = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zipFile.entries());
            assertThat(entries).extracting(ZipEntry::getName).containsExactly("sygedagpenge.csv");
            ZipEntry entry = entries.get(0);
            assertThat(entry.getMethod()).isEqualTo(ZipEntry.DEFLATED);
            try (InputStream in = zipFile.getInputStream(entry)) {
                assertThat(in.readAllBytes()).isEqualTo(ROWS);
            }
            CRC32 crc = new CRC32();
            crc.update(ROWS);
            assertThat(entry.getCrc()).isEqualTo(crc.getValue());
            assertThat(entry.getTimeLocal()).isEqualTo("2026-04-01T00:30:00");
        }
        // ZipInputStream checks each entry's CRC and sizes against its data descriptor while reading.
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            assertThat(in.getNextEntry()).isNotNull();
            assertThat(in.readAllBytes()).isEqualTo(ROWS);
            assertThat(in.getNextEntry()).isNull();
        }
    }

    @Test
    void packageIsNamedBySf1820RulesInDanishTimeAndDescribedExactly() throws Exception {
        ExtractReady extract = stage(staging, "KSD", "sygedagpenge.csv", ROWS, OCCURRED);

        PackageReady ready = packager().pack(extract);

        assertThat(ready.getFileName())
                .isEqualTo("KSD_DST_0561_M03_20260401003000.zip")
                .matches("KSD_DST_\\d{4}_M03_\\d{14}\\.zip");
        Path zip = zipOf(ready);
        assertThat(zip)
                .isEqualTo(staging.resolve("packages")
                        .resolve(extract.getTransferId())
                        .resolve(ready.getFileName()));
        assertThat(ready.getSizeBytes()).isEqualTo(Files.size(zip));
        assertThat(ready.getSha256()).isEqualTo(sha256(Files.readAllBytes(zip)));
        assertThat(ready.getTransferId()).isEqualTo(extract.getTransferId());
        assertThat(ready.getFagsystem()).isEqualTo("KSD");
        assertThat(ready.getAuthority()).isEqualTo("0561");
        assertThat(ready.getPeriod()).isEqualTo("M03");
        assertThat(ready.getSender()).isEqualTo("KSD_SFTPSIMPEL");
        assertThat(ready.getRecipients()).containsExactly("DST-CEMOS-SFTPUsername");
        assertThat(ready.getContentType()).isEqualTo("SF1820_KSD");
        assertThat(ready.getEventId()).isNotEqualTo(extract.getEventId());
    }

    @Test
    void redeliveredEventRepacksToTheSameNameAndBytes() throws Exception {
        ExtractReady extract = stage(staging, "DUBU", "boern.csv", ROWS, OCCURRED);

        PackageReady first = packager().pack(extract);
        byte[] firstBytes = Files.readAllBytes(zipOf(first));
        PackageReady again = packager().pack(extract);

        assertThat(again.getFileName()).isEqualTo(first.getFileName());
        assertThat(again.getSha256()).isEqualTo(first.getSha256());
        assertThat(Files.readAllBytes(zipOf(again))).isEqualTo(firstBytes);
        try (Stream<Path> files = Files.list(zipOf(again).getParent())) {
            assertThat(files).as("only the zip, no partial files").containsExactly(zipOf(again));
        }
    }

    @Test
    void streamsALargerExtract() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 17];
        new Random(1820).nextBytes(content);
        ExtractReady extract = stage(staging, "KY", "ydelser.bin", content, OCCURRED);

        PackageReady ready = packager().pack(extract);

        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zipOf(ready)))) {
            in.getNextEntry();
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
            in.transferTo(out);
            assertThat(out.toByteArray()).isEqualTo(content);
        }
    }

    @Test
    void refusesAnEventWhoseStagedFileIsGone() throws Exception {
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        Files.delete(Path.of(URI.create(extract.getStagedFile())));

        assertThatThrownBy(() -> packager().pack(extract))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("transferId=" + extract.getTransferId())
                .hasMessageContaining("does not exist");
    }

    @Test
    void refusesAnEventWhoseStagedFileChangedSize() throws Exception {
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        Files.writeString(Path.of(URI.create(extract.getStagedFile())), "more", StandardOpenOption.APPEND);

        assertThatThrownBy(() -> packager().pack(extract))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("has " + (ROWS.length + 4) + " bytes")
                .hasMessageContaining("sizeBytes says " + ROWS.length);
    }

    @Test
    void refusesAnEventWhoseStagedFileChangedContentAndLeavesNoZip() throws Exception {
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        byte[] tampered = ROWS.clone();
        tampered[0] = 'X';
        Files.write(Path.of(URI.create(extract.getStagedFile())), tampered);

        assertThatThrownBy(() -> packager().pack(extract))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("no longer matches")
                .hasMessageContaining(extract.getSha256());
        try (Stream<Path> files = Files.list(staging.resolve("packages").resolve(extract.getTransferId()))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void refusesAStagedFileOutsideTheStagingArea(@TempDir Path elsewhere) throws Exception {
        ExtractReady extract = stage(elsewhere, "KSD", "a.csv", ROWS, OCCURRED);

        assertThatThrownBy(() -> packager().pack(extract))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("outside the staging directory");
    }

    @Test
    void refusesAnEventThatRelabelsAStagedExtractAsAnotherMunicipalitysAndPacksTheRecordedOne() throws Exception {
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        // the extractor's submission record of the transfer, as it writes it before the copy takes its name
        Files.writeString(
                Files.createDirectories(staging.resolve("submissions"))
                        .resolve(extract.getTransferId() + ".properties"),
                String.join(
                        "\n",
                        "transfer-id=" + extract.getTransferId(),
                        "fagsystem=" + extract.getFagsystem(),
                        "authority=" + extract.getAuthority(),
                        "period=" + extract.getPeriod(),
                        "sha256=" + extract.getSha256(),
                        "size-bytes=" + extract.getSizeBytes(),
                        "original-file-name=" + extract.getOriginalFileName(),
                        "staged-file=" + extract.getStagedFile().replace(":", "\\:"),
                        "published-at=2026-03-31T22\\:30\\:01Z"));
        ExtractReady relabelled =
                ExtractReady.newBuilder(extract).setAuthority("0101").build();

        assertThatThrownBy(() -> packager().pack(relabelled))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("authority is '0101', the extractor's submission record")
                .hasMessageContaining("says '" + extract.getAuthority() + "'");
        assertThat(staging.resolve("packages").resolve(extract.getTransferId())).doesNotExist();
        assertThat(packager().pack(extract).getFileName()).contains("_" + extract.getAuthority() + "_");
    }

    @Test
    void refusesAFagsystemWithoutExtract() throws Exception {
        ExtractReady extract = stage(staging, "VALG", "valg.csv", ROWS, OCCURRED);

        assertThatThrownBy(() -> packager().pack(extract))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("VALG")
                .hasMessageContaining("specifies no extract");
    }

    @Test
    void refusesATransferIdThatIsNoUuid() throws Exception {
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        extract.setTransferId("../../etc");

        assertThatThrownBy(() -> packager().pack(extract))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("not a lower-case UUID");
        assertThat(staging.resolve("etc")).doesNotExist();
    }

    @Test
    void refusesAnEntryNameThatIsAPath() throws Exception {
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        extract.setOriginalFileName("../a.csv");

        assertThatThrownBy(() -> packager().pack(extract))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("originalFileName '../a.csv' is not a plain file name");
    }

    @Test
    void extractsOfOnePeriodInTheSameSecondGetDistinctNames() throws Exception {
        // issue 10: three KSD/0561/M03 files dropped together shared one name, and one was never sent
        List<ExtractReady> burst = List.of(
                stage(staging, "KSD", "a.csv", ROWS, OCCURRED),
                stage(staging, "KSD", "b.csv", ROWS, OCCURRED),
                stage(staging, "KSD", "c.csv", ROWS, OCCURRED),
                stage(staging, "KSD", "d.csv", ROWS, OCCURRED));

        List<String> names =
                burst.stream().map(e -> packager().pack(e).getFileName()).toList();

        assertThat(names)
                .containsExactly(
                        "KSD_DST_0561_M03_20260401003000.zip",
                        "KSD_DST_0561_M03_20260401003001.zip",
                        "KSD_DST_0561_M03_20260401003002.zip",
                        "KSD_DST_0561_M03_20260401003003.zip");
        for (int i = 0; i < burst.size(); i++) {
            assertThat(staging.resolve("names").resolve(names.get(i)))
                    .hasContent(burst.get(i).getTransferId());
        }
    }

    @Test
    void aReplayedExtractKeepsItsNameAfterOthersClaimedTheSameSecond() throws Exception {
        ExtractReady first = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        ExtractReady second = stage(staging, "KSD", "b.csv", ROWS, OCCURRED);
        PackageReady firstReady = packager().pack(first);
        PackageReady secondReady = packager().pack(second);
        byte[] secondBytes = Files.readAllBytes(zipOf(secondReady));
        stage(staging, "KSD", "c.csv", ROWS, OCCURRED);

        // a new packager instance, as after a restart, gets the replayed events
        PackageReady secondAgain = packager().pack(second);
        PackageReady firstAgain = packager().pack(first);

        assertThat(secondAgain.getFileName())
                .isEqualTo(secondReady.getFileName())
                .isNotEqualTo(firstReady.getFileName());
        assertThat(Files.readAllBytes(zipOf(secondAgain))).isEqualTo(secondBytes);
        assertThat(secondAgain.getSha256()).isEqualTo(secondReady.getSha256());
        assertThat(firstAgain.getFileName()).isEqualTo(firstReady.getFileName());
    }

    @Test
    void packagersRacingOnOneExtractConvergeOnOneName() throws Exception {
        ExtractReady rival = stage(staging, "KSD", "rival.csv", ROWS, OCCURRED);
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        List<java.util.concurrent.Callable<String>> packagers = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ExtractReady event = i % 2 == 0 ? extract : rival;
            packagers.add(() -> packager().pack(event).getFileName() + " " + event.getTransferId());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<String> results = new java.util.ArrayList<>();
            for (var future : pool.invokeAll(packagers)) {
                results.add(future.get());
            }
            assertThat(results.stream().distinct())
                    .as("one name per transfer, never shared")
                    .hasSize(2);
            assertThat(results.stream().map(r -> r.split(" ")[0]).distinct()).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNameHeldBySomethingElseInTheClaimsFolderIsNotTaken() throws Exception {
        Files.createDirectories(staging.resolve("names").resolve("KSD_DST_0561_M03_20260401003000.zip"));
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);

        assertThat(packager().pack(extract).getFileName()).isEqualTo("KSD_DST_0561_M03_20260401003001.zip");
    }

    @Test
    void refusesNamingTheFirstChoiceWhenEveryNameWithinTheBoundIsTaken() throws Exception {
        Path names = Files.createDirectories(staging.resolve("names"));
        java.time.LocalDateTime first = java.time.LocalDateTime.of(2026, 4, 1, 0, 30, 0);
        java.time.format.DateTimeFormatter stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
        for (int s = 0; s < DataFileNameClaims.MAX_ATTEMPTS; s++) {
            Files.writeString(
                    names.resolve("KSD_DST_0561_M03_" + stamp.format(first.plusSeconds(s)) + ".zip"),
                    java.util.UUID.randomUUID().toString());
        }
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);

        assertThatThrownBy(() -> packager().pack(extract))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("transferId=" + extract.getTransferId())
                .hasMessageContaining("KSD_DST_0561_M03_20260401003000.zip on are all claimed by other transfers");
        assertThat(staging.resolve("packages").resolve(extract.getTransferId())).doesNotExist();
    }

    @Test
    void refusesAStagedFileThatLinksOutOfTheStagingArea() throws Exception {
        ExtractReady extract = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        Path staged = Path.of(URI.create(extract.getStagedFile()));
        Files.delete(staged);
        Files.createSymbolicLink(staged, Path.of("/etc/passwd"));
        extract.setSizeBytes(Files.size(Path.of("/etc/passwd")));

        assertThatThrownBy(() -> packager().pack(extract))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("outside the staging directory");
        assertThat(staging.resolve("packages").resolve(extract.getTransferId())).doesNotExist();
    }

    @Test
    void refusesAnotherTransfersStagedFile() throws Exception {
        ExtractReady other = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        ExtractReady forged = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        forged.setStagedFile(other.getStagedFile());

        assertThatThrownBy(() -> packager().pack(forged))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("is not this transfer's staged extract");
    }

    @Test
    void refusesADotDotPathIntoAnotherTransfersDirectory() throws Exception {
        ExtractReady other = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        ExtractReady forged = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        forged.setStagedFile(
                staging.resolve("extracts").resolve(forged.getTransferId()).toUri() + "../" + other.getTransferId()
                        + "/a.csv");

        assertThatThrownBy(() -> packager().pack(forged))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("is not this transfer's staged extract");
    }

    @Test
    void refusesALinkToAnotherTransfersStagedFile() throws Exception {
        ExtractReady other = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        ExtractReady forged = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        Path staged = Path.of(URI.create(forged.getStagedFile()));
        Files.delete(staged);
        Files.createSymbolicLink(staged, Path.of(URI.create(other.getStagedFile())));

        assertThatThrownBy(() -> packager().pack(forged))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("is not this transfer's staged extract");
    }

    @Test
    void refusesALinkedTransferDirectory() throws Exception {
        ExtractReady other = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        ExtractReady forged = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        Path dir = staging.resolve("extracts").resolve(forged.getTransferId());
        Files.delete(dir.resolve("a.csv"));
        Files.delete(dir);
        Files.createSymbolicLink(dir, staging.resolve("extracts").resolve(other.getTransferId()));

        assertThatThrownBy(() -> packager().pack(forged))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("is not this transfer's staged extract");
    }

    @Test
    void refusesAFifoOrADevice() throws Exception {
        ExtractReady fifo = stage(staging, "KSD", "a.csv", ROWS, OCCURRED);
        Path staged = Path.of(URI.create(fifo.getStagedFile()));
        Files.delete(staged);
        assertThat(new ProcessBuilder("mkfifo", staged.toString()).start().waitFor())
                .isZero();
        ExtractReady device = stage(staging, "KSD", "b.csv", ROWS, OCCURRED);
        device.setStagedFile("file:///dev/zero");

        assertThatThrownBy(() -> packager().pack(fifo))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("is not a regular file");
        assertThatThrownBy(() -> packager().pack(device))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("outside the staging directory");
    }

    private static Path zipOf(PackageReady ready) throws IOException {
        Path zip = Path.of(URI.create(ready.getPackageRef()));
        assertThat(zip).isRegularFile();
        return zip;
    }
}
