package dk.sf1820.transporter;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the transporter puts files in a sender's home on the Serviceplatform.
 *
 * @param outDir the sender's outgoing folder, as the SFTP user sees it; data file and trigger go here
 * @param inDir the sender's incoming folder, where the platform writes {@code <file>.sftpreceipt}; read
 *        only to learn whether a transfer was triggered already
 * @param triggerTempSuffix appended to {@code <file>.trigger} while the trigger is being written, so the
 *        platform's scan (which takes every name ending in {@code .trigger}) never sees half a trigger;
 *        it must therefore not itself end in {@code .trigger}
 */
@Validated
@ConfigurationProperties("sf1820.transporter")
public record TransporterProperties(
        @DefaultValue("/OUT") @NotBlank @Pattern(regexp = "/.*", message = "must be an absolute SFTP path such as /OUT") String outDir,
        @DefaultValue("/IN") @NotBlank @Pattern(regexp = "/.*", message = "must be an absolute SFTP path such as /IN") String inDir,
        @DefaultValue(".part") @Pattern(regexp = "(?!.*\\.trigger$)[^/]+",
                message = "must be a non-empty name suffix without '/' that does not end in .trigger") String triggerTempSuffix) {
}
