package dk.sf1820.kafka;

import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes a pipeline event keyed by its transferId and waits for the broker's acknowledgement, so
 * that a listener returns (and its offset is committed) only after its event is safely written.
 */
public class EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaTemplate<String, SpecificRecordBase> template;

    public EventPublisher(KafkaTemplate<String, SpecificRecordBase> template) {
        this.template = template;
    }

    public void publish(Topic topic, SpecificRecordBase event) {
        String transferId = TransferRef.of(event).transferId();
        try {
            SendResult<String, SpecificRecordBase> result =
                    template.send(topic.name(), transferId, event).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info(
                    "published event={} transferId={} topic={} partition={} offset={}",
                    Events.typeOf(event),
                    transferId,
                    topic.name(),
                    result.getRecordMetadata().partition(),
                    result.getRecordMetadata().offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "Interrupted while publishing " + Events.typeOf(event) + " transferId=" + transferId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not acknowledge " + Events.typeOf(event) + " transferId=" + transferId + " on "
                            + topic.name() + ": " + e.getMessage(),
                    e);
        }
    }
}
