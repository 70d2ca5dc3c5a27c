package dk.sf1820.app;

import dk.sf1820.kafka.StageHalt;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The stages' part of {@code /actuator/health}: DOWN, with the reason, once a stage cannot go on (a
 * listener container or the Kafka Streams client died), for the moments until the process has exited
 * with {@link StageHalt#EXIT_CODE} and its supervisor restarts it.
 */
class StageHealthIndicator implements HealthIndicator {

    private final StageHalt halt;

    StageHealthIndicator(StageHalt halt) {
        this.halt = halt;
    }

    @Override
    public Health health() {
        return halt.failure()
                .map(failure -> Health.down().withDetail("failure", failure)
                        .withDetail("exitStatus", StageHalt.EXIT_CODE).build())
                .orElseGet(() -> Health.up().build());
    }
}
