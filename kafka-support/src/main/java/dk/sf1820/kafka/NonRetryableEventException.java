package dk.sf1820.kafka;

/**
 * Thrown by a stage for an event it can read but must refuse (a broken reference, a rule violated):
 * no retry can help, so the record goes to the dead-letter topic at once with this message as reason.
 */
public class NonRetryableEventException extends RuntimeException {

    public NonRetryableEventException(String message) {
        super(message);
    }

    public NonRetryableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
