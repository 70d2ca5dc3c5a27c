package dk.sf1820.transporter;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferProgress;
import dk.sf1820.schemas.avro.TransferStep;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * How far each transfer got, as recorded in the compacted topic {@code sf1820.transfer.progress}
 * (one {@link TransferProgress} per step, keyed by transferId).
 *
 * <p>The remote side alone cannot tell a replay from a first delivery once the platform has moved the
 * data file on and the receipt tracker has deleted the receipt: OUT and IN are empty in both cases.
 * The ledger can. Before answering a lookup it reads the topic up to its current end, so it sees every
 * record written before the call, by this instance or by one that owned the transfer before a crash
 * or rebalance; a lookup therefore never acts on a stale view. It holds the latest record per
 * transferId in memory: a few thousand transfers a year, a few hundred bytes each.
 *
 * <p>The transporter's consumers share one ledger. Lookups take turns (its Kafka consumer is not
 * thread-safe); a step is published outside that lock, so one transfer's acknowledgement never waits
 * for another's lookup. A catch-up may briefly put an older step of a transfer that another thread is
 * working on back into memory; that is harmless, because only that thread acts on that transfer (it is
 * keyed to one partition, so one consumer), and any later lookup of it first reads the newer steps too.
 */
public class TransferProgressLedger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransferProgressLedger.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<String, SpecificRecordBase> consumer;
    private final EventPublisher publisher;
    private final Clock clock;
    private final Duration catchUpTimeout;
    private final Map<String, TransferProgress> latest = new HashMap<>();
    private List<TopicPartition> partitions = List.of();

    /**
     * @param consumer a consumer of its own, not in any group: the ledger assigns every partition itself
     *        and never commits, because it always rebuilds from the beginning of the compacted topic
     * @param catchUpTimeout how long a lookup may take to reach the end of the topic before it fails
     */
    public TransferProgressLedger(
            Consumer<String, SpecificRecordBase> consumer,
            EventPublisher publisher,
            Clock clock,
            Duration catchUpTimeout) {
        this.consumer = consumer;
        this.publisher = publisher;
        this.clock = clock;
        this.catchUpTimeout = catchUpTimeout;
    }

    /** The latest recorded step of a transfer, after reading every record written so far. */
    public synchronized Optional<TransferProgress> lookup(String transferId) {
        catchUp();
        return Optional.ofNullable(latest.get(transferId));
    }

    /**
     * Records a step and waits for Kafka's acknowledgement, so the step is durable before the next
     * side effect.
     */
    public void record(PackageReady event, TransferStep step, long sizeBytes, int attempts, String detail) {
        TransferProgress progress = TransferRef.of(event).stamp(new TransferProgress(), clock);
        progress.setStep(step);
        progress.setSender(event.getSender());
        progress.setFileName(event.getFileName());
        progress.setSizeBytes(sizeBytes);
        progress.setAttempts(attempts);
        progress.setDetail(detail);
        publisher.publish(Topics.TRANSFER_PROGRESS, progress);
        synchronized (this) {
            latest.put(event.getTransferId(), progress);
        }
    }

    private void catchUp() {
        try {
            assignAllPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, catchUpTimeout);
            long deadline = System.nanoTime() + catchUpTimeout.toNanos();
            while (behind(end)) {
                if (System.nanoTime() > deadline) {
                    throw new RetryableTransferException(
                            "Transfer progress " + Topics.TRANSFER_PROGRESS + " could not be read to its end within "
                                    + catchUpTimeout,
                            null);
                }
                for (ConsumerRecord<String, SpecificRecordBase> record : consumer.poll(POLL)) {
                    apply(record);
                }
            }
        } catch (KafkaException e) {
            throw new RetryableTransferException(
                    "Transfer progress " + Topics.TRANSFER_PROGRESS + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void assignAllPartitions() {
        if (!partitions.isEmpty()) {
            return;
        }
        var infos = consumer.partitionsFor(Topics.TRANSFER_PROGRESS.name(), catchUpTimeout);
        if (infos == null || infos.isEmpty()) {
            return; // not created yet: nothing was recorded either
        }
        partitions = infos.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        log.info(
                "transfer progress ledger reading topic={} partitions={}", Topics.TRANSFER_PROGRESS, partitions.size());
    }

    private boolean behind(Map<TopicPartition, Long> end) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition, catchUpTimeout) < end.getOrDefault(partition, 0L)) {
                return true;
            }
        }
        return false;
    }

    private void apply(ConsumerRecord<String, SpecificRecordBase> record) {
        if (record.value() instanceof TransferProgress progress) {
            // a record this instance wrote itself is already in the map; the topic's copy is the same
            latest.put(record.key(), progress);
        } else if (record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null) {
            log.warn(
                    "unreadable transfer progress skipped transferId={} partition={} offset={}",
                    record.key(),
                    record.partition(),
                    record.offset());
        } else if (record.value() == null && record.key() != null) {
            latest.remove(record.key()); // a tombstone: an operator released the transferId
        }
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
