package dk.sf1820.app.audit;

import dk.sf1820.schemas.events.EventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The audit trail kept up to date in memory: one reader outside any consumer group follows every pipeline
 * topic and dead-letter topic from the beginning, as {@link AuditTrail#replay()} reads them, and keeps
 * going. {@code GET /transfers} and the console answer from it instead of replaying every topic per
 * request (16 s at a few thousand transfers). Topics created later (a dead-letter topic's first record)
 * are picked up within {@code topicCheckInterval}.
 */
public class TransferProjection implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TransferProjection.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final AuditTrail trail;
    private final Duration topicCheckInterval;
    private final Map<String, List<AuditEntry>> byTransfer = new LinkedHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** Statuses of unchanged transfers, at most a minute old (the deadline warning follows the clock). */
    private final StatusMemo memo = new StatusMemo(Duration.ofMinutes(1));

    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread reader;

    public TransferProjection(AuditTrail trail, Duration topicCheckInterval) {
        this.trail = trail;
        this.topicCheckInterval = topicCheckInterval;
    }

    /**
     * The trail as far as it is read: after the first catch-up with the topics' ends as they were at start,
     * or, if that takes longer than {@code maxWait}, what was read so far.
     */
    public AuditLog current(Duration maxWait) {
        try {
            caughtUp.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, List<AuditEntry>> copy;
        synchronized (byTransfer) {
            copy = new LinkedHashMap<>(byTransfer); // the timelines themselves are immutable: see add
        }
        return new AuditLog(copy, trail.deadlineWarningAfter(), memo);
    }

    /** Whether the first catch-up is done: until then answers may lack the newest records. */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    @Override
    public void start() {
        running = true;
        reader = new Thread(this::follow, "sf1820-transfer-projection");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void follow() {
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(
                    trail.readerSettings("sf1820-projection"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = kafka;
                read(kafka);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // the broker away or a topic deleted: start over from the beginning once it is back
                log.warn("event=projection-restart reason=\"{}\"", e.toString());
                synchronized (byTransfer) {
                    byTransfer.clear();
                }
                memo.clear();
                pause(Duration.ofSeconds(2));
            }
        }
    }

    private void read(KafkaConsumer<String, byte[]> kafka) {
        EventDeserializer events = new EventDeserializer();
        Set<TopicPartition> assigned = new HashSet<>();
        Map<TopicPartition, Long> startEnd = null;
        long nextTopicCheck = 0;
        while (running) {
            if (System.nanoTime() - nextTopicCheck >= 0) {
                List<TopicPartition> found = new ArrayList<>(AuditTrail.partitions(kafka));
                found.removeAll(assigned);
                if (!found.isEmpty()) {
                    assigned.addAll(found);
                    kafka.assign(assigned);
                    kafka.seekToBeginning(found);
                }
                if (startEnd == null) {
                    startEnd = kafka.endOffsets(assigned);
                }
                nextTopicCheck = System.nanoTime() + topicCheckInterval.toNanos();
            }
            List<AuditEntry> read = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
                read.add(AuditTrail.entry(record, events));
            }
            add(read);
            if (caughtUp.getCount() > 0
                    && startEnd.entrySet().stream().allMatch(e -> kafka.position(e.getKey()) >= e.getValue())) {
                caughtUp.countDown();
                log.info("event=projection-caught-up transfers={}", size());
            }
        }
    }

    private void add(List<AuditEntry> read) {
        if (read.isEmpty()) {
            return;
        }
        synchronized (byTransfer) {
            for (AuditEntry entry : read) {
                // a new list per change (a transfer has a handful of records), so a request shares the lists
                // it was given without copying each of them
                List<AuditEntry> timeline = new ArrayList<>(byTransfer.getOrDefault(entry.transferId(), List.of()));
                // records of one transfer arrive from several topics out of order; keep its timeline sorted
                int at = Collections.binarySearch(timeline, entry, AuditTrail.ORDER);
                timeline.add(at >= 0 ? at + 1 : -at - 1, entry);
                byTransfer.put(entry.transferId(), Collections.unmodifiableList(timeline));
            }
        }
    }

    private int size() {
        synchronized (byTransfer) {
            return byTransfer.size();
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
