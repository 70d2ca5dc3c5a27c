package dk.sf1820.extractor;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the extractor stage.
 *
 * @param stagingDir the shared staging area; submitted extracts are copied to
 *        {@code <staging-dir>/extracts/<transferId>/<original name>}, which the packager reads
 */
@Validated
@ConfigurationProperties("sf1820.extractor")
public record ExtractorProperties(@NotNull Path stagingDir) {
}
