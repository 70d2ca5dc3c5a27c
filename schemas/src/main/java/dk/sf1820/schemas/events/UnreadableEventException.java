package dk.sf1820.schemas.events;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that is no event its topic may carry. The message is the whole reason, written for the
 * person who reads the dead-letter topic: the topic, the rule broken and the numbers involved.
 */
public class UnreadableEventException extends SerializationException {

    public UnreadableEventException(String message) {
        super(message);
    }

    public UnreadableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
