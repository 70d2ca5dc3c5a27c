package dk.sf1820.app.health;

import dk.sf1820.receipts.correlation.CorrelationStreams;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The receipt tracker's Kafka Streams client: UP only while RUNNING. While it restores its state or
 * rebalances, outcomes wait and receipts are not polled, so the process is not ready (OUT_OF_SERVICE);
 * stopped or in ERROR it is DOWN.
 */
class CorrelationStreamsHealthIndicator implements HealthIndicator {

    private final Supplier<CorrelationStreams> streams;

    /** @param streams the receipt tracker's client; null where this process does not run the receipt tracker */
    CorrelationStreamsHealthIndicator(Supplier<CorrelationStreams> streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        CorrelationStreams tracker = streams.get();
        if (tracker == null) {
            return Health.up()
                    .withDetail("state", "receipt-tracker not run by this process")
                    .build();
        }
        Optional<KafkaStreams.State> state = tracker.state();
        Health.Builder health = state.map(s -> switch (s) {
                    case RUNNING -> Health.up();
                    case CREATED, REBALANCING -> Health.outOfService();
                    default -> Health.down();
                })
                .orElseGet(Health::down);
        return health.withDetail("state", state.map(KafkaStreams.State::name).orElse("NOT_STARTED"))
                .build();
    }
}
