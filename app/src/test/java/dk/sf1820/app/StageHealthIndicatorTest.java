package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.StageHalt;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.support.GenericApplicationContext;

class StageHealthIndicatorTest {

    @Test
    void aStageThatCannotGoOnIsDownWithItsReasonAndTheProcessExitsWithSeventy() {
        AtomicInteger exitStatus = new AtomicInteger(-1);
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.refresh();
            StageHalt halt = new StageHalt(context, exitStatus::set);
            StageHealthIndicator health = new StageHealthIndicator(() -> halt);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            halt.cannotGoOn("sf1820-packager", "its Kafka consumer stopped, reason=ERROR", new OutOfMemoryError());

            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails())
                    .containsEntry(
                            "failure", "stage sf1820-packager cannot go on: its Kafka consumer stopped, reason=ERROR")
                    .containsEntry("exitStatus", 70);
            await().atMost(Duration.ofSeconds(10)).until(() -> exitStatus.get() == 70);
        }
    }
}
