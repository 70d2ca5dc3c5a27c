package dk.sf1820.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelineMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(registry);

    @Test
    void inFlightSumsTheStreamsTasksAndKeepsTheOldestUntilATaskGoesAway() {
        metrics.inFlight("0_1", Map.of("KSD", 2, "KY", 0), Map.of("KSD", Duration.ofMinutes(3), "KY", Duration.ZERO));
        metrics.inFlight("0_2", Map.of("KSD", 1), Map.of("KSD", Duration.ofMinutes(7)));

        assertThat(gauge(PipelineMetrics.IN_FLIGHT, "fagsystem", "KSD")).isEqualTo(3.0);
        assertThat(gauge(PipelineMetrics.IN_FLIGHT, "fagsystem", "KY")).isZero();
        assertThat(gauge(PipelineMetrics.IN_FLIGHT_OLDEST_AGE, "fagsystem", "KSD"))
                .isEqualTo(420.0);

        metrics.inFlightGone("0_2");
        assertThat(gauge(PipelineMetrics.IN_FLIGHT, "fagsystem", "KSD")).isEqualTo(2.0);
        assertThat(gauge(PipelineMetrics.IN_FLIGHT_OLDEST_AGE, "fagsystem", "KSD"))
                .isEqualTo(180.0);
    }

    @Test
    void receiptsKeptAndFilesNearTheDeadlineAreCountedPerSenderFromZero() {
        metrics.receiptsKept(
                List.of("KSD_SFTPSIMPEL:/IN/a.sftpreceipt", "KSD_SFTPSIMPEL:/IN/b.sftpreceipt"),
                List.of("KSD_SFTPSIMPEL", "KY_SFTPSIMPEL"),
                List.of());
        metrics.nearDeadline(
                List.of("KY_SFTPSIMPEL:/OUT/x.zip"), List.of("KSD_SFTPSIMPEL", "KY_SFTPSIMPEL"), List.of());

        assertThat(gauge(PipelineMetrics.RECEIPTS_KEPT, "sender", "KSD_SFTPSIMPEL"))
                .isEqualTo(2.0);
        assertThat(gauge(PipelineMetrics.RECEIPTS_KEPT, "sender", "KY_SFTPSIMPEL"))
                .isZero();
        assertThat(gauge(PipelineMetrics.NEAR_DEADLINE, "sender", "KY_SFTPSIMPEL"))
                .isEqualTo(1.0);

        metrics.receiptsKept(List.of(), List.of("KSD_SFTPSIMPEL", "KY_SFTPSIMPEL"), List.of());
        assertThat(gauge(PipelineMetrics.RECEIPTS_KEPT, "sender", "KSD_SFTPSIMPEL"))
                .isZero();
    }

    @Test
    void aSenderNotPolledHereHasNoSeriesAndLosesItWhenItsDutyMoves() {
        metrics.receiptsKept(List.of("KSD_SFTPSIMPEL:/IN/a.sftpreceipt"), List.of("KSD_SFTPSIMPEL"), List.of());
        metrics.nearDeadline(List.of(), List.of("KSD_SFTPSIMPEL"), List.of());

        assertThat(registry.find(PipelineMetrics.RECEIPTS_KEPT)
                        .tag("sender", "KY_SFTPSIMPEL")
                        .gauge())
                .isNull();

        // KSD moved to another instance: its figure is the new owner's to report
        metrics.receiptsKept(List.of(), List.of("KY_SFTPSIMPEL"), List.of());
        metrics.nearDeadline(List.of(), List.of(), List.of());
        assertThat(registry.find(PipelineMetrics.RECEIPTS_KEPT)
                        .tag("sender", "KSD_SFTPSIMPEL")
                        .gauge())
                .isNull();
        assertThat(registry.find(PipelineMetrics.NEAR_DEADLINE).gauges()).isEmpty();
        assertThat(gauge(PipelineMetrics.RECEIPTS_KEPT, "sender", "KY_SFTPSIMPEL"))
                .isZero();
    }

    @Test
    void aSenderWhosePollFailedKeepsItsLastFigureAndItsSeries() {
        metrics.receiptsKept(List.of("KSD_SFTPSIMPEL:/IN/a.sftpreceipt"), List.of("KSD_SFTPSIMPEL"), List.of());
        metrics.nearDeadline(List.of("KSD_SFTPSIMPEL:/OUT/x.zip"), List.of("KSD_SFTPSIMPEL"), List.of());
        Gauge kept = registry.get(PipelineMetrics.RECEIPTS_KEPT).gauge();

        // the emulator did not answer: the figure is unknown, not 0, and a vanished series would reset the alert;
        // the receipt read before the failure is part of a count that was never finished
        metrics.receiptsKept(
                List.of("KSD_SFTPSIMPEL:/IN/b.sftpreceipt", "KSD_SFTPSIMPEL:/IN/c.sftpreceipt"),
                List.of(),
                List.of("KSD_SFTPSIMPEL"));
        metrics.nearDeadline(List.of(), List.of(), List.of("KSD_SFTPSIMPEL"));

        assertThat(registry.get(PipelineMetrics.RECEIPTS_KEPT).gauge()).isSameAs(kept);
        assertThat(kept.value()).isEqualTo(1.0);
        assertThat(gauge(PipelineMetrics.NEAR_DEADLINE, "sender", "KSD_SFTPSIMPEL"))
                .isEqualTo(1.0);

        // a sender whose first poll failed has no figure to keep
        metrics.receiptsKept(List.of(), List.of(), List.of("KSD_SFTPSIMPEL", "KY_SFTPSIMPEL"));
        assertThat(registry.find(PipelineMetrics.RECEIPTS_KEPT)
                        .tag("sender", "KY_SFTPSIMPEL")
                        .gauge())
                .isNull();

        metrics.receiptsKept(List.of(), List.of("KSD_SFTPSIMPEL"), List.of());
        assertThat(kept.value()).isZero();
    }

    @Test
    void aNewFigureChangesTheValueOfTheSameSeriesWhichNeverLeavesTheRegistry() {
        metrics.inFlight("0_1", Map.of("KSD", 2), Map.of("KSD", Duration.ofMinutes(1)));
        metrics.receiptsKept(List.of("KSD_SFTPSIMPEL:/IN/a.sftpreceipt"), List.of("KSD_SFTPSIMPEL"), List.of());
        Gauge inFlight = registry.get(PipelineMetrics.IN_FLIGHT).gauge();
        Gauge kept = registry.get(PipelineMetrics.RECEIPTS_KEPT).gauge();

        metrics.inFlight("0_1", Map.of("KSD", 0), Map.of("KSD", Duration.ZERO));
        metrics.receiptsKept(List.of(), List.of("KSD_SFTPSIMPEL"), List.of());

        // the series a scrape finds is the one registered first: it was never removed to be added again
        assertThat(registry.get(PipelineMetrics.IN_FLIGHT).gauge()).isSameAs(inFlight);
        assertThat(inFlight.value()).isZero();
        assertThat(registry.get(PipelineMetrics.RECEIPTS_KEPT).gauge()).isSameAs(kept);
        assertThat(kept.value()).isZero();
    }

    @Test
    void aScrapeDuringTheSweepsAlwaysFindsEverySeries() throws Exception {
        metrics.inFlight("0_1", Map.of("KSD", 1), Map.of("KSD", Duration.ofSeconds(1)));
        AtomicInteger missing = new AtomicInteger();
        AtomicBoolean sweeping = new AtomicBoolean(true);
        Thread scraper = new Thread(() -> {
            while (sweeping.get()) {
                if (registry.find(PipelineMetrics.IN_FLIGHT)
                                        .tag("fagsystem", "KSD")
                                        .gauge()
                                == null
                        || registry.find(PipelineMetrics.IN_FLIGHT_OLDEST_AGE)
                                        .tag("fagsystem", "KSD")
                                        .gauge()
                                == null) {
                    missing.incrementAndGet();
                }
            }
        });
        scraper.start();
        try {
            for (int sweep = 0; sweep < 20_000; sweep++) {
                metrics.inFlight("0_" + (sweep % 3), Map.of("KSD", sweep % 2), Map.of("KSD", Duration.ofMillis(sweep)));
            }
        } finally {
            sweeping.set(false);
            scraper.join();
        }
        assertThat(missing).as("scrapes that lacked a series").hasValue(0);
    }

    @Test
    void aRetryWaitsUntilItEndsOnce() {
        metrics.retryWaiting("t1");
        metrics.retryWaiting("t1");
        metrics.retryWaiting("t2");
        assertThat(registry.get(PipelineMetrics.RETRIES_WAITING).gauge().value())
                .isEqualTo(2.0);
        metrics.retryEnded("t1");
        assertThat(registry.get(PipelineMetrics.RETRIES_WAITING).gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void aSettledTransferCountsByOutcomeAndTimesItsReceiptWait() {
        metrics.settled("KSD", "0561", "SUCCEEDED", Duration.ofSeconds(42));
        metrics.settled("KSD", "0561", "TIMED_OUT", null);

        assertThat(registry.get(PipelineMetrics.TRANSFERS)
                        .tags("fagsystem", "KSD", "authority", "0561", "outcome", "SUCCEEDED")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get(PipelineMetrics.RECEIPT_WAIT)
                        .tags("outcome", "SUCCEEDED")
                        .timer()
                        .totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(42.0);
        assertThat(registry.find(PipelineMetrics.RECEIPT_WAIT)
                        .tags("outcome", "TIMED_OUT")
                        .timer())
                .as("no receipt, no wait recorded")
                .isNull();
    }

    private double gauge(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).gauge().value();
    }
}
