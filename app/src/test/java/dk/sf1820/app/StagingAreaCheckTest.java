package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** Issue 13: a stage refuses to start when its staging area, shared storage, cannot be written. */
class StagingAreaCheckTest {

    @TempDir
    Path dir;

    @Test
    void aReadOnlyStagingAreaStopsTheStartNamingTheSettingAndTheFolder() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root writes into read-only folders");
        Path readOnly = Files.createDirectory(dir.resolve("staging"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            MockEnvironment env = new MockEnvironment()
                    .withProperty("sf1820.stages", "packager")
                    .withProperty("sf1820.packager.staging-dir", readOnly.toString());
            assertThatThrownBy(() -> StagingAreaCheck.check(env))
                    .isInstanceOf(StagingAreaCheck.StagingAreaNotWritableException.class)
                    .hasMessageContaining("sf1820.packager.staging-dir=" + readOnly)
                    .hasMessageContaining("not a folder this process")
                    .hasMessageContaining("shared by every instance");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aFileWhereTheFolderShouldBeStopsTheStart() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        MockEnvironment env = new MockEnvironment().withProperty("sf1820.transporter.staging-dir", file.toString());
        assertThatThrownBy(() -> StagingAreaCheck.check(env)).hasMessageContaining("sf1820.transporter.staging-dir");
    }

    @Test
    void aStageNotRunHereIsNotChecked() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        MockEnvironment env = new MockEnvironment()
                .withProperty("sf1820.stages", "receipt-tracker")
                .withProperty("sf1820.transporter.staging-dir", file.toString());
        assertThatCode(() -> StagingAreaCheck.check(env)).doesNotThrowAnyException();
    }

    @Test
    void aMissingStagingAreaIsCreated() {
        MockEnvironment env = new MockEnvironment()
                .withProperty(
                        "sf1820.extractor.staging-dir",
                        dir.resolve("new/staging").toString());
        assertThatCode(() -> StagingAreaCheck.check(env)).doesNotThrowAnyException();
    }
}
