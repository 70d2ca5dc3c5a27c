package dk.sf1820.transporter;

/**
 * A transfer step failed in a way a later attempt may cure (server away, connection lost, size not
 * yet right). Thrown out of the listener so the container retries the event with backoff; every step
 * checks the remote side first, so the retry continues where this attempt stopped.
 */
public class RetryableTransferException extends RuntimeException {

    public RetryableTransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
