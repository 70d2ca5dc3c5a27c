package dk.sf1820.extractor.query;

import dk.sf1820.extractor.DuplicateExtractException;
import dk.sf1820.extractor.ExtractNotAnnouncedException;
import dk.sf1820.extractor.ExtractorProperties.Dataset;
import dk.sf1820.extractor.PeriodClaimPendingException;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.Period;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.support.CronExpression;

/**
 * Runs each dataset on its cron schedule, for the last complete period before the run (monthly on
 * the 1st gives the previous month, {@code 2026M03} on 1 April). Each check compares the clock with
 * the next run after the last one recorded under {@code <staging>/schedules/<dataset>.last}, so runs
 * missed while the extractor was down are made up after its restart, and a failed run (database
 * unreachable) is tried again at the next check. Repeating a run is safe, also when it meets other rows
 * than before or another instance sharing the staging area runs the same schedule at the same time: a
 * queried period is claimed by its first extract (the submission ledger's period claims), and any later
 * run of it is refused as a duplicate. Delivering a period again takes a resend. A period claimed by an
 * extract not staged (yet) is not done: the run is tried again until that extract is staged, or its claim is
 * abandoned and this run takes it over.
 */
public class QuerySchedule {

    /** At most this many missed runs of one dataset are made up in one check. */
    static final int MAX_CATCH_UP = 24;

    private static final Logger log = LoggerFactory.getLogger(QuerySchedule.class);

    /** Runs a dataset for a period: {@link QueryExtractor#run}. */
    @FunctionalInterface
    public interface DatasetRun {
        String run(String dataset, String period, boolean resend);
    }

    private record Scheduled(Dataset dataset, CronExpression cron) {}

    private final Map<String, Scheduled> schedules = new LinkedHashMap<>();
    private final DatasetRun extractor;
    private final Path stateDir;
    private final Clock clock;

    /**
     * @throws IllegalArgumentException naming the key of a dataset whose cron expression is invalid
     */
    public QuerySchedule(Map<String, Dataset> datasets, DatasetRun extractor, Path stagingDir, Clock clock) {
        datasets.forEach((name, dataset) -> {
            if (dataset.cron() != null && !dataset.cron().isBlank()) {
                try {
                    schedules.put(name, new Scheduled(dataset, CronExpression.parse(dataset.cron())));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "sf1820.extractor.datasets." + name + ".cron: '"
                                    + dataset.cron() + "' is no cron expression (six fields, e.g. 0 0 6 1 * *): "
                                    + e.getMessage(),
                            e);
                }
            }
        });
        this.extractor = extractor;
        this.stateDir = stagingDir.resolve("schedules");
        this.clock = clock;
    }

    /** Runs whatever is due. */
    public synchronized void check() {
        Instant now = clock.instant();
        schedules.forEach((name, scheduled) -> check(name, scheduled, now));
    }

    private void check(String name, Scheduled scheduled, Instant now) {
        Instant last = lastRun(name);
        if (last == null) {
            // A new schedule starts from now: it does not make up runs from before it existed.
            recordRun(name, now);
            log.info(
                    "dataset schedule started dataset={} cron=\"{}\" next={}",
                    name,
                    scheduled.dataset().cron(),
                    scheduled.cron().next(now.atZone(scheduled.dataset().zone())));
            return;
        }
        ZonedDateTime due =
                scheduled.cron().next(last.atZone(scheduled.dataset().zone()));
        for (int runs = 0; due != null && !due.toInstant().isAfter(now) && runs < MAX_CATCH_UP; runs++) {
            Period period = Period.previous(scheduled.dataset().period(), due.toLocalDate());
            try {
                String transferId = extractor.run(name, period.value(), false);
                log.info("dataset run transferId={} dataset={} period={} due={}", transferId, name, period, due);
            } catch (DuplicateExtractException e) {
                // The same rows, or the period claimed by an earlier run (this instance's or another's).
                log.info(
                        "dataset run delivered nothing, the period is delivered by transferId={} dataset={} period={}: {}",
                        e.earlierTransferId(),
                        name,
                        period,
                        e.getMessage());
            } catch (PeriodClaimPendingException e) {
                // Not delivered by anyone yet: recording the run would give the period up if the claimer died.
                log.info(
                        "dataset run waits, tried again at the next check transferId={} dataset={} period={}: {}",
                        e.claimingTransferId(),
                        name,
                        period,
                        e.getMessage());
                return;
            } catch (ExtractNotAnnouncedException e) {
                // Recorded with its event: the announcer publishes it. A re-run could meet changed rows and
                // stage a second extract of the period.
                log.warn(
                        "dataset run recorded, announced once Kafka is reachable transferId={} dataset={} period={}",
                        e.transferId(),
                        name,
                        period);
            } catch (ExtractRefusedException e) {
                // Running it again would be refused again: the configuration or the data must change.
                log.error("dataset run refused dataset={} period={} reason=\"{}\"", name, period, e.getMessage());
            } catch (RuntimeException e) {
                log.warn(
                        "dataset run failed, tried again at the next check dataset={} period={} reason=\"{}\"",
                        name,
                        period,
                        e.getMessage(),
                        e);
                return;
            }
            recordRun(name, due.toInstant());
            due = scheduled.cron().next(due);
        }
    }

    private Instant lastRun(String name) {
        Path file = stateDir.resolve(name + ".last");
        try {
            return Files.exists(file)
                    ? Instant.parse(
                            Files.readString(file, StandardCharsets.UTF_8).strip())
                    : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schedule state " + file + ": " + e.getMessage(), e);
        }
    }

    private void recordRun(String name, Instant at) {
        try {
            Files.createDirectories(stateDir);
            Path temp = Files.createTempFile(stateDir, "." + name, ".tmp");
            Files.writeString(temp, at.toString(), StandardCharsets.UTF_8);
            Files.move(
                    temp,
                    stateDir.resolve(name + ".last"),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot record the run of dataset " + name + " in " + stateDir + ": " + e.getMessage(), e);
        }
    }
}
