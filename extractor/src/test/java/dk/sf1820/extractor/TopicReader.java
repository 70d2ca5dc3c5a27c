package dk.sf1820.extractor;

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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Reads one topic from its beginning, without a consumer group, as an auditor replaying it would. */
final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, SpecificRecordBase> consumer;
    private final List<ConsumerRecord<String, SpecificRecordBase>> seen = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new EventDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every record keyed by the transferId, waiting until there are at least {@code count}. */
    List<ConsumerRecord<String, SpecificRecordBase>> await(String transferId, int count) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().filter(r -> transferId.equals(r.key())).toList();
        }, records -> records.size() >= count);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
