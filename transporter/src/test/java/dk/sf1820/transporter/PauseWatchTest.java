package dk.sf1820.transporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PauseWatchTest {

    private static final long MS = 1_000_000;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final PauseWatch watch = new PauseWatch(Duration.ofSeconds(5), clock::get);

    @Test
    void regularTicksAreNoPause() {
        long start = watch.now();
        for (int i = 0; i < 100; i++) {
            clock.addAndGet(100 * MS);
            watch.tick();
        }
        assertThat(watch.pausedSince(start)).isFalse();
    }

    @Test
    void aLastTickLongAgoIsAPauseBeforeTheTickerRunsAgain() {
        long start = watch.now();
        clock.addAndGet(6_000 * MS);
        assertThat(watch.pausedSince(start)).isTrue();
    }

    @Test
    void aGapBetweenTicksStaysAPauseForAttemptsThatBeganBeforeIt() {
        long before = watch.now();
        clock.addAndGet(6_000 * MS);
        watch.tick();
        clock.addAndGet(100 * MS);
        watch.tick();
        long after = watch.now();
        clock.addAndGet(100 * MS);
        watch.tick();

        assertThat(watch.pausedSince(before)).isTrue();
        assertThat(watch.pausedSince(after)).isFalse();
    }

    @Test
    void noneNeverSeesAPause() {
        assertThat(PauseWatch.NONE.pausedSince(
                        PauseWatch.NONE.now() - Duration.ofDays(1).toNanos()))
                .isFalse();
    }
}
