package dk.sf1820.kafka;

import dk.sf1820.schemas.events.UnreadableEventException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The reason a record went to a dead-letter topic, in plain words: the innermost cause's message
 * (Spring's own headers carry only the outermost wrapper's, e.g. "failed to deserialize"). Public so a
 * stage with its own dead-letter publishing (the transporter's retry topics) writes the same header.
 */
public final class DeadLetterReason {

    /** Header holding the reason, e.g. "Record on sf1820.extract.ready is not Avro single-object encoded ...". */
    public static final String HEADER = "sf1820-dlt-reason";

    private DeadLetterReason() {}

    public static Headers headers(Exception failure) {
        Headers headers = new RecordHeaders();
        headers.add(HEADER, reason(failure).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    public static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof NonRetryableEventException || cause instanceof UnreadableEventException) {
                break; // its message is the stage's or the reader's own statement of the rule that was broken
            }
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
