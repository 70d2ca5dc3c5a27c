package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.ExtractSource;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractStagerTest {

    private static final String UUID_PATTERN = "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}";

    @TempDir
    Path staging;

    @TempDir
    Path exports;

    private ExtractStager stager() {
        return new ExtractStager(FagsystemRegistry.standard(), staging);
    }

    private Path export(String name, String content) throws IOException {
        return Files.writeString(exports.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void stagesAnExactCopyUnderItsTransferId() throws Exception {
        Path file = export("sygedagpenge.csv", "cpr;dage\n0101010101;12\n");

        StagedExtract staged = stager().stage(new ExtractRequest("KSD", "561", "M03", file));

        assertThat(staged.ref().transferId()).matches(UUID_PATTERN);
        assertThat(staged.ref().authority()).isEqualTo("0561");
        assertThat(staged.file())
                .isEqualTo(staging.resolve("extracts")
                        .resolve(staged.ref().transferId())
                        .resolve("sygedagpenge.csv"))
                .hasSameBinaryContentAs(file);
        assertThat(staged.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(staged.sha256()).isEqualTo(sha256(Files.readAllBytes(file)));
        assertThat(staged.originalFileName()).isEqualTo("sygedagpenge.csv");
        try (Stream<Path> leftovers = Files.list(staging.resolve("extracts"))) {
            assertThat(leftovers)
                    .as("no partial copies left behind")
                    .containsExactly(staged.file().getParent());
        }
    }

    @Test
    void aCopyLostBetweenTheRecordAndItsRenameIsRestoredByTheNextSubmissionUnderTheRecordedEvent() throws Exception {
        SubmissionLedger ledger = new SubmissionLedger(staging, java.time.Clock.systemUTC());
        ExtractStager stager = new ExtractStager(FagsystemRegistry.standard(), staging, ledger);
        Path file = export("sygedagpenge.csv", "cpr;dage\n0101010101;12\n");
        StagedExtract first = stager.stage(new ExtractRequest("KSD", "0561", "M03", file));
        // Given the process died after recording the submission, before the copy took its name
        Files.delete(first.file());

        // When the same extract is submitted again, under another name
        Path again = export("ksd-retry.csv", "cpr;dage\n0101010101;12\n");
        StagedExtract second = stager.stage(new ExtractRequest("KSD", "0561", "M03", again));

        // Then it takes over the recorded submission: its copy, under the recorded name, and its event
        assertThat(second.adopted()).isTrue();
        assertThat(second.ref().transferId()).isEqualTo(first.ref().transferId());
        assertThat(second.file()).isEqualTo(first.file()).hasSameBinaryContentAs(file);
        assertThat(second.announcement()).isEqualTo(first.announcement());
        assertThat(ledger.isPublished(first.ref().transferId())).isFalse();
    }

    @Test
    void aSubmittedFileIsCopiedSoTheFagsystemMayReuseItsFile() throws Exception {
        Path file = export("sygedagpenge.csv", "cpr;dage\n0101010101;12\n");

        StagedExtract staged = stager().stage(new ExtractRequest("KSD", "561", "M03", file), ExtractSource.SUBMIT);
        Files.writeString(file, "next month's rows\n");

        assertThat(Files.isSameFile(staged.file(), file)).isFalse();
        assertThat(staged.file()).hasContent("cpr;dage\n0101010101;12\n");
    }

    @Test
    void aClaimedDropFolderFileIsLinkedNotCopiedAndHashedInPlace() throws Exception {
        Path claimed = export("dubu.csv", "sag;foranstaltning\n1;2\n");

        StagedExtract staged =
                stager().stage(new ExtractRequest("DUBU", "0561", "K2", claimed), ExtractSource.DROP_FOLDER);

        assertThat(Files.isSameFile(staged.file(), claimed))
                .as("one file, two names")
                .isTrue();
        assertThat(staged.sha256()).isEqualTo(sha256(Files.readAllBytes(claimed)));
        assertThat(staged.sizeBytes()).isEqualTo(Files.size(claimed));
        Files.delete(claimed); // what the drop-folder watcher does once the extract is announced
        assertThat(staged.file()).hasContent("sag;foranstaltning\n1;2\n");
        try (Stream<Path> leftovers = Files.list(staging.resolve("extracts"))) {
            assertThat(leftovers)
                    .as("no partial files left behind")
                    .containsExactly(staged.file().getParent());
        }
    }

    @Test
    void stagedExtractsAndTheirRecordsAreTheServiceUsersAloneAndTheRecordHoldsNoContent() throws Exception {
        // Issue 12: personal data in the staging area; a fagsystem's export is typically world-readable (umask 022)
        Path submitted = export("sygedagpenge.csv", "cpr;dage\n0101010101;12\n");
        Path claimed = export("dubu.csv", "cpr;foranstaltning\n0202020202;2\n");
        Files.setPosixFilePermissions(submitted, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(claimed, PosixFilePermissions.fromString("rw-r--r--"));

        ExtractStager stager = new ExtractStager(
                FagsystemRegistry.standard(), staging, new SubmissionLedger(staging, java.time.Clock.systemUTC()));
        StagedExtract copied = stager.stage(new ExtractRequest("KSD", "0561", "M03", submitted));
        StagedExtract linked =
                stager.stage(new ExtractRequest("DUBU", "0561", "K2", claimed), ExtractSource.DROP_FOLDER);

        for (StagedExtract staged : List.of(copied, linked)) {
            assertThat(permissions(staged.file())).isEqualTo("rw-------");
            assertThat(permissions(staged.file().getParent())).isEqualTo("rwx------");
            Path record = staging.resolve("submissions").resolve(staged.ref().transferId() + ".properties");
            assertThat(permissions(record)).isEqualTo("rw-------");
            String text = Files.readString(record, StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("0101010101").doesNotContain("0202020202");
            Properties fields = new Properties();
            fields.load(new java.io.StringReader(text));
            assertThat(fields.stringPropertyNames())
                    .as("ids, hashes and metadata only")
                    .isSubsetOf(
                            "transfer-id",
                            "fagsystem",
                            "authority",
                            "period",
                            "sha256",
                            "resend",
                            "source",
                            "origin",
                            "submitted-at",
                            "event-id",
                            "occurred-at",
                            "staged-file",
                            "original-file-name",
                            "size-bytes",
                            "row-count",
                            "dataset",
                            "published-at");
        }
        assertThat(permissions(staging.resolve("extracts"))).isEqualTo("rwx------");
        assertThat(permissions(staging.resolve("submissions"))).isEqualTo("rwx------");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void aDropFolderOnAnotherFileSystemIsCopied() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(
                Files.isDirectory(shm)
                        && Files.isWritable(shm)
                        && !Files.getFileStore(shm).equals(Files.getFileStore(staging)),
                "no second file system at /dev/shm");
        Path dir = Files.createTempDirectory(shm, "sf1820-drop-");
        try {
            Path claimed = Files.writeString(dir.resolve("fbs.csv"), "bevilling;beloeb\n7;300\n");

            StagedExtract staged =
                    stager().stage(new ExtractRequest("FBS", "0561", "M03", claimed), ExtractSource.DROP_FOLDER);

            assertThat(Files.isSameFile(staged.file(), claimed)).isFalse();
            assertThat(staged.file()).hasSameBinaryContentAs(claimed);
            assertThat(staged.sha256()).isEqualTo(sha256(Files.readAllBytes(claimed)));
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void sameExtractSubmittedTwiceGetsTheSameTransferId() throws Exception {
        Path first = export("a.csv", "same rows\n");
        Path again = Files.writeString(
                Files.createDirectories(exports.resolve("later")).resolve("a.csv"), "same rows\n");

        String id1 = stager().stage(new ExtractRequest("KSD", "0561", "M03", first))
                .ref()
                .transferId();
        String id2 = stager().stage(new ExtractRequest("ksd", "561", " M03 ", again))
                .ref()
                .transferId();

        assertThat(id2).isEqualTo(id1);
        assertThat(id1).isEqualTo(TransferIds.of("KSD", "0561", "M03", sha256("same rows\n".getBytes())));
    }

    @Test
    void anyDifferenceInWhatTheExtractIsGivesAnotherTransferId() throws Exception {
        Path file = export("a.csv", "rows\n");
        String base = stager().stage(new ExtractRequest("KSD", "0561", "M03", file))
                .ref()
                .transferId();

        assertThat(stager().stage(new ExtractRequest("KY", "0561", "M03", file))
                        .ref()
                        .transferId())
                .isNotEqualTo(base);
        assertThat(stager().stage(new ExtractRequest("KSD", "0101", "M03", file))
                        .ref()
                        .transferId())
                .isNotEqualTo(base);
        assertThat(stager().stage(new ExtractRequest("KSD", "0561", "M04", file))
                        .ref()
                        .transferId())
                .isNotEqualTo(base);
        Path changed = export("b.csv", "rows!\n");
        assertThat(stager().stage(new ExtractRequest("KSD", "0561", "M03", changed))
                        .ref()
                        .transferId())
                .isNotEqualTo(base);
    }

    @Test
    void refusesValgWithTheRegistrysReason() throws Exception {
        Path file = export("valg.csv", "x\n");

        assertThatThrownBy(() -> stager().stage(new ExtractRequest("VALG", "0561", "M03", file)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining("VALG")
                .hasMessageContaining("specifies no extract");
        assertThat(staging.resolve("extracts")).doesNotExist();
    }

    @Test
    void refusesAnUnknownFagsystem() throws Exception {
        Path file = export("x.csv", "x\n");

        assertThatThrownBy(() -> stager().stage(new ExtractRequest("SAP", "0561", "M03", file)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining("'SAP' is unknown");
    }

    @Test
    void refusesAnAuthorityThatIsNoMunicipality() throws Exception {
        Path file = export("x.csv", "x\n");

        assertThatThrownBy(() -> stager().stage(new ExtractRequest("KSD", "0999", "M03", file)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining("authority '0999'");
        assertThatThrownBy(() -> stager().stage(new ExtractRequest("KSD", "05610", "M03", file)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining("authority '05610'");
    }

    @Test
    void refusesAPeriodOutsideTheSf1820Forms() throws Exception {
        Path file = export("x.csv", "x\n");

        assertThatThrownBy(() -> stager().stage(new ExtractRequest("KSD", "0561", "M13", file)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining("period 'M13'");
    }

    @Test
    void refusesAnEmptyFileNamingIt() throws Exception {
        Path file = export("empty.csv", "");

        assertThatThrownBy(() -> stager().stage(new ExtractRequest("KSD", "0561", "M03", file)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("empty");
    }

    @Test
    void refusesAMissingFileNamingIt() {
        Path file = exports.resolve("missing.csv");

        assertThatThrownBy(() -> stager().stage(new ExtractRequest("KSD", "0561", "M03", file)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessage("extract file " + file + " does not exist");
    }

    @Test
    void refusesAHiddenFileBecauseToolsUseThemForPartialCopies() throws Exception {
        Path file = export(".sygedagpenge.csv", "rows\n");

        assertThatThrownBy(() -> stager().stage(new ExtractRequest("KSD", "0561", "M03", file)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("hidden");
    }

    @Test
    void refusesADirectory() {
        assertThatThrownBy(() -> stager().stage(new ExtractRequest("KSD", "0561", "M03", exports)))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining("not a regular file");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
