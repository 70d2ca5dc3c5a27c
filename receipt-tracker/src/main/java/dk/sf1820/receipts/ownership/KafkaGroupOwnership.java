package dk.sf1820.receipts.ownership;

import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.kafka.StageHalt;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * {@code ownership.mode=group}: each sender belongs to one partition of the duties topic (Kafka's key
 * hash of its SFTP user), and this instance owns the senders of the partitions Kafka assigns it in the
 * duties consumer group. No coordination service of our own: when an instance stops it leaves the
 * group and its partitions move at once; when it dies they move after the consumer session timeout.
 *
 * <p>The topic also holds, compacted, a marker per once-only duty done (a file version's deadline
 * report), written to the sender's partition. A partition counts as owned only once this instance has
 * read it to the end, so a new owner knows what the previous one did. A record that is no marker this
 * tracker writes (no key, another shape, a sender of another partition, a value other than {@code done})
 * is skipped with a WARN naming its partition and offset and counted, never kept.
 *
 * <p>A partition is given up only after the duty running on it has finished (the revocation waits for
 * it). An instance whose poll loop has not returned for a whole session timeout stops acting on its
 * senders: the group has probably handed them to another instance already.
 */
public class KafkaGroupOwnership implements SenderOwnership, SmartLifecycle {

    /** Started before the correlation streams and the schedules that poll and sweep; stopped after them. */
    public static final int PHASE = Integer.MAX_VALUE - 2000;

