package dk.sf1820.extractor;

/**
 * The extract is staged and recorded under its transferId, but Kafka did not acknowledge its
 * {@code ExtractReady}. Nothing is lost: the record keeps the event, and the extractor's announcer
 * (or the same extract submitted again) publishes it once Kafka is reachable.
 */
public class ExtractNotAnnouncedException extends RuntimeException {

    private final String transferId;

    public ExtractNotAnnouncedException(String transferId, Throwable cause) {
        super(
                "extract transferId " + transferId + " is recorded but its ExtractReady was not acknowledged by Kafka ("
                        + cause.getMessage() + "); it will be announced when Kafka is reachable",
                cause);
        this.transferId = transferId;
    }

    /** The transferId the extract is recorded under. */
    public String transferId() {
        return transferId;
    }
}
