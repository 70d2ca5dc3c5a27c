package dk.sf1820.app.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which notices were mailed, as recorded in the compacted topic {@value #TOPIC} (key: the notice's
 * key, value: when it was sent and the subject).
 *
 * <p>Why a topic and not a file: the notifier is a consumer group, so a transfer's partition moves to
 * another instance on a rebalance or crash, possibly on another host; a compacted topic is seen by all
 * of them, survives restarts like the rest of the pipeline's state and needs no volume of its own.
 * Before answering, the ledger reads the topic to its current end, so it sees every record written
 * before the call, by this instance or by the one that owned the partition before. Offsets alone are
 * not enough: a re-published event has a new offset, and a crash between the mail and the offset
 * commit redelivers the record.
 *
 * <p>The remaining window: a crash after the mail was accepted by the SMTP server and before its record
 * here is acknowledged sends that mail again. SMTP has no transaction to join, and a second mail is
 * better than none.
 */
class SentNotifications implements AutoCloseable {

    static final String TOPIC = "sf1820.notifications.sent";
    private static final Logger log = LoggerFactory.getLogger(SentNotifications.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<String, String> consumer;
    private final Producer<String, String> producer;
    private final Duration timeout;
    private final Set<String> sent = new HashSet<>();
    private List<TopicPartition> partitions = List.of();

    /**
     * @param consumer a consumer of its own, in no group: it assigns every partition and always reads
     *        from the beginning
     * @param producer an idempotent producer with {@code acks=all}
     * @param timeout how long reading to the end or a write may take before the record is tried again
     */
    SentNotifications(Consumer<String, String> consumer, Producer<String, String> producer, Duration timeout) {
        this.consumer = consumer;
        this.producer = producer;
        this.timeout = timeout;
    }

    synchronized boolean wasSent(String key) {
        catchUp();
        return sent.contains(key);
    }

    /** Records a sent notice and waits for Kafka's acknowledgement, so it is durable before the offset commit. */
    synchronized void recordSent(String key, String subject, Instant at) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, key, at + " " + subject))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recording notification " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not acknowledge the record of notification " + key + " on " + TOPIC + ": "
                            + e.getMessage(),
                    e);
        }
        sent.add(key);
    }

    private void catchUp() {
        try {
            assignAllPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (behind(end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(TOPIC + " could not be read to its end within " + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    if (record.key() == null) {
                        continue;
                    }
                    if (record.value() == null) {
                        sent.remove(record.key()); // a tombstone: an operator wants this notice sent again
                    } else {
                        sent.add(record.key());
                    }
                }
            }
        } catch (KafkaException e) {
            throw new IllegalStateException(TOPIC + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void assignAllPartitions() {
        if (!partitions.isEmpty()) {
            return;
        }
        var infos = consumer.partitionsFor(TOPIC, timeout);
        if (infos == null || infos.isEmpty()) {
            return; // not created yet: nothing was sent either
        }
        partitions = infos.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        log.info("sent notifications ledger reading topic={} partitions={}", TOPIC, partitions.size());
    }

    private boolean behind(Map<TopicPartition, Long> end) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition, timeout) < end.getOrDefault(partition, 0L)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        consumer.close();
        producer.close();
    }
}
