package dk.sf1820.transporter;

import dk.sf1820.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one partition of {@code sf1820.transfer.progress} with a consumer of its own, so lookups of
 * transfers on different partitions never wait for each other. Calls take turns: a Kafka consumer is
 * not thread-safe.
 */
final class ProgressPartitionReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    /** Where the records read go, in the partition's order. */
    interface Sink {
        void apply(ConsumerRecord<String, SpecificRecordBase> record);
    }

    private final Consumer<String, SpecificRecordBase> consumer;
    private TopicPartition partition;

    /** A reader not yet assigned: {@link #partitionCount} works before {@link #assign}. */
    ProgressPartitionReader(Consumer<String, SpecificRecordBase> consumer) {
        this.consumer = consumer;
    }

    synchronized ProgressPartitionReader assign(int partition) {
        this.partition = new TopicPartition(Topics.TRANSFER_PROGRESS.name(), partition);
        consumer.assign(List.of(this.partition));
        consumer.seekToBeginning(List.of(this.partition));
        return this;
    }

    int partition() {
        return partition.partition();
    }

    /**
     * The topic's partitions as this consumer's metadata knows them (no round trip once known; Kafka
     * refreshes it every {@code metadata.max.age.ms}); 0 while the topic does not exist.
     */
    synchronized int partitionCount(Duration timeout) {
        var infos = consumer.partitionsFor(Topics.TRANSFER_PROGRESS.name(), timeout);
        return infos == null ? 0 : infos.size();
    }

    /**
     * Reads the partition up to the end it has at the time of the call (one ListOffsets round trip,
     * then fetches while behind), so every record acknowledged before the call is applied.
     *
     * @return the partition count the consumer's metadata knows, for the caller to notice a change
     * @throws RetryableTransferException when the end is not reached within {@code timeout}
     */
    synchronized int catchUp(Sink sink, Duration timeout) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(partition), timeout);
        long end = ends.getOrDefault(partition, 0L);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new RetryableTransferException(
                        "Transfer progress " + partition + " could not be read to its end (offset " + end + ") within "
                                + timeout,
                        null);
            }
            for (ConsumerRecord<String, SpecificRecordBase> record : consumer.poll(POLL)) {
                sink.apply(record);
            }
        }
        var infos = consumer.partitionsFor(Topics.TRANSFER_PROGRESS.name(), timeout);
        return infos == null ? 0 : infos.size();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
