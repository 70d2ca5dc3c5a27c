package dk.sf1820.transporter;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TransporterPropertiesTest {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();
    private static final Path STAGING = Path.of("/var/lib/sf1820/staging");

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @Test
    void defaultsAreValidAndNameTheSf1820Folders() {
        TransporterProperties defaults = paths("/OUT", "/IN", ".part");
        assertThat(VALIDATOR.validate(defaults)).isEmpty();
        RemoteFiles files = RemoteFiles.of(defaults, "KSD_DST_0561_M03_20180402134858.zip");
        assertThat(files.data()).isEqualTo("/OUT/KSD_DST_0561_M03_20180402134858.zip");
        assertThat(files.trigger()).isEqualTo("/OUT/KSD_DST_0561_M03_20180402134858.zip.trigger");
        assertThat(files.triggerInProgress())
                .isEqualTo("/OUT/KSD_DST_0561_M03_20180402134858.zip.trigger.part")
                .doesNotEndWith(".trigger");
        assertThat(files.receipt()).isEqualTo("/IN/KSD_DST_0561_M03_20180402134858.zip.sftpreceipt");
    }

    @Test
    void refusesATempSuffixThePlatformWouldTakeForATrigger() {
        assertThat(violations(paths("/OUT", "/IN", ".x.trigger")))
                .singleElement()
                .asString()
                .startsWith("triggerTempSuffix: must be a name suffix of 1 to 16 characters");
        assertThat(violations(paths("/OUT", "/IN", ""))).hasSize(1);
        assertThat(violations(paths("/OUT", "/IN", ".part-of-a-very-long-suffix")))
                .hasSize(1);
        assertThat(".trigger".length() + 16).isLessThanOrEqualTo(dk.sf1820.schemas.registry.DataFileName.SUFFIX_ROOM);
    }

    @Test
    void refusesRelativeFolders() {
        assertThat(violations(paths("OUT", "/IN", ".part")))
                .containsExactly("outDir: must be an absolute SFTP path such as /OUT");
    }

    @Test
    void refusesARetryJitterOutsideZeroToOne() {
        TransporterProperties tooMuch = withDefaultPaths(1.5, 6, STAGING);
        assertThat(violations(tooMuch)).containsExactly("retryJitter: must be between 0 and 1");
    }

    @Test
    void requiresTheStagingArea() {
        TransporterProperties none = withDefaultPaths(0.2, 6, null);
        assertThat(violations(none)).singleElement().asString().startsWith("stagingDir: must be set");
    }

    @Test
    void refusesAConcurrencyBelowOne() {
        TransporterProperties none = withDefaultPaths(0.2, 0, STAGING);
        assertThat(violations(none)).containsExactly("concurrency: must be at least 1");
    }

    @Test
    void trailingSlashInAFolderDoesNotDoubleTheSeparator() {
        assertThat(RemoteFiles.of(paths("/OUT/", "/IN/", ".part"), "a.zip").data())
                .isEqualTo("/OUT/a.zip");
    }

    private static Set<String> violations(TransporterProperties properties) {
        Set<ConstraintViolation<TransporterProperties>> violations = VALIDATOR.validate(properties);
        return violations.stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The default folders and retries, with the jitter, concurrency and staging area under test. */
    private static TransporterProperties withDefaultPaths(double retryJitter, int concurrency, Path stagingDir) {
        TransporterProperties d = paths("/OUT", "/IN", ".part");
        return new TransporterProperties(
                d.outDir(),
                d.inDir(),
                d.triggerTempSuffix(),
                d.retryInitial(),
                d.retryMultiplier(),
                d.retryMax(),
                d.retryBudget(),
                d.progressTimeout(),
                retryJitter,
                concurrency,
                stagingDir);
    }

    /** Folder and suffix settings under test, every retry setting at its default. */
    static TransporterProperties paths(String outDir, String inDir, String triggerTempSuffix) {
        return new TransporterProperties(
                outDir,
                inDir,
                triggerTempSuffix,
                java.time.Duration.ofSeconds(10),
                2.0,
                java.time.Duration.ofMinutes(15),
                java.time.Duration.ofHours(9),
                java.time.Duration.ofSeconds(30),
                0.2,
                6,
                STAGING);
    }
}
