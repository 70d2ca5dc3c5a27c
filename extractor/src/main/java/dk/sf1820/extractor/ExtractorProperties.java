package dk.sf1820.extractor;

import dk.sf1820.schemas.registry.Period;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the extractor stage.
 *
 * @param stagingDir the shared staging area; extracts are copied to
 *        {@code <staging-dir>/extracts/<transferId>/<original name>}, which the packager reads, and every
 *        accepted extract is recorded in {@code <staging-dir>/submissions/} (how duplicates are recognised)
 * @param dropFolder the watched drop folder; off unless {@code dir} is set
 * @param datasets database queries by dataset name, e.g. {@code sf1820.extractor.datasets.ksd-sygedagpenge.sql}
 * @param scheduleCheckInterval how often the query schedules look whether a run is due
 * @param announcer publishes the ExtractReady of submissions recorded but never announced
 */
@Validated
@ConfigurationProperties("sf1820.extractor")
public record ExtractorProperties(
        @NotNull Path stagingDir,
        @Valid @DefaultValue DropFolder dropFolder,
        @DefaultValue Map<String, @Valid Dataset> datasets,
        @DefaultValue("30s") Duration scheduleCheckInterval,
        @Valid @DefaultValue Announcer announcer) {

    /**
     * Publishes, at start-up and then every {@code interval}, the ExtractReady of each submission recorded at
     * least {@code grace} ago and never announced (a crash or a Kafka outage between the record and the publish).
     *
     * @param interval the pause between two rounds; zero turns the announcer off
     * @param grace how old a record must be before the announcer takes it over from the submission still
     *        publishing it; longer than a publish normally takes, short enough that a lost announcement is
     *        made up soon (publishing a recorded event twice is harmless, losing it is not)
     */
    public record Announcer(
            @DefaultValue("10s") Duration interval,
            @DefaultValue("30s") Duration grace) {}

    /**
     * The watched drop folder ({@code <dir>/<FAGSYSTEM>/<authority>/<period>/<file>}).
     *
     * @param dir the folder; no drop folder is watched when unset
     * @param quietPeriod how long a file without a {@code .done} marker must keep its size and modification
     *        time before it counts as complete
     * @param pollInterval the pause between two looks at the folder
     * @param watch whether a {@code .done} marker starts a look at once (inotify), not only at the next poll
     * @param instance this instance's name, stable across restarts and distinct between the instances sharing
     *        the folder (its files in progress live in {@code <dir>/processing/<instance>}); if unset, the
     *        process's {@code sf1820.instance-id}, else the host name
     */
    public record DropFolder(
            Path dir,
            @DefaultValue("30s") Duration quietPeriod,
            @DefaultValue("5s") Duration pollInterval,
            String instance,
            @DefaultValue("true") boolean watch) {}

    /**
     * A dataset: a SQL query whose rows become one fagsystem's extract, run on a schedule.
     *
     * @param fagsystem the fagsystem the extract is for, e.g. {@code KSD}
     * @param authority the municipality, e.g. {@code 0561}
     * @param sql the query; {@code :period_start}, {@code :period_end} (exclusive) and {@code :authority} are
     *        bound as parameters
     * @param columns header names, in the query's column order; the query's column labels if empty
     * @param delimiter the field delimiter
     * @param encoding the file's character set; a value it cannot represent fails the run naming row and column
     * @param header whether the first line names the columns
     * @param decimalSeparator replaces the point in decimal numbers
     * @param dateFormat {@link java.time.format.DateTimeFormatter} pattern of date columns
     * @param timestampFormat pattern of timestamp columns
     * @param cron when to run (Spring cron, six fields: {@code 0 0 6 1 * *} is 06:00 on the 1st); runs only on
     *        demand if unset
     * @param zone the time zone of the cron expression and of the period it picks
     * @param period the kind of period a run covers: the last complete one before the run
     * @param fetchSize rows fetched per round trip; the rows stream to the file, so memory stays constant
     * @param fileName the staged file's name; {@code <dataset>.csv} if unset
     * @param jdbc the database
     */
    public record Dataset(
            @NotBlank String fagsystem,
            @NotBlank String authority,
            @NotBlank String sql,
            @DefaultValue List<String> columns,
            @DefaultValue(";") String delimiter,
            @DefaultValue("UTF-8") Charset encoding,
            @DefaultValue("true") boolean header,
            @DefaultValue(",") String decimalSeparator,
            @DefaultValue("yyyy-MM-dd") String dateFormat,
            @DefaultValue("yyyy-MM-dd HH:mm:ss") String timestampFormat,
            String cron,
            @DefaultValue("Europe/Copenhagen") ZoneId zone,
            @DefaultValue("MONTH") Period.Kind period,
            @DefaultValue("1000") @Positive int fetchSize,
            String fileName,
            @Valid @NotNull Jdbc jdbc) {}

    /**
     * A JDBC connection pool (HikariCP).
     *
     * @param url e.g. {@code jdbc:postgresql://db:5432/ksd}
     * @param username the database user
     * @param password its password (never logged)
     * @param maximumPoolSize connections kept at most; a run needs one
     */
    public record Jdbc(
            @NotBlank String url,
            String username,
            String password,
            @DefaultValue("2") @Positive int maximumPoolSize) {}
}
