package dk.sf1820.kafka;

import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.TransferRef;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Refuses a pipeline event whose record key is not its transferId, before any stage sees it. Every event
 * of a transfer is keyed by its transferId so that one partition, and so one consumer at a time, holds
 * them all: that is what lets a stage take a redelivered event for a duplicate. An event under another
 * key lands on another partition, where a second consumer could upload or settle the same transfer beside
 * the first. It goes to the dead-letter topic with this rule as its reason, as does a record without a
 * value.
 */
public final class KeyedByTransferId implements RecordInterceptor<String, SpecificRecordBase> {

    @Override
    public ConsumerRecord<String, SpecificRecordBase> intercept(
            ConsumerRecord<String, SpecificRecordBase> record, Consumer<String, SpecificRecordBase> consumer) {
        if (record.value() == null) {
            // a record that could not be read was handed to the error handler before this, with its reason
            throw new NonRetryableEventException(tombstone(record.topic(), record.key()));
        }
        violation(record.topic(), record.key(), record.value()).ifPresent(reason -> {
            throw new NonRetryableEventException(reason);
        });
        return record;
    }

    /** The reason a record without a value is refused. */
    public static String tombstone(String topic, String key) {
        return "Record on " + topic + " keyed " + quoted(key)
                + " has no value (a tombstone): the pipeline's topics carry events only";
    }

    /**
     * The broken rule, if {@code key} is not the event's transferId; for the receipt tracker's Streams
     * topology too, which checks the same rule.
     */
    public static Optional<String> violation(String topic, String key, SpecificRecordBase event) {
        String transferId = TransferRef.of(event).transferId();
        if (Objects.equals(key, transferId)) {
            return Optional.empty();
        }
        return Optional.of("Record on " + topic + " keyed " + quoted(key) + " holds "
                + Events.typeOf(event) + " of transferId '" + transferId
                + "': an event's key must be its transferId, so that one partition holds all of a transfer's events");
    }

    private static String quoted(String key) {
        return key == null ? "null" : "'" + key + "'";
    }
}
