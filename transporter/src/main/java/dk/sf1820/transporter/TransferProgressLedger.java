package dk.sf1820.transporter;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferProgress;
import dk.sf1820.schemas.avro.TransferStep;
import dk.sf1820.schemas.events.TransferRef;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * How far each transfer got, as recorded in the compacted topic {@code sf1820.transfer.progress}
 * (one {@link TransferProgress} per step, keyed by transferId).
 *
 * <p>The remote side alone cannot tell a replay from a first delivery once the platform has moved the
 * data file on and the receipt tracker has deleted the receipt: OUT and IN are empty in both cases.
 * The ledger can. Before answering a lookup it reads the transfer's partition of the topic up to its
 * current end, so it sees every record of that transfer written before the call, by this instance or by
 * one that owned the transfer before a crash or rebalance; a lookup therefore never acts on a stale view.
 * It holds the latest record per transferId in memory: a few thousand transfers a year, a few hundred
 * bytes each.
 *
 * <p>Only the transfer's own partition is read: the producer puts every record of one key on the
 * partition Kafka's default partitioner picks (murmur2 of the key modulo the partition count), and the
 * ledger computes the same. Each partition has its own reader (consumer and lock), so the transporter's
 * consumers, which own different partitions of {@code sf1820.package.ready} (keyed alike), look up in
 * parallel instead of taking turns over the whole topic. Two guards keep "never a second trigger": every
 * partition is read at the first lookup and again whenever the partition count changes (older records of
 * a key then lie on its partition under the old count, which lookups keep reading too); and a record
 * found on a partition its key does not map to (a producer with another partitioner) makes every later
 * lookup read every partition, as before.
 *
 * <p>A step is published outside any lock, so one transfer's acknowledgement never waits for another's
 * lookup. A catch-up may briefly put an older step of a transfer that another thread is working on back
 * into memory; that is harmless, because only that thread acts on that transfer (it is keyed to one
 * partition, so one consumer), and any later lookup of it first reads the newer steps too.
 */
