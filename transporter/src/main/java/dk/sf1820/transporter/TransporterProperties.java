package dk.sf1820.transporter;

import dk.sf1820.schemas.sftp.PlatformFolders;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the transporter puts files in a sender's home on the Serviceplatform, and how long it keeps
 * trying when the platform is away.
 *
 * @param outDir the sender's outgoing folder, as the SFTP user sees it; data file and trigger go here
 * @param inDir the sender's incoming folder, where the platform writes {@code <file>.sftpreceipt}; read
 *        only to learn whether a transfer was triggered already
 * @param triggerTempSuffix appended to {@code <file>.trigger} while the trigger is being written, so the
 *        platform's scan (which takes every name ending in {@code .trigger}) never sees half a trigger;
 *        it must therefore not itself end in {@code .trigger}, and is short enough (16) that
 *        {@code <file>.trigger<suffix>} stays within the room data file names leave for suffixes
 * @param retryInitial pause before the first retry of a transfer that failed transiently
 * @param retryMultiplier factor by which each further pause grows
 * @param retryMax longest pause between two attempts
 * @param retryBudget how long a transfer is retried before it ends in {@code TransferFailed}; the
 *        default outlasts the platform's longest service window (quarterly, 8 hours, SF1820 section 4)
 * @param progressTimeout how long reading the transfer progress topic to its end may take before the
 *        attempt fails (and is retried)
 * @param retryJitter each pause is lengthened by a random share of itself up to this fraction, so that
 *        transfers that failed together (a platform outage) do not all come back in the same instant
 * @param concurrency how many transfers this instance works on at once: consumers of
 *        {@code sf1820.package.ready}, each owning some of its partitions (more than the topic's partitions
 *        would idle); a sender's transfers share its {@code sf1820.sftp.max-sessions-per-account} sessions
 * @param stagingDir the staging area the packager writes to (the same path as
 *        {@code sf1820.packager.staging-dir}); only a package at
 *        {@code <staging-dir>/packages/<transferId>/<file name>}, links resolved, is ever sent
 */
@Validated
@ConfigurationProperties("sf1820.transporter")
public record TransporterProperties(
        @DefaultValue(PlatformFolders.OUT)
        @NotBlank
        @Pattern(regexp = PlatformFolders.ABSOLUTE, message = "must be an absolute SFTP path such as /OUT")
        String outDir,

        @DefaultValue(PlatformFolders.IN)
        @NotBlank
        @Pattern(regexp = PlatformFolders.ABSOLUTE, message = "must be an absolute SFTP path such as /IN")
        String inDir,

        @DefaultValue(".part")
        @Pattern(
                regexp = "(?!.*\\.trigger$)[^/]{1,16}",
                message = "must be a name suffix of 1 to 16 characters without '/' that does not end in .trigger "
                        + "(data file names leave DataFileName.SUFFIX_ROOM for it)")
        String triggerTempSuffix,

        @DefaultValue("10s") @NotNull Duration retryInitial,

        @DefaultValue("2.0") @DecimalMin(value = "1.0", message = "must be at least 1.0 (pauses never shrink)")
        double retryMultiplier,

        @DefaultValue("15m") @NotNull Duration retryMax,
        @DefaultValue("9h") @NotNull Duration retryBudget,
        @DefaultValue("30s") @NotNull Duration progressTimeout,

        @DefaultValue("0.2")
        @DecimalMin(value = "0.0", message = "must be between 0 and 1")
        @jakarta.validation.constraints.DecimalMax(value = "1.0", message = "must be between 0 and 1")
        double retryJitter,

        @DefaultValue("6") @jakarta.validation.constraints.Min(value = 1, message = "must be at least 1")
        int concurrency,

        @NotNull(message = "must be set to the packager's staging area, e.g. /var/lib/sf1820/staging")
        Path stagingDir) {}
