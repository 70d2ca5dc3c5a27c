package dk.sf1820.schemas;

/**
 * A Kafka topic of the pipeline. Every topic is keyed by transferId (the SendersFileId), so one
 * transfer's events stay in order on one partition, and carries Avro single-object encoded values.
 *
 * @param name the topic name
 * @param events the event types a producer may write to it
 */
public record Topic(String name, Class<?>... events) {

    /** Suffix of the dead-letter topic that receives what this topic's consumers cannot read. */
    public static final String DLT_SUFFIX = ".dlt";

    public String deadLetter() {
        return name + DLT_SUFFIX;
    }

    @Override
    public String toString() {
        return name;
    }
}
