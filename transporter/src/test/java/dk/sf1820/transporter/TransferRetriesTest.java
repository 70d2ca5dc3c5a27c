package dk.sf1820.transporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransferRetriesTest {

    @Test
    void defaultBudgetOutlastsTheQuarterlyEightHourServiceWindow() {
        TransferRetries retries = TransferRetries.of(TransporterPropertiesTest.paths("/OUT", "/IN", ".part"));

        assertThat(retries.initialMillis()).isEqualTo(10_000);
        assertThat(retries.maxMillis()).isEqualTo(Duration.ofMinutes(15).toMillis());
        assertThat(waited(retries)).isGreaterThanOrEqualTo(Duration.ofHours(8).toMillis());
        // 10 s .. 640 s doubling (7 pauses, 21 min), then 15 min pauses up to 9 h
        assertThat(retries.maxAttempts()).isEqualTo(43);
    }

    @Test
    void pausesGrowToTheMaximumAndStopOnceTheyCoverTheBudget() {
        assertThat(TransferRetries.attemptsFor(500, 2.0, 1000, Duration.ofSeconds(8)))
                .isEqualTo(10);
        assertThat(TransferRetries.attemptsFor(1000, 1.0, 1000, Duration.ofSeconds(3)))
                .isEqualTo(4);
        assertThat(TransferRetries.attemptsFor(1000, 2.0, 60_000, Duration.ZERO))
                .isEqualTo(1);
    }

    /** The sum of the pauses between the attempts, as the retry topics will apply them. */
    private static long waited(TransferRetries retries) {
        long waited = 0;
        double pause = retries.initialMillis();
        for (int attempt = 1; attempt < retries.maxAttempts(); attempt++) {
            waited += (long) Math.min(pause, retries.maxMillis());
            pause *= retries.multiplier();
        }
        return waited;
    }
}