public class TransferProgressLedger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransferProgressLedger.class);

    private final IntFunction<Consumer<String, SpecificRecordBase>> consumers;
    private final EventPublisher publisher;
    private final Clock clock;
    private final Duration catchUpTimeout;
    private final Map<String, TransferProgress> latest = new ConcurrentHashMap<>();
    /** Replaced whole under {@code this} when the partition count changes; read without a lock. */
    private volatile Layout layout;

    private volatile boolean everyPartition;

    /**
     * @param consumers makes the consumer of one partition's reader (the argument is the partition, for a
     *        distinct client id): not in any group, since the ledger assigns partitions itself and never
     *        commits, because it always rebuilds from the beginning of the compacted topic
     * @param catchUpTimeout how long a lookup may take to reach the end of the topic before it fails
     */
    public TransferProgressLedger(
            IntFunction<Consumer<String, SpecificRecordBase>> consumers,
            EventPublisher publisher,
            Clock clock,
            Duration catchUpTimeout) {
        this.consumers = consumers;
        this.publisher = publisher;
        this.clock = clock;
        this.catchUpTimeout = catchUpTimeout;
    }

    /** The latest recorded step of a transfer, after reading every record of it written so far. */
    public Optional<TransferProgress> lookup(String transferId) {
        try {
            Layout current = layout;
            if (current == null || current.readers().isEmpty()) {
                current = relayout(current, 0);
            }
            while (!current.readers().isEmpty()) {
                int count = catchUp(current, transferId);
                if (count <= current.readers().size()) {
                    break;
                }
                current = relayout(current, count);
            }
        } catch (KafkaException e) {
            throw new RetryableTransferException(
                    "Transfer progress " + Topics.TRANSFER_PROGRESS + " cannot be read: " + e.getMessage(), e);
        }
        return Optional.ofNullable(latest.get(transferId));
    }

    /**
     * Records a step and waits for Kafka's acknowledgement, so the step is durable before the next
     * side effect.
     */
    public void record(PackageReady event, TransferStep step, long sizeBytes, int attempts, String detail) {
        TransferProgress progress = progress(event, step, sizeBytes, attempts, detail);
        publisher.publish(Topics.TRANSFER_PROGRESS, progress);
        latest.put(event.getTransferId(), progress);
    }

    /**
     * Records a step without waiting for Kafka's acknowledgement (a failure is logged), saving a round
     * trip to the broker. Only for a step whose loss is harmless: one that an awaited step recorded right
     * after it implies ({@code DATA_UPLOADED} before {@code TRIGGERING}: both go to the transfer's
     * partition in order, and {@code TRIGGERING} also vouches for the whole data file), or one nothing
     * acts on differently from the step before it ({@code PUBLISHED} after {@code TRIGGERED}).
     */
    public void note(PackageReady event, TransferStep step, long sizeBytes, int attempts, String detail) {
        TransferProgress progress = progress(event, step, sizeBytes, attempts, detail);
        publisher.send(Topics.TRANSFER_PROGRESS, progress);
        latest.put(event.getTransferId(), progress);
    }

    private TransferProgress progress(
            PackageReady event, TransferStep step, long sizeBytes, int attempts, String detail) {
        TransferProgress progress = TransferRef.of(event).stamp(new TransferProgress(), clock);
        progress.setStep(step);
        progress.setSender(event.getSender());
        progress.setFileName(event.getFileName());
        progress.setSizeBytes(sizeBytes);
        progress.setAttempts(attempts);
        progress.setDetail(detail);
        return progress;
    }

    /** Reads the transfer's partitions to their end; returns the largest partition count the readers know. */
    private int catchUp(Layout current, String transferId) {
        int count = 0;
        for (ProgressPartitionReader reader : everyPartition ? current.readers() : current.readersOf(transferId)) {
            count = Math.max(count, reader.catchUp(record -> apply(record, current), catchUpTimeout));
        }
        return count;
    }

    /**
     * Takes in a new partition count (or the first one): a reader for each new partition, then every
     * partition read to its end. At the first lookup that finds records of every key however many
     * partitions the topic had when they were written; after a change it is not strictly needed (lookups
     * also read a key's partition under every count seen) but cheap, and it covers changes in between.
     *
     * @param seen the layout the caller worked with
     * @param known a partition count one of the readers saw (0 when none)
     */
    private synchronized Layout relayout(Layout seen, int known) {
        Layout current = layout;
        if (current != seen && current != null && !current.readers().isEmpty()) {
            return current; // another lookup already took the change in
        }
        List<ProgressPartitionReader> readers = new ArrayList<>(current == null ? List.of() : current.readers());
        ProgressPartitionReader probe =
                current == null ? new ProgressPartitionReader(consumers.apply(0)) : current.probe();
        // one consumer's metadata may lag behind another's: the largest count is the topic's
        int count = Math.max(known, (readers.isEmpty() ? probe : readers.get(0)).partitionCount(catchUpTimeout));
        for (int partition = readers.size(); partition < count; partition++) {
            readers.add(
                    partition == 0
                            ? probe.assign(0)
                            : new ProgressPartitionReader(consumers.apply(partition)).assign(partition));
        }
        Set<Integer> counts = new TreeSet<>(current == null ? Set.of() : current.counts());
        if (count > 0) {
            counts.add(count);
        }
        Layout next = new Layout(List.copyOf(readers), Set.copyOf(counts), probe);
        for (ProgressPartitionReader reader : readers) {
            // records written under any earlier count are expected anywhere: no partition check here
            reader.catchUp(record -> apply(record, null), catchUpTimeout);
        }
        if (count > 0) {
            log.info(
                    "transfer progress ledger read every partition topic={} partitions={} countsSeen={}",
                    Topics.TRANSFER_PROGRESS,
                    readers.size(),
                    counts);
        }
        layout = next;
        return next;
    }

    /** @param current the layout whose key-to-partition mapping the record must follow, or null for any */
    private void apply(ConsumerRecord<String, SpecificRecordBase> record, Layout current) {
        if (current != null
                && record.key() != null
                && !everyPartition
                && !current.partitionsOf(record.key()).contains(record.partition())) {
            everyPartition = true;
            log.warn(
                    "transfer progress record on a partition its key does not map to (another partitioner, or "
                            + "partitions added and not yet seen here): every lookup now reads every partition "
                            + "transferId={} partition={} offset={}",
                    record.key(),
                    record.partition(),
                    record.offset());
        }
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
        Layout current = layout;
        if (current != null) {
            current.readers().forEach(ProgressPartitionReader::close);
            if (current.readers().isEmpty()) {
                current.probe().close();
            }
        }
    }

    /**
     * The partition readers, the partition counts this ledger has seen, and the consumer that asked for
     * the count before the topic existed (the reader of partition 0 once it does).
     */
    private record Layout(List<ProgressPartitionReader> readers, Set<Integer> counts, ProgressPartitionReader probe) {

        /** Where the default partitioner put the key under each count seen: newer records, older ones. */
        Set<Integer> partitionsOf(String key) {
            int hash = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)));
            Set<Integer> partitions = new TreeSet<>();
            for (int count : counts) {
                partitions.add(hash % count);
            }
            return partitions;
        }

        List<ProgressPartitionReader> readersOf(String key) {
            return partitionsOf(key).stream()
                    .filter(partition -> partition < readers.size())
                    .map(readers::get)
                    .toList();
        }
    }
}
