package dk.sf1820.kafka;

import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
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

    /**
     * Sends without waiting for the acknowledgement, for a record whose loss is harmless (the caller
     * says why); a failure is logged. Records of one transferId keep their order: one producer, one
     * partition, idempotence on.
     */
    public void send(Topic topic, SpecificRecordBase event) {
        String transferId = TransferRef.of(event).transferId();
        template.send(topic.name(), transferId, event).whenComplete((result, failure) -> {
            // runs on the producer's network thread, whose MDC knows no transfer: every line names its transferId
            try (var ignored = MDC.putCloseable("transferId", transferId)) {
                logSent(topic, event, transferId, result, failure);
            }
        });
    }

    private static void logSent(
            Topic topic,
            SpecificRecordBase event,
            String transferId,
            SendResult<String, SpecificRecordBase> result,
            Throwable failure) {
        if (failure != null) {
            log.warn(
                    "not acknowledged event={} transferId={} topic={}: {}",
                    Events.typeOf(event),
                    transferId,
                    topic.name(),
                    failure.getMessage());
        } else {
            log.info(
                    "published event={} transferId={} topic={} partition={} offset={}",
                    Events.typeOf(event),
                    transferId,
                    topic.name(),
                    result.getRecordMetadata().partition(),
                    result.getRecordMetadata().offset());
        }
    }

    public void publish(Topic topic, SpecificRecordBase event) {
        publishLater(topic, event).await();
    }

    /**
     * Sends now and waits for the acknowledgement only in {@link Pending#await}: several events sent
     * first and awaited after cost one round trip to the broker instead of one each.
     */
    public Pending publishLater(Topic topic, SpecificRecordBase event) {
        return new Pending(
                topic, event, template.send(topic.name(), TransferRef.of(event).transferId(), event));
    }

    /** An event sent, its acknowledgement still to be awaited. */
    public static final class Pending {

        private final Topic topic;
        private final SpecificRecordBase event;
        private final CompletableFuture<SendResult<String, SpecificRecordBase>> sent;

        private Pending(
                Topic topic, SpecificRecordBase event, CompletableFuture<SendResult<String, SpecificRecordBase>> sent) {
            this.topic = topic;
            this.event = event;
            this.sent = sent;
        }

        /** Waits for Kafka's acknowledgement, as {@link EventPublisher#publish} does. */
        public void await() {
            String transferId = TransferRef.of(event).transferId();
            try {
                logSent(topic, event, transferId, sent.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), null);
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
}
