package dk.sf1820.testsupport;

import dk.sf1820.schemas.events.EventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads one topic from its beginning, without a consumer group, as an auditor replaying it would.
 * Only committed records count: outcomes are written in transactions.
 */
public final class TopicReader<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic, Deserializer<V> values) {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                values);
        partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** A reader of pipeline events. */
    public static TopicReader<SpecificRecordBase> events(String bootstrapServers, String topic) {
        return new TopicReader<>(bootstrapServers, topic, new EventDeserializer());
    }

    /** Every committed event of a topic, from the beginning up to its end as of now. */
    public static List<ConsumerRecord<String, SpecificRecordBase>> readAll(String bootstrapServers, String topic) {
        try (TopicReader<SpecificRecordBase> reader = events(bootstrapServers, topic)) {
            return reader.toEnd();
        }
    }

    /** Every committed record of a topic (a dead-letter topic too: any deserializer), up to its end as of now. */
    public static <V> List<ConsumerRecord<String, V>> readAll(
            String bootstrapServers, String topic, Deserializer<V> values) {
        try (TopicReader<V> reader = new TopicReader<>(bootstrapServers, topic, values)) {
            return reader.toEnd();
        }
    }

    /** Every record keyed by {@code key}, waiting (up to 30 s) until there are at least {@code count}. */
    public List<ConsumerRecord<String, V>> await(String key, int count) {
        return await(key, count, Duration.ofSeconds(30));
    }

    /**
     * Every record keyed by {@code key}, waiting up to {@code atMost} until there are at least {@code count}:
     * longer than 30 s where the writer is a JVM still starting, which takes that long on a loaded machine.
     */
    public List<ConsumerRecord<String, V>> await(String key, int count, Duration atMost) {
        return Awaitility.await()
                .atMost(atMost)
                .until(
                        () -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                            return seen.stream()
                                    .filter(r -> key.equals(r.key()))
                                    .toList();
                        },
                        records -> records.size() >= count);
    }

    /** The first record keyed by {@code key}, waiting for it to arrive. */
    public ConsumerRecord<String, V> await(String key) {
        return await(key, 1).get(0);
    }

    private List<ConsumerRecord<String, V>> toEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
