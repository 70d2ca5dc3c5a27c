package dk.sf1820.extractor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.extractor.ExtractNotAnnouncedException;
import dk.sf1820.extractor.ExtractorProperties.Dataset;
import dk.sf1820.extractor.ExtractorProperties.Jdbc;
import dk.sf1820.extractor.PeriodClaimPendingException;
import dk.sf1820.schemas.registry.Period;
import dk.sf1820.testsupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryScheduleTest {

    @TempDir
    Path staging;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T12:00:00Z"));
    final List<String> runs = new ArrayList<>();
    final AtomicBoolean databaseDown = new AtomicBoolean();

    static Dataset dataset(String cron, Period.Kind period) {
        return new Dataset(
                "KSD",
                "0561",
                "select 1",
                List.of(),
                ";",
                StandardCharsets.UTF_8,
                true,
                ",",
                "yyyy-MM-dd",
                "yyyy-MM-dd HH:mm:ss",
                cron,
                ZoneId.of("Europe/Copenhagen"),
                period,
                1000,
                null,
                new Jdbc("jdbc:h2:mem:x", null, null, 2));
    }

    QuerySchedule schedule(Map<String, Dataset> datasets) {
        return new QuerySchedule(
                datasets,
                (dataset, period, resend) -> {
                    if (databaseDown.get()) {
                        throw new IllegalStateException("dataset " + dataset + ": connection refused");
                    }
                    runs.add(dataset + " " + period);
                    return "id";
                },
                staging,
                clock);
    }

    /** A monthly schedule of dataset ksd whose runs are {@code run}'s. */
    QuerySchedule monthly(QuerySchedule.DatasetRun run) {
        return new QuerySchedule(Map.of("ksd", dataset("0 0 6 1 * *", Period.Kind.MONTH)), run, staging, clock);
    }

    @Test
    void runsForTheLastCompletePeriodWhenTheCronIsDue() {
        QuerySchedule schedule = schedule(Map.of(
                "ksd",
                dataset("0 0 6 1 * *", Period.Kind.MONTH),
                "ksd-quarterly",
                dataset("0 0 7 1 1,4,7,10 *", Period.Kind.QUARTER)));
        schedule.check();

        clock.advance(Duration.ofDays(17)); // 1 February, 12:00
        schedule.check();

        assertThat(runs).containsExactly("ksd 2026M01");
        clock.advance(Duration.ofDays(59)); // 1 April
        schedule.check();
        assertThat(runs).containsExactlyInAnyOrder("ksd 2026M01", "ksd 2026M02", "ksd 2026M03", "ksd-quarterly 2026K1");
    }

    @Test
    void aNewScheduleDoesNotMakeUpRunsFromBeforeItExisted() {
        schedule(Map.of("ksd", dataset("0 0 6 1 * *", Period.Kind.MONTH))).check();

        assertThat(runs).isEmpty();
    }

    @Test
    void runsMissedWhileStoppedAreMadeUpAfterTheRestart() {
        schedule(Map.of("ksd", dataset("0 0 6 1 * *", Period.Kind.MONTH))).check();

        // stopped from mid-January to mid-March
        clock.advance(Duration.ofDays(60));
        schedule(Map.of("ksd", dataset("0 0 6 1 * *", Period.Kind.MONTH))).check();

        assertThat(runs).containsExactly("ksd 2026M01", "ksd 2026M02");
    }

    @Test
    void aFailedRunIsTriedAgainAtTheNextCheck() {
        QuerySchedule schedule = schedule(Map.of("ksd", dataset("0 0 6 1 * *", Period.Kind.MONTH)));
        schedule.check();
        clock.advance(Duration.ofDays(17));
        databaseDown.set(true);

        schedule.check();
        assertThat(runs).isEmpty();
        databaseDown.set(false);
        schedule.check();

        assertThat(runs).containsExactly("ksd 2026M01");
    }

    @Test
    void aRunRecordedButNotYetAnnouncedIsDoneNotRunAgainOverRowsThatMayHaveChanged() {
        List<String> attempts = new ArrayList<>();
        QuerySchedule schedule = monthly((dataset, period, resend) -> {
            attempts.add(dataset + " " + period);
            // the extract is staged and recorded; Kafka did not acknowledge its ExtractReady
            throw new ExtractNotAnnouncedException("id-" + period, new IllegalStateException("Kafka down"));
        });
        schedule.check();
        clock.advance(Duration.ofDays(17));

        schedule.check();
        schedule.check();

        assertThat(attempts).containsExactly("ksd 2026M01");
    }

    @Test
    void aPeriodClaimedByAnExtractNotStagedIsTriedAgainUntilItIsDecided() {
        List<String> attempts = new ArrayList<>();
        QuerySchedule schedule = monthly((dataset, period, resend) -> {
            attempts.add(dataset + " " + period);
            if (attempts.size() < 3) {
                // a process died between claiming the period and staging its copy, minutes ago
                throw new PeriodClaimPendingException("crashed", "period " + period + " is claimed by crashed");
            }
            return "id";
        });
        schedule.check();
        clock.advance(Duration.ofDays(17));

        schedule.check();
        schedule.check();
        schedule.check();
        schedule.check();

        assertThat(attempts).containsExactly("ksd 2026M01", "ksd 2026M01", "ksd 2026M01");
    }

    @Test
    void aDatasetWithoutCronRunsOnlyOnDemand() {
        QuerySchedule schedule = schedule(Map.of("ksd", dataset(null, Period.Kind.MONTH)));
        schedule.check();
        clock.advance(Duration.ofDays(400));

        schedule.check();

        assertThat(runs).isEmpty();
    }

    @Test
    void anInvalidCronIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> schedule(Map.of("ksd", dataset("monthly", Period.Kind.MONTH))))
                .hasMessageStartingWith("sf1820.extractor.datasets.ksd.cron: 'monthly' is no cron expression");
    }
}
