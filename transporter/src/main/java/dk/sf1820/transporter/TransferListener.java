package dk.sf1820.transporter;

import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.Events;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Consumes {@code PackageReady}, transfers the package and publishes the outcome. The offset is
 * committed after this method returns, i.e. after the files are on the server and the outcome is
 * acknowledged by Kafka; a crash before that redelivers the event, which the transporter tolerates.
 *
 * <p>A transfer that fails transiently is handed to the retry topics ({@link TransferRetries}) and
 * comes back here later, so one sender's outage never holds up the partition for the others. When
 * the retry budget is spent, {@link #gaveUp} ends it with {@code TransferFailed}.
 *
 * <p>Transfers run in parallel as {@link #concurrency()} consumers of one group, each owning some of the
 * topic's partitions and committing each record's offset after its side effect, as one consumer would.
 * A transferId is the record key, so all events of one transfer stay on one partition and so on one
 * thread, in order: parallelism never lets two attempts at one transfer overlap. (An executor behind one
 * consumer would have to commit offsets out of order or hold fast transfers behind slow ones.)
 */
class TransferListener {

    private static final Logger log = LoggerFactory.getLogger(TransferListener.class);

    private final SftpTransporter transporter;
    private final EventPublisher publisher;
    private final TransferObserver observer;
    private final int concurrency;
    private final PipelineMetrics metrics;

    TransferListener(
            SftpTransporter transporter,
            EventPublisher publisher,
            TransferObserver observer,
            int concurrency,
            PipelineMetrics metrics) {
        this.transporter = transporter;
        this.publisher = publisher;
        this.observer = observer;
        this.concurrency = concurrency;
        this.metrics = metrics;
    }

    /** Consumers of the PackageReady topic in this instance: transfers worked on at once. */
    public int concurrency() {
        return concurrency;
    }

    // The retry topics' containers keep spring-kafka's default of one consumer: retries are the exception.
    @KafkaListener(
            id = "sf1820-transporter",
            groupId = "sf1820-transporter",
            topics = "#{T(dk.sf1820.schemas.Topics).PACKAGE_READY.name()}",
            concurrency = "#{__listener.concurrency()}")
    void onPackageReady(ConsumerRecord<String, SpecificRecordBase> record) {
        if (!(record.value() instanceof PackageReady packageReady)) {
            log.debug("ignored event={} on {}", Events.typeOf(record.value()), record.topic());
            return;
        }
        int attempt = attempt(record);
        try (var ignored = MDC.putCloseable("transferId", packageReady.getTransferId())) {
            if (attempt > 1) {
                log.info("transfer retried transferId={} attempt={}", packageReady.getTransferId(), attempt);
            }
            TransferOutcome outcome;
            try {
                outcome = transporter.transfer(packageReady, attempt);
            } catch (RuntimeException e) {
                if (!(e instanceof NonRetryableEventException)) {
                    // the retry topics take it from here; it waits until an attempt succeeds or the budget is spent
                    metrics.retryWaiting(packageReady.getTransferId());
                    // said here: the retry topic's record keeps the cause, but the log would only show "retried"
                    log.warn(
                            "transfer attempt failed, tried again later transferId={} attempt={} cause=\"{}\"",
                            packageReady.getTransferId(),
                            attempt,
                            e.getMessage());
                }
                throw e;
            }
            publisher.publish(Topics.TRANSFER_UPLOADED, outcome.event());
            metrics.retryEnded(packageReady.getTransferId());
            if (outcome.event() instanceof TransferUploaded uploaded) {
                metrics.uploaded(
                        uploaded.getFagsystem(),
                        uploaded.getAuthority(),
                        uploaded.getSizeBytes(),
                        Duration.ofMillis(uploaded.getDurationMillis()));
            }
            transporter.published(packageReady, outcome, attempt);
            observer.published(packageReady, outcome);
        }
    }

    /**
     * The retry budget is spent, or the event was refused outright. A refused event stays in the
     * dead-letter topic with its reason for an operator; a spent budget ends the transfer with
     * {@code TransferFailed} naming the last cause and the number of attempts, from which the receipt
     * tracker emits {@code DeliveryFailed}.
     */
    public void gaveUp(ConsumerRecord<String, SpecificRecordBase> record) {
        // the retry topics' recoverer writes the exception headers under their non-DLT names
        String cause = text(record, KafkaHeaders.EXCEPTION_MESSAGE).replaceFirst("^Listener failed; ", "");
        if (!(record.value() instanceof PackageReady packageReady)
                || NonRetryableEventException.class.getName().equals(text(record, KafkaHeaders.EXCEPTION_CAUSE_FQCN))) {
            log.warn(
                    "dead letter left for an operator transferId={} topic={} reason={}",
                    record.key(),
                    record.topic(),
                    text(record, DeadLetterReason.HEADER));
            metrics.deadLettered(Topics.PACKAGE_READY.name());
            return;
        }
        try (var ignored = MDC.putCloseable("transferId", packageReady.getTransferId())) {
            // the header announces the attempt that would have come next
            int attempts = Math.max(1, attempt(record) - 1);
            log.error(
                    "retry budget spent transferId={} file={} attempts={} cause={}",
                    packageReady.getTransferId(),
                    packageReady.getFileName(),
                    attempts,
                    cause);
            TransferOutcome outcome = transporter.giveUp(packageReady, cause, attempts);
            publisher.publish(Topics.TRANSFER_UPLOADED, outcome.event());
            metrics.retryEnded(packageReady.getTransferId());
        }
    }

    /** 1 on the main topic; on a retry topic the attempt the retry header announces. */
    private static int attempt(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(RetryTopicHeaders.DEFAULT_HEADER_ATTEMPTS);
        if (header == null || header.value() == null || header.value().length == 0) {
            return 1;
        }
        return new BigInteger(1, header.value()).intValue();
    }

    private static String text(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
