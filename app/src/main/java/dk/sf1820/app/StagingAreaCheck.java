package dk.sf1820.app;

import dk.sf1820.app.config.ProcessProperties;
import dk.sf1820.schemas.PipelineStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Refuses to start a stage whose staging area it cannot write. The staging area is shared storage:
 * an extract staged by one instance's extractor is packaged by whichever instance's packager gets its
 * partition and uploaded by whichever transporter, so a mount that is missing, read-only or owned by
 * another user would otherwise fail only at the first extract, as dead letters.
 */
final class StagingAreaCheck {

    private static final Map<PipelineStage, String> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put(PipelineStage.EXTRACTOR, "sf1820.extractor.staging-dir");
        SETTINGS.put(PipelineStage.PACKAGER, "sf1820.packager.staging-dir");
        SETTINGS.put(PipelineStage.TRANSPORTER, "sf1820.transporter.staging-dir");
    }

    private StagingAreaCheck() {}

    /** @throws StagingAreaNotWritableException naming the setting, the folder and the reason */
    static void check(Environment environment) {
        Set<PipelineStage> selected = Set.copyOf(
                ProcessProperties.of((ConfigurableEnvironment) environment).selectedStages());
        SETTINGS.forEach((stage, setting) -> {
            String dir = environment.getProperty(setting);
            if (selected.contains(stage) && dir != null) {
                requireWritable(setting, Path.of(dir));
            }
        });
    }

    static void requireWritable(String setting, Path dir) {
        Path probe = null;
        try {
            Files.createDirectories(dir);
            probe = Files.createTempFile(dir, ".sf1820-write-check-", ".tmp");
        } catch (IOException | SecurityException e) {
            throw new StagingAreaNotWritableException(
                    setting + "=" + dir + " is not a folder this process (user "
                            + System.getProperty("user.name") + ") can write: " + e
                            + ". The staging area is storage shared"
                            + " by every instance (a volume, an NFS export) and must be writable by each; mount it read-write"
                            + " and give it to the service's user, or point " + setting + " elsewhere",
                    e);
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a probe left behind is harmless: no stage reads dot files
                }
            }
        }
    }

    /** The staging area cannot be written; reported without a stack trace by {@link StagingAreaFailureAnalyzer}. */
    static final class StagingAreaNotWritableException extends IllegalStateException {
        StagingAreaNotWritableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
