package dk.sf1820.schemas;

/**
 * A Kafka topic of the pipeline. Every topic is keyed by transferId (the SendersFileId), so one
 * transfer's events stay in order on one partition, and carries Avro single-object encoded values.
 *
 * @param name the topic name
 * @param writer the stage that writes it; null for {@link Topics#OPERATOR_ACTIONS}, which operators write
 * @param events the event types a producer may write to it
 */
public record Topic(String name, PipelineStage writer, Class<?>... events) {

    /** Suffix of the dead-letter topic that receives what this topic's consumers cannot read. */
    public static final String DLT_SUFFIX = ".dlt";

    public String deadLetter() {
        return name + DLT_SUFFIX;
    }

    /** Whether a producer may write this event type here; a reader refuses any other. */
    public boolean carries(Class<?> type) {
        for (Class<?> event : events) {
            if (event.equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** The simple names of the event types this topic carries, e.g. "ExtractReady" or "TransferUploaded or TransferFailed". */
    public String eventNames() {
        StringBuilder names = new StringBuilder();
        for (Class<?> event : events) {
            names.append(names.isEmpty() ? "" : " or ").append(event.getSimpleName());
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
