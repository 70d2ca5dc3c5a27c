package dk.sf1820.app.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The embedded default's Kafka: one broker in {@code <dir>} (the layout of every earlier version), or
 * a KRaft cluster of {@code size} brokers in {@code <dir>/broker-<node id>}, each its own JVM and
 * each a voter of the controller quorum, so that a majority keeps the cluster serving while one broker
 * is down. Kafka's own topics get {@code min(3, size)} replicas and {@code min.insync.replicas}
 * {@code min(2, size)}; the pipeline's topics take theirs from {@code sf1820.kafka.*}.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private final List<EmbeddedKafkaBroker> brokers;

    private EmbeddedKafkaCluster(List<EmbeddedKafkaBroker> brokers) {
        this.brokers = List.copyOf(brokers);
    }

    /** A cluster of {@code size} PLAINTEXT brokers on loopback with free ports (kept across restarts). */
    public static EmbeddedKafkaCluster of(Path dir, int size) {
        return of(dir, size, 0, EmbeddedKafkaSecurity.PLAINTEXT, Map.of());
    }

    /**
     * @param dir the cluster's home: a single broker's data, or one folder per broker and the shared cluster id
     * @param size the number of brokers, each broker and controller
     * @param firstPort the first broker's client port, the next ones count up from it; 0 picks free ports
     * @param security how the client listeners are secured
     * @param clientConfig the settings a client needs to be let in, used to see that a broker serves
     */
    public static EmbeddedKafkaCluster of(
            Path dir, int size, int firstPort, EmbeddedKafkaSecurity security, Map<String, Object> clientConfig) {
        if (size < 1) {
            throw new IllegalArgumentException("sf1820.embedded.kafka-brokers must be at least 1, was " + size);
        }
        if (size == 1) {
            return new EmbeddedKafkaCluster(List.of(new EmbeddedKafkaBroker(dir, firstPort, security, clientConfig)));
        }
        Path logs = dir.toAbsolutePath().getParent().resolve("logs");
        List<EmbeddedKafkaBroker> brokers = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int node = 1; node <= size; node++) {
            EmbeddedKafkaBroker broker = null;
            // a free port is free only until someone binds it: no two brokers may pick the same one
            for (int attempt = 0;
                    broker == null || !taken.add(broker.bootstrapServers()) || !taken.add(broker.controllerAddress());
                    attempt++) {
                if (attempt == 10) {
                    throw new IllegalStateException("No distinct free ports for broker " + node + " in " + dir);
                }
                broker = new EmbeddedKafkaBroker(
                        dir.resolve("broker-" + node),
                        dir,
                        logs.resolve("kafka-" + node + ".log"),
                        node,
                        firstPort == 0 ? 0 : firstPort + node - 1,
                        security,
                        clientConfig);
            }
            brokers.add(broker);
        }
        String voters = brokers.stream().map(EmbeddedKafkaBroker::voter).collect(Collectors.joining(","));
        brokers.forEach(b -> b.joining(voters, size));
        return new EmbeddedKafkaCluster(brokers);
    }

    /** Launches every broker, then waits until each serves: the quorum forms only once a majority runs. */
    public EmbeddedKafkaCluster start(Duration timeout) {
        try {
            brokers.forEach(b -> b.launch(timeout));
            brokers.forEach(b -> b.awaitReady(timeout));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Every broker's client address, comma-separated: what {@code spring.kafka.bootstrap-servers} needs. */
    public String bootstrapServers() {
        return brokers.stream().map(EmbeddedKafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** Whether something (these brokers, or those another sf1820 process started) serves a client port. */
    public boolean serving() {
        return brokers.stream().anyMatch(EmbeddedKafkaBroker::serving);
    }

    public int size() {
        return brokers.size();
    }

    /** The broker with this node id (1 to {@link #size()}). */
    public EmbeddedKafkaBroker broker(int nodeId) {
        return brokers.get(nodeId - 1);
    }

    /**
     * Stops every broker: all are asked at once, since a broker left alone without a quorum majority
     * would wait in vain for its controlled shutdown to be granted.
     */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        for (EmbeddedKafkaBroker broker : brokers) {
            Thread stop = new Thread(broker::close, "sf1820-stop-kafka-" + broker.nodeId());
            stop.start();
            stopping.add(stop);
        }
        for (Thread stop : stopping) {
            try {
                stop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
