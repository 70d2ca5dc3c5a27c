package dk.sf1820.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * sf1820's own metrics, with every meter name in this one class: the stages record through it and
 * never see each other, and {@code ops/} (alert rules, dashboard) is checked against these names.
 * Prometheus names follow Micrometer's convention: dots become underscores, counters end in
 * {@code _total}, timers in {@code _seconds}, and {@code bytes}/{@code seconds} units are appended.
 *
 * <p>Histograms are tagged by fagsystem only: with the authority (98 municipalities) their buckets
 * would multiply into thousands of series; counters carry both.
 */
public final class PipelineMetrics {

    /** Counter: transfers settled, by {@code outcome} (SUCCEEDED, FAILED, TIMED_OUT), fagsystem and authority. */
    public static final String TRANSFERS = "sf1820.transfers";
    /** Gauge: transfers uploaded and waiting for their receipt, by fagsystem. */
    public static final String IN_FLIGHT = "sf1820.transfers.in.flight";
    /** Gauge: the age of the oldest transfer waiting for its receipt, by fagsystem. */
    public static final String IN_FLIGHT_OLDEST_AGE = "sf1820.transfers.in.flight.oldest.age";
    /** Counter: bytes of the zip packages written, by fagsystem and authority. */
    public static final String PACKAGED_BYTES = "sf1820.packaged";
    /** Counter: bytes of the data files uploaded to the platform, by fagsystem and authority. */
    public static final String UPLOADED_BYTES = "sf1820.uploaded";
    /** Timer (histogram): packaging one extract, by fagsystem. */
    public static final String PACKAGING_DURATION = "sf1820.packaging.duration";
    /** Timer (histogram): uploading one data file and its trigger, by fagsystem. */
    public static final String UPLOAD_DURATION = "sf1820.upload.duration";
    /** Timer (histogram): from the trigger's upload to the platform's receipt, by fagsystem and outcome. */
    public static final String RECEIPT_WAIT = "sf1820.receipt.wait";
    /** Gauge: transfers whose last upload attempt failed and that wait in a retry topic. */
    public static final String RETRIES_WAITING = "sf1820.retries.waiting";
    /** Counter: records written to a dead-letter topic, by the {@code topic} they came from. */
    public static final String DEAD_LETTERS = "sf1820.dead.letters";
    /**
     * Gauge: receipts the tracker left in a sender's IN for an operator at its last poll, by sender; only the
     * instance that owns the sender reports it.
     */
    public static final String RECEIPTS_KEPT = "sf1820.receipts.kept";
    /** Gauge: our files on the platform near its 30-day deletion at the last sweep, by sender; by its owner only. */
    public static final String NEAR_DEADLINE = "sf1820.files.near.deadline";
    /** Counter: records of the receipt tracker's duties topic refused as duty markers (skipped, never kept). */
    public static final String DUTY_MARKERS_REFUSED = "sf1820.duty.markers.refused";
    /** Gauge: 1 while an SFTP account logs in and lists OUT and IN, 0 while it does not, by account. */
    public static final String SFTP_ACCOUNT_UP = "sf1820.sftp.account.up";

    private static final Duration[] SLOS = {
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        Duration.ofMinutes(10),
        Duration.ofHours(1),
        Duration.ofHours(6)
    };

