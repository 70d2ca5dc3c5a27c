package dk.sf1820.receipts.correlation;

import dk.sf1820.receipts.KnownTransfers.KnownTransfer;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every transfer's upload, as this instance read it from the whole uploads topic, outside any consumer
 * group: the correlation store holds only this instance's partitions, but a receipt or a file in a
 * sender's folders must be tied to its transfer whichever instance correlates it.
 *
 * <p>One small entry per transfer (transferId, fagsystem, authority, period, sender, file name), read
 * from the beginning at start; the topic is the audit trail, so no upload is missing. A record that
 * cannot be read is skipped here (the correlation's own source dead-letters it).
 */
class UploadsDirectory {

    private static final Logger log = LoggerFactory.getLogger(UploadsDirectory.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final EventDeserializer READER = new EventDeserializer();

    private record Upload(KnownTransfer transfer, Instant at) {}

    private final Map<String, Object> consumerConfig;
    private final Consumer<RuntimeException> onFailure;
    private final Map<String, Upload> byTransferId = new ConcurrentHashMap<>();
    /** {@code sender + " " + fileName} to the latest upload of that name. */
    private final Map<String, Upload> byFileName = new ConcurrentHashMap<>();

    private volatile boolean caughtUp;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param connection bootstrap servers and security, e.g. the Streams client's
     * @param onFailure told when the directory cannot go on reading (it then stops)
     */
    UploadsDirectory(Map<String, Object> connection, Consumer<RuntimeException> onFailure) {
        this.onFailure = onFailure;
        Map<String, Object> config = new HashMap<>();
        connection.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)
                    && !key.equals(ConsumerConfig.GROUP_ID_CONFIG)
                    && !key.equals(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                    && !key.endsWith(".deserializer")
                    && !key.equals(ConsumerConfig.CLIENT_ID_CONFIG)) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Object clientId = connection.get(ConsumerConfig.CLIENT_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, (clientId == null ? "sf1820" : clientId) + "-uploads-directory");
        this.consumerConfig = config;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "sf1820-uploads-directory");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(20).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        caughtUp = false;
    }

    /** True once the topic was read to the end it had at start. */
    boolean caughtUp() {
        return caughtUp;
    }

    Optional<KnownTransfer> byTransferId(String transferId) {
        return Optional.ofNullable(byTransferId.get(transferId)).map(Upload::transfer);
    }

    Optional<KnownTransfer> byFileName(String sender, String fileName) {
        return Optional.ofNullable(byFileName.get(sender + " " + fileName)).map(Upload::transfer);
    }

    private void run() {
        KafkaConsumer<String, byte[]> kafka = consumer;
        String topic = ReceiptCorrelationTopology.UPLOADS.name();
        try {
            List<TopicPartition> partitions = partitions(kafka, topic);
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(kafka.endOffsets(partitions));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
                    remember(record);
                }
                if (!caughtUp) {
                    ends.entrySet().removeIf(end -> kafka.position(end.getKey()) >= end.getValue());
                    if (ends.isEmpty()) {
                        caughtUp = true;
                        log.info("uploads directory caught up topic={} transfers={}", topic, byTransferId.size());
                    }
                }
            }
        } catch (WakeupException e) {
            // stop() woke the loop
        } catch (RuntimeException e) {
            log.error("uploads directory stopped topic={}: {}", topic, e.toString(), e);
            if (running) {
                onFailure.accept(e);
            }
        } finally {
            kafka.close();
            consumer = null;
        }
    }

    /** Waits for the topic: just created at start-up, it may not be in the broker's metadata yet. */
    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> kafka, String topic) {
        long warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (running) {
            List<PartitionInfo> info = kafka.partitionsFor(topic, Duration.ofSeconds(10));
            if (info != null && !info.isEmpty()) {
                return info.stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
            }
            if (System.nanoTime() - warnAt > 0) {
                log.warn("uploads directory waiting for topic={}: it does not exist yet", topic);
                warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new WakeupException(); // stopped while waiting
    }

    private void remember(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        SpecificRecordBase event;
        try {
            event = READER.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.debug(
                    "unreadable upload record skipped transferId={} offset={}: {}",
                    record.key(),
                    record.offset(),
                    e.getMessage());
            return;
        }
        Upload upload;
        if (event instanceof TransferUploaded uploaded) {
            upload = new Upload(
                    new KnownTransfer(TransferRef.of(uploaded), uploaded.getSender(), uploaded.getFileName()),
                    uploaded.getOccurredAt());
        } else if (event instanceof TransferFailed failed) {
            upload = new Upload(
                    new KnownTransfer(TransferRef.of(failed), failed.getSender(), failed.getFileName()),
                    failed.getOccurredAt());
        } else {
            return;
        }
        byTransferId.put(upload.transfer().ref().transferId(), upload);
        byFileName.merge(
                upload.transfer().sender() + " " + upload.transfer().fileName(),
                upload,
                (earlier, later) -> later.at().isBefore(earlier.at()) ? earlier : later);
    }
}
