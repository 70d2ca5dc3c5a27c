package dk.sf1820.transporter;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.SingleRecordHeader;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;

/**
 * Jitter for the retry topics. spring-kafka gives every retry topic one fixed pause, so records that
 * failed in the same instant (every transfer during a platform outage) would all be due in the same
 * instant again. This replaces the due time spring-kafka writes into a retried record
 * ({@code retry_topic-backoff-timestamp}, read with {@code lastHeader}; a {@link SingleRecordHeader}
 * replaces the earlier value) by one lengthened by a random share of the pause.
 */
final class RetryJitter {

    private final TransferRetries retries;
    private final Clock clock;

    RetryJitter(TransferRetries retries, Clock clock) {
        this.retries = retries;
        this.clock = clock;
    }

    /** The due-time header for the retry of {@code failed}. */
    Headers headers(ConsumerRecord<?, ?> failed) {
        long due = retries.nextAttemptAt(failedAttempt(failed), clock.millis(), ThreadLocalRandom.current());
        Headers headers = new RecordHeaders();
        headers.add(new SingleRecordHeader(
                RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP,
                BigInteger.valueOf(due).toByteArray()));
        return headers;
    }

    /** Which attempt failed: 1 for the first delivery, else the attempts header of the retried record. */
    static int failedAttempt(ConsumerRecord<?, ?> record) {
        Header attempts = record.headers().lastHeader(RetryTopicHeaders.DEFAULT_HEADER_ATTEMPTS);
        if (attempts == null || attempts.value().length != Integer.BYTES) {
            return 1;
        }
        return ByteBuffer.wrap(attempts.value()).getInt();
    }
}
