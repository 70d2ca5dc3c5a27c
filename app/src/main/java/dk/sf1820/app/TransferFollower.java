package dk.sf1820.app;

import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.kafka.GrouplessReader;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ByteProgress;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.EventDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * Follows one transfer through the topics to its outcome, for {@code submit --wait}: what the packager,
 * the transporter and the receipt tracker publish about it (the first two also the bytes they have done), and a dead letter that means it will never
 * get one. Reads without a consumer group, from where the topics ended when it was made (so made before
 * the submission), and picks up topics created later (a first dead letter) from their beginning.
 */
final class TransferFollower implements AutoCloseable {

    /** How the follow ended, with the exit code {@code submit --wait} gives. */
    enum Ending {
        DELIVERED(0),
        FAILED(1),
        TIMED_OUT(5);

        final int exitCode;

        Ending(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    private static final Duration TOPIC_REFRESH = Duration.ofSeconds(5);

    private final KafkaConsumer<String, SpecificRecordBase> consumer;
    private final Set<String> topics = Set.of(
            Topics.PACKAGING_PROGRESS.name(),
            Topics.UPLOAD_PROGRESS.name(),
            Topics.PACKAGE_READY.name(),
            Topics.TRANSFER_UPLOADED.name(),
            Topics.RECEIPT_RECEIVED.name(),
            Topics.DELIVERY_OUTCOME.name(),
            Topics.EXTRACT_READY.deadLetter(),
            Topics.PACKAGE_READY.deadLetter(),
            Topics.TRANSFER_UPLOADED.deadLetter());
    private final Set<TopicPartition> assigned = new HashSet<>();
    private Instant nextRefresh = Instant.MIN;

    /** @param clientConfig the application's consumer settings, so TLS and SASL settings reach this reader too */
    TransferFollower(Map<String, Object> clientConfig) {
        // a record it cannot read is passed over as null (its key and headers still tell whose it is)
        consumer = new KafkaConsumer<>(
                GrouplessReader.settings(clientConfig, "sf1820-submit-wait"),
                new StringDeserializer(),
                new ErrorHandlingDeserializer<>(new EventDeserializer()));
        List<TopicPartition> existing = refreshPartitions();
        consumer.seekToEnd(existing);
        // pin the end now: what the submission causes comes after it
        existing.forEach(consumer::position);
    }

    /** Reads until the transfer has an outcome (or a dead letter), telling {@code progress} each step. */
    Ending follow(String transferId, SubmitProgress progress) {
        while (true) {
            if (Instant.now().isAfter(nextRefresh)) {
                List<TopicPartition> created = refreshPartitions();
                if (!created.isEmpty()) { // an empty list would mean every partition to seekToBeginning
                    consumer.seekToBeginning(created);
                }
            }
            for (ConsumerRecord<String, SpecificRecordBase> record : consumer.poll(Duration.ofMillis(500))) {
                if (!transferId.equals(record.key())) {
                    continue;
                }
                if (record.topic().endsWith(".dlt")) {
                    progress.deadLettered(record.topic(), reason(record));
                    return Ending.FAILED;
                }
                SpecificRecordBase event = record.value();
                if (event instanceof ByteProgress bytes) {
                    progress.bytes(
                            record.topic().equals(Topics.UPLOAD_PROGRESS.name())
                                    ? SubmitProgress.Phase.UPLOADING
                                    : SubmitProgress.Phase.PACKAGING,
                            bytes);
                } else if (event instanceof PackageReady packaged) {
                    progress.packaged(packaged);
                } else if (event instanceof TransferUploaded uploaded) {
                    progress.uploaded(uploaded);
                } else if (event instanceof TransferFailed failed) {
                    progress.uploadFailed(failed);
                } else if (event instanceof ReceiptReceived receipt) {
                    progress.receipt(receipt);
                } else if (event instanceof DeliverySucceeded succeeded) {
                    progress.delivered(succeeded);
                    return Ending.DELIVERED;
                } else if (event instanceof DeliveryFailed failed) {
                    progress.failed(failed);
                    return Ending.FAILED;
                } else if (event instanceof DeliveryTimedOut timedOut) {
                    progress.timedOut(timedOut);
                    return Ending.TIMED_OUT;
                }
            }
            progress.tick();
        }
    }

    /** Assigns the partitions of followed topics not yet assigned; returns those new ones. */
    private List<TopicPartition> refreshPartitions() {
        nextRefresh = Instant.now().plus(TOPIC_REFRESH);
        List<TopicPartition> added = consumer.listTopics(Duration.ofSeconds(30)).entrySet().stream()
                .filter(e -> topics.contains(e.getKey()))
                .flatMap(e -> e.getValue().stream())
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .filter(assigned::add)
                .toList();
        if (!added.isEmpty()) {
            consumer.assign(assigned);
        }
        return added;
    }

    private static String reason(ConsumerRecord<?, ?> record) {
        Header reason = record.headers().lastHeader(DeadLetterReason.HEADER);
        return reason == null ? "no reason given" : new String(reason.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
