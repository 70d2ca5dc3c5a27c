package dk.sf1820.app.audit;

import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.kafka.GrouplessReader;
import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.sftp.PlatformRetention;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Replays the pipeline's topics and their dead-letter topics from the beginning, as an auditor: no
 * consumer group (nothing is committed, no stage is disturbed), only committed records
 * ({@code read_committed}: outcomes are written in transactions), up to each partition's end as of
 * the start of the replay. The history lives in Kafka, so any process, started any time, sees the
 * same trail.
 *
 * <p>Values are read as bytes and decoded here, so a record that no stage could read still shows,
 * with its dead-letter reason ({@code sf1820-dlt-reason}).
 */
public class AuditTrail {

    static final String DEAD_LETTER = "dead-letter";
    private static final Set<String> COMMON_FIELDS =
            Set.of("eventId", "transferId", "fagsystem", "authority", "period", "occurredAt");
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    /** The order things happened: by time, then by the pipeline's order of topics, then by offset. */
    static final Comparator<AuditEntry> ORDER = Comparator.comparing(AuditEntry::at)
            .thenComparing(e -> topicOrder(e.topic()))
            .thenComparing(AuditEntry::offset);

    private final Map<String, Object> clientConfig;
    private final Duration deadlineWarningAfter;

    /** An audit trail that flags files near the platform's deletion at the platform's own warning age. */
    public AuditTrail(Map<String, Object> clientConfig) {
        this(clientConfig, PlatformRetention.WARNING_AFTER);
    }

    /**
     * @param clientConfig the application's consumer settings (Spring Boot's
     *     {@code KafkaProperties.buildConsumerProperties()}): the cluster and how to be let in (TLS, SASL)
     * @param deadlineWarningAfter when a transfer's files are near the platform's deletion, as the receipt
     *        tracker is configured ({@code sf1820.receipt-tracker.deadline-warning-after})
     */
    public AuditTrail(Map<String, Object> clientConfig, Duration deadlineWarningAfter) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.deadlineWarningAfter = deadlineWarningAfter;
    }

    /** The consumer settings of a reader outside any consumer group, named {@code clientId}. */
    Map<String, Object> readerSettings(String clientId) {
        return GrouplessReader.settings(clientConfig, clientId);
    }

    Duration deadlineWarningAfter() {
        return deadlineWarningAfter;
    }

    /** Every record of every pipeline topic, in the order things happened. */
    public AuditLog replay() {
        EventDeserializer events = new EventDeserializer();
        List<AuditEntry> entries = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                GrouplessReader.settings(clientConfig, "sf1820-audit"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_TIMEOUT);
            while (partitions.stream().anyMatch(p -> consumer.position(p, METADATA_TIMEOUT) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        entries.add(entry(record, events));
                    }
                }
            }
        }
        entries.sort(ORDER);
        return new AuditLog(entries, deadlineWarningAfter);
    }

    /** The pipeline's topics and dead-letter topics that exist on the cluster (a fresh one may lack some). */
    static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
        Set<String> existing = consumer.listTopics(METADATA_TIMEOUT).keySet();
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic topic : Topics.ALL) {
            for (String name : List.of(topic.name(), topic.deadLetter())) {
                if (existing.contains(name)) {
                    consumer.partitionsFor(name, METADATA_TIMEOUT)
                            .forEach(p -> partitions.add(new TopicPartition(name, p.partition())));
                }
            }
        }
        return partitions;
    }

    static AuditEntry entry(ConsumerRecord<String, byte[]> record, EventDeserializer events) {
        boolean deadLetter = record.topic().endsWith(Topic.DLT_SUFFIX);
        Map<String, String> details = new LinkedHashMap<>();
        SpecificRecordBase event = null;
        String unreadable = null;
        try {
            event = events.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            unreadable = e.getMessage();
        }
        if (deadLetter) {
            details.put("reason", header(record, DeadLetterReason.HEADER));
            details.put("originalTopic", header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC));
            details.put("originalOffset", number(record, KafkaHeaders.DLT_ORIGINAL_OFFSET));
            details.put("event", event != null ? Events.typeOf(event) : "unreadable: " + unreadable);
        } else if (event == null) {
            details.put("unreadable", unreadable);
        }
        TransferRef ref = null;
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (event != null) {
            details.putAll(fields(event));
            ref = refOf(event);
            if (!deadLetter && event.get("occurredAt") instanceof Instant occurred) {
                at = occurred;
            }
        }
        String type = deadLetter ? "DeadLetter" : event != null ? Events.typeOf(event) : "Unreadable";
        String transferId = record.key() != null ? record.key() : ref != null ? ref.transferId() : "";
        // The packager reports its own deletions in the staging area on the receipt tracker's housekeeping topic.
        String stage = event instanceof HousekeepingPerformed h
                ? HousekeepingAction.of(h.getAction())
                        .map(a -> a.performer().key())
                        .orElse(stageOf(record.topic()))
                : stageOf(record.topic());
        return new AuditEntry(
                at,
                deadLetter ? DEAD_LETTER : stage,
                type,
                record.topic(),
                record.partition(),
                record.offset(),
                transferId,
                ref,
                details,
                event);
    }

    /** The stage that writes a topic, as the topic declares it. */
    static String stageOf(String topic) {
        return Topics.byName(topic)
                .map(t -> t.writer() == null ? "operator" : t.writer().key())
                .orElse("?");
    }

    /** The event's own fields, as text: everything but the identity every event carries. */
    static Map<String, String> fields(SpecificRecordBase event) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Schema.Field field : event.getSchema().getFields()) {
            Object value = event.get(field.pos());
            if (!COMMON_FIELDS.contains(field.name()) && value != null) {
                fields.put(field.name(), text(value));
            }
        }
        return fields;
    }

    private static String text(Object value) {
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(text(item)));
            return "[" + String.join("; ", items) + "]";
        }
        if (value instanceof dk.sf1820.schemas.avro.ReceiptError error) {
            return error.getCode() + " " + error.getCodeDescription() + ": " + error.getDescription();
        }
        return value.toString();
    }

    private static TransferRef refOf(SpecificRecordBase event) {
        try {
            return TransferRef.of(event);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "-" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Spring writes the original offset as an 8-byte big-endian long. */
    private static String number(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value().length != Long.BYTES
                ? "-"
                : Long.toString(ByteBuffer.wrap(header.value()).getLong());
    }

    private static int topicOrder(String topic) {
        for (int i = 0; i < Topics.ALL.size(); i++) {
            if (topic.startsWith(Topics.ALL.get(i).name())) {
                return i;
            }
        }
        return Topics.ALL.size();
    }
}
