package dk.sf1820.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

    @Test
    void aFailedRoundDoesNotEndTheSchedule() {
        AtomicInteger rounds = new AtomicInteger();
        PollSchedule schedule = new PollSchedule(
                "test-poll",
                () -> {
                    rounds.incrementAndGet();
                    throw new IllegalStateException("server in its service window");
                },
                Duration.ofMillis(10),
                Duration.ZERO,
                0);
        schedule.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() >= 3);
        } finally {
            schedule.stop();
        }
        assertThat(schedule.isRunning()).isFalse();
    }

    @Test
    void anIntervalOfZeroMeansRoundsOnlyOnDemand() {
        PollSchedule schedule = new PollSchedule("test-poll", () -> {}, Duration.ZERO, Duration.ZERO, 0);
        schedule.start();
        assertThat(schedule.isRunning()).isFalse();
    }

    @Test
    void aNudgeRunsARoundWithoutWaitingForTheInterval() {
        AtomicInteger rounds = new AtomicInteger();
        PollSchedule schedule =
                new PollSchedule("test-poll", rounds::incrementAndGet, Duration.ofHours(1), Duration.ZERO, 0);
        schedule.nudge(); // stopped: nothing
        schedule.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 1);
            schedule.nudge();
            await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 2);
        } finally {
            schedule.stop();
        }
    }
}
