package dk.sf1820.app.console;

import dk.sf1820.kafka.GrouplessReader;
import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.web.server.ResponseStatusException;

/**
 * Replays a dead letter: reads the record at its place on a dead-letter topic and sends its key and value,
 * byte for byte, to the topic it was refused on (the {@code kafka_dlt-original-topic} header), where the stage
 * reads it again. Bytes, not events: a record no stage could read is replayed as it was.
 */
class DeadLetters {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Where the record went. */
    record Republished(String key, String topic, int partition, long offset) {}

    private final Map<String, Object> consumerSettings;
    private final Map<String, Object> producerSettings;

    DeadLetters(Map<String, Object> consumerSettings, Map<String, Object> producerSettings) {
        this.consumerSettings = GrouplessReader.settings(consumerSettings, "sf1820-console-replay");
        Map<String, Object> producer = new HashMap<>(producerSettings);
        producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "sf1820-console-replay");
        this.producerSettings = producer;
    }

    Republished republish(String deadLetterTopic, int partition, long offset) {
        if (deadLetterTopic == null
                || !deadLetterTopic.endsWith(Topic.DLT_SUFFIX)
                || Topics.ALL.stream().noneMatch(t -> t.deadLetter().equals(deadLetterTopic))) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST,
                    "topic: '" + deadLetterTopic + "' is not one of the pipeline's dead-letter topics");
        }
        ConsumerRecord<String, byte[]> letter = read(deadLetterTopic, partition, offset);
        Header original = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC);
        String topic = original == null
                ? deadLetterTopic.substring(0, deadLetterTopic.length() - Topic.DLT_SUFFIX.length())
                : new String(original.value(), StandardCharsets.UTF_8);
        if (Topics.byName(topic).isEmpty() || topic.endsWith(Topic.DLT_SUFFIX)) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "dead letter " + deadLetterTopic + "@" + partition + ":" + offset + " names original topic '"
                            + topic + "', which is not a pipeline topic");
        }
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, letter.key(), letter.value()))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Republished(letter.key(), topic, sent.partition(), sent.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + deadLetterTopic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ResponseStatusException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Kafka did not acknowledge the replay" + " to " + topic + ": " + e.getMessage(),
                    e);
        }
    }

    private ConsumerRecord<String, byte[]> read(String topic, int partition, long offset) {
        TopicPartition where = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(where));
            consumer.seek(where, offset);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                    if (record.offset() > offset) {
                        break;
                    }
                }
                if (consumer.position(where) > offset) {
                    break;
                }
            }
        }
        throw new ResponseStatusException(
                HttpStatus.NOT_FOUND, "no record at " + topic + "@" + partition + ":" + offset);
    }
}
