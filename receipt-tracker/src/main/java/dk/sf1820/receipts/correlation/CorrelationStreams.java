package dk.sf1820.receipts.correlation;

import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.kafka.StageHalt;
import dk.sf1820.receipts.KnownTransfers;
import dk.sf1820.receipts.poll.ReceiptMatcher;
import dk.sf1820.schemas.avro.CorrelationState;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link ReceiptCorrelationTopology} and answers the poller's questions from its store.
 *
 * <p>The correlation store is partitioned by transferId: with several tracker instances, each holds
 * only its own partitions' transfers. A lookup that misses there reads the directory of uploads
 * ({@link UploadsDirectory}), which every instance keeps whole, so a receipt
 * or a file in a sender's folders is tied to its transfer whichever instance correlates it. Only a
 * transfer whose upload event never came is unknown (the poller then reads the file name, see
 * {@link ReceiptMatcher}).
 *
 * <p>Public for the application's health check, which reads {@link #state()}.
 */
public class CorrelationStreams implements SmartLifecycle, KnownTransfers {

    /** Started before the poller and stopped after it, so no poll finds the store gone. */
    public static final int PHASE = Integer.MAX_VALUE - 1000;

    private static final Logger log = LoggerFactory.getLogger(CorrelationStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final String STAGE = "receipt-tracker (receipt correlation)";
    private static final String UPLOADS_TOPIC = ReceiptCorrelationTopology.UPLOADS.name();

    private final Topology topology;
    private final Properties config;
    private final StageHalt halt;
    private final UploadsDirectory uploads;
    private final PipelineMetrics metrics;
    private volatile KafkaStreams streams;
    private Producer<byte[], byte[]> deadLetters;

    /** Without the directory of every upload: for one instance only, or where receipts always name their transfer. */
    public CorrelationStreams(Topology topology, Properties config, StageHalt halt) {
        this(topology, config, halt, false, PipelineMetrics.none());
    }

    /** @param clusterWide also read the whole uploads topic, so transfers correlated on other instances are known */
    public CorrelationStreams(
            Topology topology, Properties config, StageHalt halt, boolean clusterWide, PipelineMetrics metrics) {
        this.topology = topology;
        this.config = config;
        this.halt = halt;
        this.metrics = metrics;
        Map<String, Object> connection = new HashMap<>();
        config.forEach((key, value) -> connection.put(key.toString(), value));
        // a directory that stopped would leave receipts of other instances' transfers unmatched for good
        this.uploads = clusterWide
                ? new UploadsDirectory(
                        connection,
                        e -> halt.cannotGoOn(
                                STAGE,
                                "it cannot read " + UPLOADS_TOPIC + " for the directory of every upload: " + e,
                                e))
                : null;
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        if (uploads != null) {
            uploads.start();
        }
        deadLetters = new KafkaProducer<>(
                deadLetterProducerConfig(config), new ByteArraySerializer(), new ByteArraySerializer());
        Properties withDeadLetters = new Properties();
        withDeadLetters.putAll(config);
        withDeadLetters.put(StreamsDeadLetters.PRODUCER_CONFIG, deadLetters);
        withDeadLetters.put(StreamsDeadLetters.METRICS_CONFIG, metrics);
        KafkaStreams started = new KafkaStreams(topology, withDeadLetters);
        started.setUncaughtExceptionHandler(e -> {
            // the topology's own rules do not throw; what reaches here is a broken broker or store, or
            // a dead letter that could not be written: a live process with a dead topology would leave
            // every transfer without an outcome, so the client stops and the process exits to restart
            halt.cannotGoOn(STAGE, "its Kafka Streams thread died: " + e, e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        started.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR) {
                halt.cannotGoOn(STAGE, "its Kafka Streams client is in state ERROR", null);
            }
        });
        started.start();
        streams = started;
        log.info("receipt correlation started applicationId={}", config.get("application.id"));
    }

    @Override
    public synchronized void stop() {
        if (streams != null) {
            // leave the group on a clean stop: otherwise the next start waits a whole session
            // timeout (45 s) for this member to expire before its partitions are assigned again
            streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
            streams = null;
            deadLetters.close(CLOSE_TIMEOUT);
            deadLetters = null;
            if (uploads != null) {
                uploads.stop();
            }
            log.info("receipt correlation stopped");
        }
    }

    /** The Streams connection and security settings, for an idempotent producer of dead letters. */
    static Map<String, Object> deadLetterProducerConfig(Properties streamsConfig) {
        Map<String, Object> producer = new HashMap<>();
        Set<String> names = ProducerConfig.configNames();
        streamsConfig.forEach((key, value) -> {
            String name = key.toString();
            if (names.contains(name)
                    && !name.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
                    && !name.endsWith(".serializer")
                    && !name.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                producer.put(name, value);
            }
        });
        producer.put(
                ProducerConfig.CLIENT_ID_CONFIG,
                streamsConfig.get(StreamsConfig.APPLICATION_ID_CONFIG) + "-dead-letters");
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return producer;
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The Streams client's state, e.g. to wait for RUNNING in tests; empty when not started. */
    /** The Streams client's state; empty before start and after stop. */
    public Optional<KafkaStreams.State> state() {
        KafkaStreams current = streams;
        return current == null ? Optional.empty() : Optional.of(current.state());
    }

    @Override
    public boolean ready() {
        return state().filter(s -> s == KafkaStreams.State.RUNNING).isPresent()
                && (uploads == null || uploads.caughtUp());
    }

    @Override
    public Optional<KnownTransfer> byTransferId(String transferId) {
        Optional<KnownTransfer> local =
                Optional.ofNullable(store().get(transferId)).map(CorrelationStreams::known);
        return local.or(() -> uploads == null ? Optional.empty() : uploads.byTransferId(transferId));
    }

    @Override
    public Optional<KnownTransfer> byFileName(String sender, String fileName) {
        // full scans: only receipts lacking SendersFileId and files found in the senders' folders need
        // them, and the stores hold one entry per transfer; this instance's own state first, then
        // every upload in the cluster (the transfer may be correlated on another instance)
        try (KeyValueIterator<String, CorrelationState> all = store().all()) {
            CorrelationState latest = null;
            while (all.hasNext()) {
                CorrelationState state = all.next().value;
                if (fileName.equals(state.getFileName())
                        && sender.equals(state.getSender())
                        && (latest == null || seen(state).isAfter(seen(latest)))) {
                    latest = state;
                }
            }
            if (latest != null) {
                return Optional.of(known(latest));
            }
        }
        return uploads == null ? Optional.empty() : uploads.byFileName(sender, fileName);
    }

    private static Instant seen(CorrelationState state) {
        return state.getUploadedAt() != null ? state.getUploadedAt() : state.getOccurredAt();
    }

    private ReadOnlyKeyValueStore<String, CorrelationState> store() {
        return query(ReceiptCorrelationTopology.CORRELATION_STORE);
    }

    private <V> ReadOnlyKeyValueStore<String, V> query(String name) {
        KafkaStreams current = streams;
        if (current == null) {
            throw new IllegalStateException("receipt correlation is not running");
        }
        try {
            return current.store(
                    StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new IllegalStateException(
                    "store " + name + " cannot be queried now (Streams state " + current.state() + "): "
                            + e.getMessage(),
                    e);
        }
    }

    private static KnownTransfer known(CorrelationState state) {
        return new KnownTransfer(TransferRef.of(state), state.getSender(), state.getFileName());
    }
}
