package dk.sf1820.packager;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the packager stage.
 *
 * @param stagingDir the shared staging area; staged extracts are read from it, zips written to
 *        {@code <staging-dir>/packages/<transferId>/<file name>} and each data file name claimed for
 *        one transfer in {@code <staging-dir>/names/<file name>}; every packager instance must share it
 * @param timestampZone the zone of the {@code yyyyMMddHHmmss} stamp in SF1820 file names and of the
 *        zip entry's time; Danish local time by default, as the recipient reads it
 * @param compressionLevel deflate level, 0 (store only) to 9 (smallest, slowest)
 * @param deflateLibrary which Deflate implementation compresses: {@code auto} (the default) uses
 *        libdeflate where this build has it for the platform (Linux x86-64, built with libdeflate's
 *        headers) and it loads, zlib otherwise, and says at start which; {@code libdeflate} refuses to
 *        start without it; {@code zlib} never uses it. libdeflate at level 6 is about 1.7 times as fast
 *        as zlib and 8 % smaller on extracts. Instances that share a staging area should compress alike,
 *        so that a re-pack writes the bytes the first pack announced: set it explicitly in production
 * @param threads cores that compress one extract in parallel blocks; 0 (the default) uses every
 *        available processor. The zip's bytes do not depend on it.
 * @param packageRetention how long a package whose transfer did not succeed (and a staged extract never
 *        packaged) stays in the staging area, counted from when it was written; 30 days, as long as the
 *        platform keeps a file. A succeeded transfer's package is deleted at once, a staged extract once its
 *        package is announced.
 * @param housekeepingInterval how often the retention is applied; {@code 0s} turns it off
 * @param concurrency extracts this instance packs at once: consumers of {@code sf1820.extract.ready}, each
 *        owning some of its partitions (more than the topic's partitions would idle); each pack compresses
 *        on {@code threads} cores of its own
 */
@Validated
@ConfigurationProperties("sf1820.packager")
public record PackagerProperties(
        @NotNull Path stagingDir,
        @DefaultValue("Europe/Copenhagen") @NotNull ZoneId timestampZone,
        @DefaultValue("6") @Min(0) @Max(9) int compressionLevel,
        @DefaultValue("auto") @NotNull DeflateLibrary deflateLibrary,
        @DefaultValue("0") @Min(0) int threads,
        @DefaultValue("30d") @NotNull Duration packageRetention,
        @DefaultValue("1h") @NotNull Duration housekeepingInterval,
        @DefaultValue("6") @Min(1) int concurrency) {

    /** {@link #threads}, with 0 resolved to the processors this JVM may use. */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