    private static final Logger log = LoggerFactory.getLogger(KafkaGroupOwnership.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final long ACK_TIMEOUT_MILLIS = 30_000;

    private final String topic;
    private final StageHalt halt;
    private final PipelineMetrics metrics;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final long silenceLimitNanos;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Map<Integer, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    /** Partitions assigned but not yet read to their end offset (consumer thread only). */
    private final Map<TopicPartition, Long> catchingUp = new HashMap<>();

    private volatile int partitions;
    /** Set by the first assignment (consumer thread only); ready once its partitions are read. */
    private boolean assigned;

    private volatile boolean ready;
    private volatile long lastPollNanos;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private KafkaProducer<String, String> producer;
    private Thread thread;

    /**
     * @param topic the duties topic (it must exist)
     * @param groupId the consumer group whose assignment decides ownership
     * @param connection the consumer settings of {@code spring.kafka.consumer.*}: bootstrap servers,
     *        security, {@code group.instance.id}, {@code session.timeout.ms}
     * @param producerConnection the producer settings of {@code spring.kafka.producer.*}
     * @param halt ends the process when ownership cannot be kept track of
     * @param metrics counts the records of the duties topic refused as duty markers
     */
    public KafkaGroupOwnership(
            String topic,
            String groupId,
            Map<String, Object> connection,
            Map<String, Object> producerConnection,
            StageHalt halt,
            PipelineMetrics metrics) {
        this.topic = topic;
        this.halt = halt;
        this.metrics = metrics;
        this.consumerConfig = new HashMap<>(connection);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(connection, "duties"));
        consumerConfig.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        consumerConfig.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        this.producerConfig = new HashMap<>(producerConnection);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, clientId(producerConnection, "duty-markers"));
        producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        producerConfig.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        producerConfig.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        Object session = consumerConfig.getOrDefault(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000);
        this.silenceLimitNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(session.toString()));
    }

    private static String clientId(Map<String, Object> config, String suffix) {
        Object base = config.get(ConsumerConfig.CLIENT_ID_CONFIG);
        return (base == null ? "sf1820" : base) + "-" + suffix;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        thread = new Thread(this::run, "sf1820-receipt-duties");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(CLOSE_TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(CLOSE_TIMEOUT);
        owned.clear();
        ready = false;
        log.info("sender ownership stopped topic={}", topic);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void run() {
        KafkaConsumer<String, String> kafka = consumer;
        try {
            partitions = partitionCount(kafka);
            kafka.subscribe(List.of(topic), new Handover(kafka));
            while (running) {
                for (ConsumerRecord<String, String> record : kafka.poll(POLL)) {
                    remember(record);
                }
                lastPollNanos = System.nanoTime();
                caughtUp(kafka);
            }
        } catch (WakeupException e) {
            // stop() woke the loop
        } catch (RuntimeException e) {
            // a live process owning nothing would leave its senders' receipts unread if it is the only one:
            // it gives its senders up (leaving the group below) and exits to be restarted
            log.error(
                    "sender ownership failed topic={}: this instance gives up every sender: {}",
                    topic,
                    e.toString(),
                    e);
            if (running) {
                halt.cannotGoOn(
                        "receipt-tracker (sender ownership)", "it lost track of which senders it owns: " + e, e);
            }
        } finally {
            owned.clear();
            // leave the group even as a static member: the senders move at once, not after a session timeout
            kafka.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
            consumer = null;
        }
    }

    /** Takes a duty marker into what this instance knows is done; anything else is refused, never kept. */
    private void remember(ConsumerRecord<String, String> record) {
        DutyMarkers.Marker marker;
        try {
            marker = DutyMarkers.read(record.partition(), partitions, record.key(), record.value());
        } catch (DutyMarkers.RefusedMarkerException e) {
            metrics.dutyMarkerRefused();
            log.warn(
                    "duty marker refused, skipped topic={} partition={} offset={} reason=\"{}\"",
                    topic,
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return;
        }
        if (marker.done()) {
            done.add(marker.key());
        } else {
            done.remove(marker.key());
        }
    }

    /** Waits for the topic: just created (by this instance's admin, or another's), it may not be in metadata yet. */
    private int partitionCount(KafkaConsumer<String, String> kafka) {
        long warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (running) {
            List<PartitionInfo> info = kafka.partitionsFor(topic, Duration.ofSeconds(10));
            if (info != null && !info.isEmpty()) {
                return info.size();
            }
            if (System.nanoTime() - warnAt > 0) {
                log.warn(
                        "sender ownership waiting for the duties topic topic={}: it does not exist yet "
                                + "(sf1820.receipt-tracker.ownership.topic; the tracker creates it at start-up)",
                        topic);
                warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            }
            pause();
        }
        throw new WakeupException(); // stopped while waiting
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /** Marks each assigned partition owned once read to the end offset it had when it was assigned. */
    private void caughtUp(KafkaConsumer<String, String> kafka) {
        catchingUp.entrySet().removeIf(entry -> {
            if (kafka.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
            owned.add(entry.getKey().partition());
            log.info("sender duties taken partition={} topic={}", entry.getKey().partition(), topic);
            return true;
        });
        if (assigned && catchingUp.isEmpty() && !ready) {
            ready = true;
            log.info("sender ownership ready topic={} ownedPartitions={}", topic, owned);
        }
    }

    /** Moves partitions, and with them senders, in and out as the group rebalances. */
    private final class Handover implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, String> kafka;

        Handover(KafkaConsumer<String, String> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
            if (partitions.isEmpty()) {
                return;
            }
            // the whole partition: its duty markers tell what earlier owners did
            kafka.seekToBeginning(partitions);
            catchingUp.putAll(kafka.endOffsets(partitions));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            giveUp(revoked, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            giveUp(lost, "lost");
        }

        private void giveUp(Collection<TopicPartition> partitions, String how) {
            for (TopicPartition partition : partitions) {
                catchingUp.remove(partition);
                ReentrantLock lock = lockOf(partition.partition());
                // waits for a duty running on this partition's senders to finish
                lock.lock();
                try {
                    if (owned.remove(partition.partition())) {
                        log.info(
                                "sender duties given up partition={} topic={} how={}",
                                partition.partition(),
                                topic,
                                how);
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @Override
    public boolean ready() {
        return ready && partitions > 0;
    }

    @Override
    public <E extends Exception> boolean runIfOwned(String sender, Duty<E> duty) throws E {
        if (partitions == 0) {
            return false;
        }
        int partition = DutyMarkers.partitionOf(sender, partitions);
        ReentrantLock lock = lockOf(partition);
        lock.lock();
        try {
            if (!owns(partition)) {
                return false;
            }
            duty.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether this instance owns {@code sender} at this moment (for reports and tests). */
    public boolean owns(String sender) {
        return partitions > 0 && owns(DutyMarkers.partitionOf(sender, partitions));
    }

    private boolean owns(int partition) {
        boolean alive = System.nanoTime() - lastPollNanos < silenceLimitNanos;
        if (!alive && owned.contains(partition)) {
            log.warn(
                    "sender duties paused partition={} topic={}: this instance has not heard from the group for "
                            + "a session timeout, so another may own them now",
                    partition,
                    topic);
        }
        return alive && owned.contains(partition);
    }

    private ReentrantLock lockOf(int partition) {
        return locks.computeIfAbsent(partition, p -> new ReentrantLock());
    }

    @Override
    public boolean done(String sender, String key) {
        return done.contains(DutyMarkers.key(sender, key));
    }

    @Override
    public void markDone(String sender, String key) {
        String marker = DutyMarkers.key(sender, key);
        try {
            producer.send(new ProducerRecord<>(topic, DutyMarkers.partitionOf(sender, partitions), marker, "done"))
                    .get(ACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            done.add(marker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording duty " + marker + " on " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not acknowledge duty marker " + marker + " on " + topic + ": " + e.getMessage(), e);
        }
    }
}
