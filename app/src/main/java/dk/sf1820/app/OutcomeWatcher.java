package dk.sf1820.app;

import dk.sf1820.kafka.GrouplessReader;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/** Reads the outcome topic from the beginning, without a consumer group, until given transfers have an outcome. */
final class OutcomeWatcher implements AutoCloseable {

    private final KafkaConsumer<String, SpecificRecordBase> consumer;

    /** @param clientConfig the application's consumer settings, so TLS and SASL settings reach this consumer too */
    OutcomeWatcher(Map<String, Object> clientConfig) {
        // a record it cannot read is passed over as null, not thrown at every poll
        consumer = new KafkaConsumer<>(
                GrouplessReader.settings(clientConfig, "sf1820-demo-outcomes"),
                new StringDeserializer(),
                new ErrorHandlingDeserializer<>(new EventDeserializer()));
        var partitions = consumer.partitionsFor(Topics.DELIVERY_OUTCOME.name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    void await(Map<String, DemoCommand.DemoTransfer> transfers, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)
                && !transfers.values().stream().allMatch(DemoCommand.DemoTransfer::done)) {
            for (ConsumerRecord<String, SpecificRecordBase> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.value() == null) {
                    continue;
                }
                DemoCommand.DemoTransfer transfer =
                        transfers.get(TransferRef.of(record.value()).transferId());
                if (transfer != null) {
                    transfer.outcome(record.value());
                }
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
