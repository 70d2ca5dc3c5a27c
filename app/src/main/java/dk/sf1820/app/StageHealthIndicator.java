package dk.sf1820.app;

import dk.sf1820.kafka.StageHalt;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The stages' part of {@code /actuator/health}: DOWN, with the reason, once a stage cannot go on (a
 * listener container or the Kafka Streams client died), for the moments until the process has exited
 * with {@link StageHalt#EXIT_CODE} and its supervisor restarts it.
 */
class StageHealthIndicator implements HealthIndicator {

    private final Supplier<StageHalt> halt;

    /** @param halt the process's {@link StageHalt}; null where no stage runs (the one-shot commands) */
    StageHealthIndicator(Supplier<StageHalt> halt) {
        this.halt = halt;
    }

    @Override
    public Health health() {
        return Optional.ofNullable(halt.get())
                .flatMap(StageHalt::failure)
                .map(failure -> Health.down()
                        .withDetail("failure", failure)
                        .withDetail("exitStatus", StageHalt.EXIT_CODE)
                        .build())
                .orElseGet(() -> Health.up().build());
    }
}
