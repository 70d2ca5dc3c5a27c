package dk.sf1820.transporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;

class RetryJitterTest {

    private static final long NOW = Instant.parse("2026-03-02T05:00:00Z").toEpochMilli();
    // 10 s doubling to 15 min, 20 % jitter: the defaults
    private final TransferRetries retries = new TransferRetries(10_000, 2.0, 900_000, 43, 0.2);
    private final RetryJitter jitter = new RetryJitter(retries, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    @Test
    void pausesFollowTheRetryTopicsOwnPlan() {
        assertThat(retries.pauseAfter(1)).isEqualTo(10_000);
        assertThat(retries.pauseAfter(2)).isEqualTo(20_000);
        assertThat(retries.pauseAfter(7)).isEqualTo(640_000);
        assertThat(retries.pauseAfter(8)).isEqualTo(900_000);
        assertThat(retries.pauseAfter(42)).isEqualTo(900_000);
    }

    @Test
    void theFirstDeliveryCountsAsAttemptOneAndRetriesCarryTheirAttempt() {
        ConsumerRecord<String, String> first = new ConsumerRecord<>("sf1820.package.ready", 0, 0, "t", "v");
        ConsumerRecord<String, String> third = new ConsumerRecord<>("sf1820.package.ready.retry-20000", 0, 0, "t", "v");
        third.headers()
                .add(
                        RetryTopicHeaders.DEFAULT_HEADER_ATTEMPTS,
                        ByteBuffer.allocate(4).putInt(3).array());
        assertThat(RetryJitter.failedAttempt(first)).isEqualTo(1);
        assertThat(RetryJitter.failedAttempt(third)).isEqualTo(3);
    }

    @Test
    void transfersThatFailTogetherComeBackSpreadOverUpToAFifthOfThePause() {
        ConsumerRecord<String, String> failed = new ConsumerRecord<>("sf1820.package.ready", 0, 0, "t", "v");
        Set<Long> dueTimes = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Header due = jitter.headers(failed).lastHeader(RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP);
            long at = new BigInteger(due.value()).longValue();
            assertThat(at).isBetween(NOW + 10_000, NOW + 12_000);
            dueTimes.add(at);
        }
        // 200 transfers failing in the same millisecond no longer return in the same millisecond
        assertThat(dueTimes).hasSizeGreaterThan(100);
    }

    @Test
    void noJitterMeansExactlyTheTopicsPause() {
        TransferRetries exact = new TransferRetries(10_000, 2.0, 900_000, 43, 0.0);
        assertThat(exact.nextAttemptAt(2, NOW, java.util.random.RandomGenerator.getDefault()))
                .isEqualTo(NOW + 20_000);
    }
}
