package dk.sf1820.receipts.correlation;

import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.schemas.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Sends a record the correlation topology cannot read, or that its correlator refuses as breaking a rule of
 * the pipeline (an event not keyed by its transferId), to {@code <topic>.dlt}, with the same headers
 * the listeners' dead letters carry (reason, original topic, partition and offset), then lets the
 * topology go on. Kafka Streams 4.1 has no dead-letter queue of its own (KIP-1034 arrives in 4.2).
 *
 * <p>The dead letter is written by a plain idempotent producer and acknowledged before the record is
 * skipped, so it is never lost: if it cannot be written the handler answers FAIL, the Streams client
 * stops and the process exits to be restarted. It is not part of the task's exactly-once transaction,
 * so a crash before that transaction commits writes it a second time, with the same original
 * partition and offset headers: the same dead letter twice, never a second outcome.
 */
public class StreamsDeadLetters implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /** Streams setting holding the {@link Producer} the dead letters are written with; the caller owns it. */
    public static final String PRODUCER_CONFIG = "sf1820.streams.dead-letter-producer";

    private static final Logger log = LoggerFactory.getLogger(StreamsDeadLetters.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** The {@link PipelineMetrics} that counts dead letters, handed over in the Streams configuration. */
    public static final String METRICS_CONFIG = "sf1820.streams.pipeline-metrics";

    private Producer<byte[], byte[]> producer;
    private PipelineMetrics metrics = PipelineMetrics.none();

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        producer = (Producer<byte[], byte[]>) configs.get(PRODUCER_CONFIG);
        if (configs.get(METRICS_CONFIG) instanceof PipelineMetrics given) {
            metrics = given;
        }
    }

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        Source source = new Source(
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                record.key(),
                record.value(),
                record.headers());
        return deadLetter(source, exception, "unreadable")
                ? DeserializationHandlerResponse.CONTINUE
                : DeserializationHandlerResponse.FAIL;
    }

    /**
     * A record the correlator refused ({@link NonRetryableEventException}: a rule of the pipeline broken, the
     * same for every retry) goes to the dead-letter topic as it was read; any other failure stops the topology
     * as Streams' default handler would.
     */
    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        // a refusal comes from a source record (a punctuation has none: its failure stops the topology)
        if (!(exception instanceof NonRetryableEventException) || context.topic() == null) {
            log.error(
                    "processing failed topic={} partition={} offset={} reason={}: the topology stops",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    DeadLetterReason.reason(exception));
            return ProcessingHandlerResponse.FAIL;
        }
        Source source = new Source(
                context.topic(),
                context.partition(),
                context.offset(),
                context.timestamp(),
                context.sourceRawKey(),
                context.sourceRawValue(),
                context.headers());
        return deadLetter(source, exception, "refused")
                ? ProcessingHandlerResponse.CONTINUE
                : ProcessingHandlerResponse.FAIL;
    }

    /** @return whether the dead letter was written and acknowledged, so the record may be skipped */
    private boolean deadLetter(Source record, Exception exception, String what) {
        String deadLetter = record.topic() + Topic.DLT_SUFFIX;
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        String reason = DeadLetterReason.reason(exception);
        if (producer == null) {
            log.error(
                    "{} record topic={} partition={} offset={} transferId={} reason={}: no dead-letter "
                            + "producer configured ({}), so the topology stops rather than skip it",
                    what,
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    key,
                    reason,
                    PRODUCER_CONFIG);
            return false;
        }
        try {
            producer.send(new ProducerRecord<>(
                            deadLetter,
                            null,
                            record.timestamp(),
                            record.key(),
                            record.value(),
                            headers(record, exception)))
                    .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.error(
                    "{} record topic={} partition={} offset={} transferId={} could not be dead-lettered "
                            + "to {}: {}; the topology stops rather than lose it",
                    what,
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    key,
                    deadLetter,
                    e.toString());
            return false;
        }
        metrics.deadLettered(record.topic());
        log.warn(
                "dead-lettered {} record topic={} partition={} offset={} transferId={} deadLetterTopic={} "
                        + "reason={}",
                what,
                record.topic(),
                record.partition(),
                record.offset(),
                key,
                deadLetter,
                reason);
        return true;
    }

    /** The record as read from its topic, whichever handler was given it. */
    private record Source(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, Headers headers) {}

    private static Headers headers(Source record, Exception exception) {
        Headers headers = DeadLetterReason.headers(exception);
        for (Header header : record.headers()) {
            headers.add(header);
        }
        // as spring-kafka's DeadLetterPublishingRecoverer writes them, so one reader serves both
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(
                KafkaHeaders.DLT_ORIGINAL_PARTITION,
                ByteBuffer.allocate(Integer.BYTES).putInt(record.partition()).array());
        headers.add(
                KafkaHeaders.DLT_ORIGINAL_OFFSET,
                ByteBuffer.allocate(Long.BYTES).putLong(record.offset()).array());
        headers.add(
                KafkaHeaders.DLT_EXCEPTION_FQCN, exception.getClass().getName().getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