    private final MeterRegistry registry;
    private final Set<String> retrying = ConcurrentHashMap.newKeySet();
    private final Map<String, InFlight> inFlightParts = new HashMap<>();
    private final GaugeFamily inFlight;
    private final GaugeFamily oldestInFlight;
    private final GaugeFamily receiptsKept;
    private final GaugeFamily nearDeadline;
    private final Counter dutyMarkersRefused;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(RETRIES_WAITING, retrying, Set::size)
                .description("transfers waiting in a retry topic after a failed upload attempt")
                .register(registry);
        inFlight = new GaugeFamily(
                registry, IN_FLIGHT, "fagsystem", null, "transfers uploaded and waiting for their receipt");
        oldestInFlight = new GaugeFamily(
                registry,
                IN_FLIGHT_OLDEST_AGE,
                "fagsystem",
                "seconds",
                "age of the oldest transfer waiting for its receipt");
        receiptsKept = new GaugeFamily(registry, RECEIPTS_KEPT, "sender", null, "receipts left in IN for an operator");
        nearDeadline = new GaugeFamily(
                registry, NEAR_DEADLINE, "sender", null, "files of ours the platform deletes within days");
        // from zero, so the alert sees the first refusal as an increase
        dutyMarkersRefused = Counter.builder(DUTY_MARKERS_REFUSED)
                .description("records of the duties topic refused as duty markers")
                .register(registry);
    }

    /** Records nowhere: for processes and tests without a meter registry. */
    public static PipelineMetrics none() {
        return new PipelineMetrics(new CompositeMeterRegistry());
    }

    /**
     * Starts each topic's dead-letter count at zero, so that a dashboard shows the topic before its
     * first dead letter (the alert rules also catch a series that appears already at 1).
     */
    public void expectDeadLetters(Collection<String> topics) {
        topics.forEach(this::deadLetterCounter);
    }

    public void packaged(String fagsystem, String authority, long bytes, Duration took) {
        Counter.builder(PACKAGED_BYTES)
                .baseUnit("bytes")
                .description("bytes of zip packages written")
                .tags("fagsystem", fagsystem, "authority", authority)
                .register(registry)
                .increment(bytes);
        histogram(PACKAGING_DURATION, "packaging one extract", Tags.of("fagsystem", fagsystem))
                .record(took);
    }

    public void uploaded(String fagsystem, String authority, long bytes, Duration took) {
        Counter.builder(UPLOADED_BYTES)
                .baseUnit("bytes")
                .description("bytes of data files uploaded")
                .tags("fagsystem", fagsystem, "authority", authority)
                .register(registry)
                .increment(bytes);
        histogram(UPLOAD_DURATION, "uploading one data file and its trigger", Tags.of("fagsystem", fagsystem))
                .record(took);
    }

    /** A transfer's upload failed and waits for its next attempt in a retry topic. */
    public void retryWaiting(String transferId) {
        retrying.add(transferId);
    }

    /** A transfer left the retry topics: uploaded at last, or given up. */
    public void retryEnded(String transferId) {
        retrying.remove(transferId);
    }

    /** @param receiptWait from the upload to the receipt; null when no receipt settled it (timeout, give-up) */
    public void settled(String fagsystem, String authority, String outcome, Duration receiptWait) {
        Counter.builder(TRANSFERS)
                .description("transfers settled, by outcome")
                .tags("fagsystem", fagsystem, "authority", authority, "outcome", outcome)
                .register(registry)
                .increment();
        if (receiptWait != null && !receiptWait.isNegative()) {
            histogram(
                            RECEIPT_WAIT,
                            "from the trigger's upload to the platform's receipt",
                            Tags.of("fagsystem", fagsystem, "outcome", outcome))
                    .record(receiptWait);
        }
    }

    /**
     * Replaces one part's (a Streams task's) in-flight figures with a fresh count: transfers waiting and the
     * age of the oldest, by fagsystem. The gauges show the sum and the maximum over all parts.
     */
    public synchronized void inFlight(
            String part, Map<String, Integer> countByFagsystem, Map<String, Duration> oldestByFagsystem) {
        inFlightParts.put(part, new InFlight(Map.copyOf(countByFagsystem), Map.copyOf(oldestByFagsystem)));
        publishInFlight();
    }

    /** The part went away (its task moved to another instance), and with it its figures. */
    public synchronized void inFlightGone(String part) {
        if (inFlightParts.remove(part) != null) {
            publishInFlight();
        }
    }

    private void publishInFlight() {
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Duration> oldest = new TreeMap<>();
        inFlightParts.values().forEach(part -> {
            part.counts().forEach((fagsystem, count) -> counts.merge(fagsystem, count, Integer::sum));
            part.oldest().forEach((fagsystem, age) -> oldest.merge(fagsystem, age, PipelineMetrics::longer));
        });
        inFlight.show(values(counts, Integer::doubleValue));
        oldestInFlight.show(values(oldest, d -> d.toMillis() / 1000.0));
    }

    public void deadLettered(String topic) {
        deadLetterCounter(topic).increment();
    }

    /** A record of the duties topic was no duty marker the tracker writes, and was skipped. */
    public void dutyMarkerRefused() {
        dutyMarkersRefused.increment();
    }

    /**
     * Replaces the receipts-kept figures with the last poll's. A sender this instance did not poll (another
     * instance owns it) has no series here, rather than a 0 that would hide its owner's figure in a max and
     * say nothing in a sum; a sender it no longer owns loses its series.
     *
     * @param kept the receipts kept at the last poll, as {@code sender:/IN/name}
     * @param polled the senders this instance polled, being their owner
     * @param failed the senders it owns whose poll failed: their series keep the figure they had
     */
    public void receiptsKept(Collection<String> kept, Collection<String> polled, Collection<String> failed) {
        receiptsKept.show(figuresBySender(kept, polled, failed), Set.copyOf(failed));
    }

    /**
     * Replaces the near-deadline figures with the last sweep's, for the senders swept only (see
     * {@link #receiptsKept}).
     *
     * @param near the files near the deadline at the last sweep, as {@code sender:/DIR/name}
     * @param swept the senders this instance swept, being their owner
     * @param failed the senders it owns whose sweep failed: their series keep the figure they had
     */
    public void nearDeadline(Collection<String> near, Collection<String> swept, Collection<String> failed) {
        nearDeadline.show(figuresBySender(near, swept, failed), Set.copyOf(failed));
    }

    /** Registers the account's up/down gauge, read from {@code up} at every scrape. */
    public <T> void sftpAccount(String account, T state, ToDoubleFunction<T> up) {
        Gauge.builder(SFTP_ACCOUNT_UP, state, up)
                .tag("account", account)
                .description("1 while the SFTP account logs in and lists OUT and IN")
                .register(registry);
    }

    private Counter deadLetterCounter(String topic) {
        return Counter.builder(DEAD_LETTERS)
                .description("records written to a dead-letter topic")
                .tag("topic", topic)
                .register(registry);
    }

    private Timer histogram(String name, String description, Tags tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .serviceLevelObjectives(SLOS)
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(12))
                .register(registry);
    }

    /** The longer of two durations (Java 17's Duration has no max). */
    public static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The files counted by sender, from 0 for each sender done; a failed sender's count is partial, so none. */
    private static Map<String, Double> figuresBySender(
            Collection<String> files, Collection<String> done, Collection<String> failed) {
        Map<String, Double> counts = new TreeMap<>();
        done.forEach(sender -> counts.put(sender, 0.0));
        files.stream()
                .map(file -> file.substring(0, Math.max(0, file.indexOf(':'))))
                .forEach(sender -> counts.merge(sender, 1.0, Double::sum));
        counts.keySet().removeAll(Set.copyOf(failed));
        return counts;
    }

    private static <V> Map<String, Double> values(Map<String, V> figures, Function<V, Double> value) {
        Map<String, Double> values = new TreeMap<>();
        figures.forEach((key, figure) -> values.put(key, value.apply(figure)));
        return values;
    }

    private record InFlight(Map<String, Integer> counts, Map<String, Duration> oldest) {}
}
