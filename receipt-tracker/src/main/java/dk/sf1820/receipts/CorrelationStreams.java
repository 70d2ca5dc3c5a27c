package dk.sf1820.receipts;

import dk.sf1820.schemas.avro.CorrelationState;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
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
 * <p>The store is partitioned by transferId. With one tracker instance it holds every transfer;
 * with several, an instance sees only its own partitions and a lookup may miss a transfer hosted
 * elsewhere. The poller then falls back to what the sender and the file name tell (see
 * {@link ReceiptMatcher}); outcomes are unaffected, because the topology takes their fields from
 * the upload event itself.
 */
class CorrelationStreams implements SmartLifecycle, KnownTransfers {

    /** Started before the poller and stopped after it, so no poll finds the store gone. */
    static final int PHASE = Integer.MAX_VALUE - 1000;

    private static final Logger log = LoggerFactory.getLogger(CorrelationStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Topology topology;
    private final Properties config;
    private volatile KafkaStreams streams;

    CorrelationStreams(Topology topology, Properties config) {
        this.topology = topology;
        this.config = config;
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        KafkaStreams started = new KafkaStreams(topology, config);
        started.setUncaughtExceptionHandler(e -> {
            // the topology's own rules do not throw; what reaches here is a broken broker or store,
            // and an outcome tracker that silently limps on is worse than one that stops visibly
            log.error("receipt correlation stopped: {}", e.toString(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
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
            log.info("receipt correlation stopped");
        }
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
    Optional<KafkaStreams.State> state() {
        KafkaStreams current = streams;
        return current == null ? Optional.empty() : Optional.of(current.state());
    }

    @Override
    public boolean ready() {
        return state().filter(s -> s == KafkaStreams.State.RUNNING).isPresent();
    }

    @Override
    public Optional<KnownTransfer> byTransferId(String transferId) {
        return Optional.ofNullable(store().get(transferId)).map(CorrelationStreams::known);
    }

    @Override
    public Optional<KnownTransfer> byFileName(String sender, String fileName) {
        // a full scan: only receipts lacking SendersFileId need it, and the store holds one entry
        // per transfer of the last few weeks
        try (KeyValueIterator<String, CorrelationState> all = store().all()) {
            CorrelationState latest = null;
            while (all.hasNext()) {
                CorrelationState state = all.next().value;
                if (fileName.equals(state.getFileName()) && sender.equals(state.getSender())
                        && (latest == null || seen(state).isAfter(seen(latest)))) {
                    latest = state;
                }
            }
            return Optional.ofNullable(latest).map(CorrelationStreams::known);
        }
    }

    private static Instant seen(CorrelationState state) {
        return state.getUploadedAt() != null ? state.getUploadedAt() : state.getOccurredAt();
    }

    private ReadOnlyKeyValueStore<String, CorrelationState> store() {
        KafkaStreams current = streams;
        if (current == null) {
            throw new IllegalStateException("receipt correlation is not running");
        }
        try {
            return current.store(StoreQueryParameters.fromNameAndType(ReceiptCorrelationTopology.CORRELATION_STORE,
                    QueryableStoreTypes.<String, CorrelationState>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new IllegalStateException("store " + ReceiptCorrelationTopology.CORRELATION_STORE
                    + " cannot be queried now (Streams state " + current.state() + "): " + e.getMessage(), e);
        }
    }

    private static KnownTransfer known(CorrelationState state) {
        return new KnownTransfer(TransferRef.of(state), state.getSender(), state.getFileName());
    }
}
