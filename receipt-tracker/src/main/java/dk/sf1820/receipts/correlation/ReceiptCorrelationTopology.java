package dk.sf1820.receipts.correlation;

import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.CorrelationState;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.EventSerializer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Correlates each transfer's upload with its technical receipt and emits exactly one outcome per
 * transferId: {@code DeliverySucceeded}, {@code DeliveryFailed} or {@code DeliveryTimedOut}.
 *
 * <p>Both input topics are keyed by transferId with the same partition count, so one task sees all
 * of a transfer's events and owns its state. The rules live in {@link ReceiptCorrelator}.
 */
public final class ReceiptCorrelationTopology {

    /** Uploads ({@code TransferUploaded}) and the transporter's give-ups ({@code TransferFailed}). */
    public static final Topic UPLOADS = Topics.TRANSFER_UPLOADED;

    public static final Topic RECEIPTS = Topics.RECEIPT_RECEIVED;
    public static final Topic OUTCOMES = Topics.DELIVERY_OUTCOME;

    /** One {@link CorrelationState} per transferId; also queried by the receipt poller. */
    public static final String CORRELATION_STORE = "sf1820-receipt-correlation";

    static final String UPLOADS_SOURCE = "uploads";
    static final String RECEIPTS_SOURCE = "receipts";
    static final String CORRELATOR = "correlator";
    static final String OUTCOMES_SINK = "outcomes";

    private ReceiptCorrelationTopology() {}

    /**
     * @param timeout how long after its upload a transfer may go without a receipt before it times out
     * @param punctuateEvery how often (wall-clock) timeouts are checked; a timeout is raised at most this late
     * @param forgetAfter how long a settled transfer is remembered, so that duplicates and late receipts
     *        are recognised; longer than the platform keeps any file (30 days)
     */
    public static Topology build(Duration timeout, Duration punctuateEvery, Duration forgetAfter) {
        return build(timeout, punctuateEvery, forgetAfter, PipelineMetrics.none());
    }

    /** As {@link #build(Duration, Duration, Duration)}, recording outcomes and transfers in flight in {@code metrics}. */
    public static Topology build(
            Duration timeout, Duration punctuateEvery, Duration forgetAfter, PipelineMetrics metrics) {
        requirePositive(timeout, "timeout");
        requirePositive(punctuateEvery, "punctuateEvery");
        requirePositive(forgetAfter, "forgetAfter");
        Deserializer<String> keys = new StringDeserializer();
        Topology topology = new Topology();
        topology.addSource(UPLOADS_SOURCE, keys, new EventDeserializer(), UPLOADS.name());
        topology.addSource(RECEIPTS_SOURCE, keys, new EventDeserializer(), RECEIPTS.name());
        topology.addProcessor(
                CORRELATOR,
                () -> new ReceiptCorrelator(timeout, punctuateEvery, forgetAfter, metrics),
                UPLOADS_SOURCE,
                RECEIPTS_SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CORRELATION_STORE), Serdes.String(), correlationStateSerde()),
                CORRELATOR);
        topology.addSink(OUTCOMES_SINK, OUTCOMES.name(), new StringSerializer(), new EventSerializer(), CORRELATOR);
        return topology;
    }

    /**
     * The Streams settings this topology relies on, over the connection settings given.
     * {@code exactly_once_v2} makes the state update, the outcome and the input offsets one
     * transaction; a record that cannot be read, or that the correlator refuses, goes to its topic's dead-letter topic with the reason
     * ({@link StreamsDeadLetters}, whose producer {@link CorrelationStreams} supplies) and is skipped.
     */
    public static Properties streamsConfig(Map<String, Object> connection, String applicationId) {
        Properties config = new Properties();
        config.putAll(connection);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.class.getName());
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.class.getName());
        return config;
    }

    static Serde<CorrelationState> correlationStateSerde() {
        EventSerializer serializer = new EventSerializer();
        EventDeserializer deserializer = new EventDeserializer();
        Serializer<CorrelationState> write = serializer::serialize;
        Deserializer<CorrelationState> read =
                (topic, bytes) -> (CorrelationState) deserializer.deserialize(topic, bytes);
        return Serdes.serdeFrom(write, read);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
