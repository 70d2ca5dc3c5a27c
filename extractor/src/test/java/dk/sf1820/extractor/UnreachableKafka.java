package dk.sf1820.extractor;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.events.EventSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** A real Kafka producer whose broker is not there (a closed port): every publish fails within a second. */
final class UnreachableKafka implements AutoCloseable {

    private final DefaultKafkaProducerFactory<String, SpecificRecordBase> factory;

    UnreachableKafka() {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        factory = new DefaultKafkaProducerFactory<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        "127.0.0.1:" + closedPort,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        1000),
                new StringSerializer(),
                new EventSerializer());
    }

    EventPublisher publisher() {
        return new EventPublisher(new KafkaTemplate<>(factory));
    }

    @Override
    public void close() {
        factory.destroy();
    }
}
