package dk.sf1820.bench;

import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.registry.Authorities;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Comparisons 4, 5 and 6: the whole pipeline as {@code ./sf1820 demo} runs it (embedded KRaft broker
 * as a child JVM, emulator, every stage in this JVM), its times read from the events' own
 * {@code occurredAt} on the topics, as an auditor would.
 * <ul>
 * <li>{@code many <work dir> <results> <scan interval> [--submitters=N] [--setting=value ...]}: one small
 * extract per municipality and fagsystem (98 × 5 = 490), submitted at once (one by one, or by N threads
 * as N fagsystems would); wall time to the last outcome, latency per stage. Other {@code --} arguments
 * are the pipeline's settings, e.g. {@code --sf1820.transporter.concurrency=1} for a comparison.</li>
 * <li>{@code one <work dir> <results> <scan interval> <csv> <label>}: one large extract handed over
 * through the drop folder (its {@code .done} marker starts the clock), to TransferUploaded (data file
 * and trigger on the platform) and to its outcome; peak heap and RSS.</li>
 * </ul>
 */
public final class PipelineBench {

    private static final List<String> STAGE_TOPICS = List.of(
            Topics.EXTRACT_READY.name(),
            Topics.PACKAGE_READY.name(),
            Topics.TRANSFER_UPLOADED.name(),
            Topics.RECEIPT_RECEIVED.name(),
            Topics.DELIVERY_OUTCOME.name());

    private static final int SINGLES = 10;
    private static final String DROP = "drop";
    /** {@code many}: how many threads submit the burst, each a fagsystem's share in order; 1 submits one by one. */
    private static final String SUBMITTERS = "--submitters=";

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path work = Path.of(args[1]).toAbsolutePath();
        Report report = new Report(Path.of(args[2]));
        Duration scan = Duration.parse("PT" + args[3].toUpperCase(Locale.ROOT));
        Map<String, Object> defaults = Map.of(
                "sf1820.embedded.scan-interval", args[3],
                "sf1820.receipt-tracker.poll-interval", "1s",
                "sf1820.dst-receiver.poll-interval", "1s",
                "logging.threshold.console", "WARN");
        List<String> springArgs = new ArrayList<>(List.of("--sf1820.work-dir=" + work));
        int submitters = 1;
        if (mode.equals("many")) {
            for (String arg : List.of(args).subList(4, args.length)) {
                if (arg.startsWith(SUBMITTERS)) {
                    submitters = Integer.parseInt(arg.substring(SUBMITTERS.length()));
                } else {
                    springArgs.add(arg); // settings to compare, e.g. --sf1820.transporter.concurrency=1
                }
            }
        }
        if (mode.equals("one")) {
            // A large extract comes through the drop folder, as a fagsystem would hand it over.
            springArgs.add("--sf1820.extractor.drop-folder.dir=" + work.resolve(DROP));
            springArgs.add("--sf1820.extractor.drop-folder.poll-interval=1s");
        }
        try (ConfigurableApplicationContext context = startApplication(springArgs, defaults)) {
            String brokers = context.getEnvironment().getRequiredProperty("spring.kafka.bootstrap-servers");
            ExtractSubmitter submitter = context.getBean(ExtractSubmitter.class);
            if (mode.equals("many")) {
                many(report, work, brokers, submitter, context.getBean(FagsystemRegistry.class), scan, submitters);
            } else {
                one(report, work, brokers, Path.of(args[4]), args[5]);
            }
        }
        // The context's close stops the embedded broker; nothing of the bench keeps running.
    }

    /**
     * {@code Sf1820Application.start(springArgs, defaults)}, found at run time: the app's classes come
     * from app/target/classes (its installed jar is a repackaged Boot jar no build can depend on).
     */
    private static ConfigurableApplicationContext startApplication(
            List<String> springArgs, Map<String, Object> defaults) throws Exception {
        return (ConfigurableApplicationContext) Class.forName("dk.sf1820.app.Sf1820Application")
                .getMethod("start", List.class, Map.class, Class[].class)
                .invoke(null, springArgs, defaults, new Class<?>[0]);
    }

    private static void many(
            Report report,
            Path work,
            String brokers,
            ExtractSubmitter submitter,
            FagsystemRegistry registry,
            Duration scan,
            int submitters)
            throws Exception {
        Path dir = Files.createDirectories(work.resolve("bench-extracts"));
        List<ExtractRequest> requests = new ArrayList<>();
        long seed = 1;
        for (Fagsystem fagsystem : registry.withExtract()) {
            for (String authority : Authorities.all().keySet()) {
                Path file = ExtractCsv.write(
                        dir.resolve(fagsystem.code() + "_" + authority + ".csv"),
                        2048 + (seed * 7919) % 30_000,
                        seed++);
                requests.add(new ExtractRequest(fagsystem.code(), authority, "M03", file));
            }
        }
        try (EventLog log = new EventLog(brokers)) {
            Instant start = Instant.now();
            submitAll(submitter, requests, submitters);
            double submitSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            Map<String, Map<String, Instant>> byTransfer = log.awaitOutcomes(requests.size(), Duration.ofMinutes(10));
            Instant last = byTransfer.values().stream()
                    .map(t -> t.get("outcome"))
                    .max(Instant::compareTo)
                    .orElseThrow();
            double wall = Duration.between(start, last).toMillis() / 1000.0;
            long succeeded = log.succeeded();
            report.row(
                    "many extracts: " + requests.size() + " (98 × 5), scan every " + scan.toSeconds()
                            + " s, "
                            + (submitters == 1
                                    ? "submitted one by one"
                                    : "submitted by " + submitters + " threads (one per fagsystem)")
                            + ": submit of the first to the last outcome",
                    Measure.fmt(wall) + " s",
                    "—",
                    String.format(Locale.ROOT, "%.1f transfers/s", requests.size() / wall),
                    "< 15 s",
                    wall < 15 && succeeded == requests.size() ? "yes" : "no");
            List<Double> overhead = new ArrayList<>();
            Map<String, List<Double>> stages = new LinkedHashMap<>();
            for (Map<String, Instant> t : byTransfer.values()) {
                add(stages, "packager (ExtractReady → PackageReady)", t, "extract", "package");
                add(stages, "transporter (PackageReady → TransferUploaded)", t, "package", "uploaded");
                add(
                        stages,
                        "platform scan + receipt poll (TransferUploaded → ReceiptReceived)",
                        t,
                        "uploaded",
                        "receipt");
                add(stages, "correlation (ReceiptReceived → outcome)", t, "receipt", "outcome");
                add(stages, "total (ExtractReady → outcome)", t, "extract", "outcome");
                overhead.add(millis(t, "extract", "uploaded") + millis(t, "receipt", "outcome"));
            }
            double p50 = Measure.percentile(overhead, 50);
            report.row(
                    "many extracts: time in the pipeline per extract in the burst, p50 (packager + transporter"
                            + " + correlation, queueing included)",
                    Measure.fmt(p50) + " ms",
                    "—",
                    "—",
                    "(info)",
                    "");
            // Overhead proper: one small extract at a time, so no queue in front of any stage.
            List<Double> alone = new ArrayList<>();
            for (int i = 0; i < SINGLES; i++) {
                ExtractRequest request = requests.get(i * 47 % requests.size());
                String transferId = submitter.submit(
                        new ExtractRequest(request.fagsystem(), request.authority(), "M04", request.file()));
                Map<String, Instant> t = log.awaitOutcomes(requests.size() + i + 1, Duration.ofMinutes(1))
                        .get(transferId);
                alone.add(millis(t, "extract", "uploaded") + millis(t, "receipt", "outcome"));
            }
            double aloneP50 = Measure.percentile(alone, 50);
            report.row(
                    "many extracts: pipeline overhead per small extract alone, p50 (packager + transporter"
                            + " + correlation; " + SINGLES + " one after another)",
                    Measure.fmt(aloneP50) + " ms (" + Measure.fmt(Measure.min(alone)) + "–"
                            + Measure.fmt(Measure.max(alone)) + ")",
                    "—",
                    "—",
                    "< 250 ms",
                    aloneP50 < 250 ? "yes" : "no");
            report.note("small extract alone, overhead ms per extract: " + Measure.list(alone));
            report.note("many extracts: " + succeeded + " of " + requests.size()
                    + " DeliverySucceeded; submitting all took " + Measure.fmt(submitSeconds)
                    + " s (the extractor copies and hashes each file)");
            for (Map.Entry<String, List<Double>> stage : stages.entrySet()) {
                report.note(String.format(
                        Locale.ROOT,
                        "many extracts, %s: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms",
                        stage.getKey(),
                        Measure.percentile(stage.getValue(), 50),
                        Measure.percentile(stage.getValue(), 95),
                        Measure.percentile(stage.getValue(), 99)));
            }
            report.note(String.format(
                    Locale.ROOT,
                    "many extracts, overhead (packager + transporter + correlation): "
                            + "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms",
                    p50,
                    Measure.percentile(overhead, 95),
                    Measure.percentile(overhead, 99)));
        }
    }

    /**
     * Submits every request; with several submitters, as several fagsystems would at once, each thread
     * takes the requests of its share of the fagsystems in their order.
     */
    private static void submitAll(ExtractSubmitter submitter, List<ExtractRequest> requests, int submitters)
            throws Exception {
        if (submitters == 1) {
            for (ExtractRequest request : requests) {
                submitter.submit(request);
            }
            return;
        }
        List<String> fagsystems =
                requests.stream().map(ExtractRequest::fagsystem).distinct().toList();
        ExecutorService threads = Executors.newFixedThreadPool(submitters);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < submitters; t++) {
                int share = t;
                done.add(threads.submit(() -> {
                    for (ExtractRequest request : requests) {
                        if (fagsystems.indexOf(request.fagsystem()) % submitters == share) {
                            submitter.submit(request);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> thread : done) {
                thread.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void one(Report report, Path work, String brokers, Path csv, String label) throws Exception {
        try (EventLog log = new EventLog(brokers)) {
            // A pipeline runs for months: a first small delivery warms it up (JIT, sessions, the broker's
            // fresh topics), and the clock starts once the machine is idle again, not while the broker that
            // just started still compiles and settles on the same two cores.
            Path warmUp = Files.writeString(work.resolve("warm-up.csv"), "cpr;dage\n0101010101;1\n");
            drop(work, "M02", warmUp);
            log.awaitOutcomes(1, Duration.ofMinutes(2));
            awaitIdleMachine(Duration.ofMinutes(1));
            resetPeaks();

            // The fagsystem's export lies in the drop folder before the clock starts: linked, as the bench's own
            // copy of 1 GiB is no part of the pipeline (and the baseline's zip reads the file where it lies too).
            Path dropped = link(work, "M03", csv);
            Instant start = Instant.now();
            Files.createFile(dropped.resolveSibling(dropped.getFileName() + ".done"));
            Map<String, Map<String, Instant>> byTransfer = log.awaitOutcomes(2, Duration.ofHours(1));
            Map<String, Instant> t = byTransfer.values().stream()
                    .filter(steps -> steps.get("extract").isAfter(start))
                    .findFirst()
                    .orElseThrow();
            double uploaded = Duration.between(start, t.get("uploaded")).toMillis() / 1000.0;
            double outcome = Duration.between(start, t.get("outcome")).toMillis() / 1000.0;
            long heapPeak = heapPeak();
            long rss = rssPeakKib();
            String result = log.succeeded() == 2 ? "DeliverySucceeded" : "NOT succeeded";
            report.note(String.format(
                    Locale.ROOT,
                    "one extract (%s, %s): dropped → TransferUploaded %.2f s "
                            + "(claim, stage, pack, upload data and trigger); → %s %.2f s; staged %.2f s, packaged %.2f s, "
                            + "uploaded %.2f s after its .done marker; max heap %d MiB, peak heap used %d MiB, peak RSS %d MiB",
                    label,
                    Sizes.mib(Files.size(csv)),
                    uploaded,
                    result,
                    outcome,
                    Duration.between(start, t.get("extract")).toMillis() / 1000.0,
                    Duration.between(start, t.get("package")).toMillis() / 1000.0,
                    uploaded,
                    Runtime.getRuntime().maxMemory() >> 20,
                    heapPeak >> 20,
                    rss >> 10));
            // For Summary: label, seconds to TransferUploaded, peak heap MiB, peak RSS MiB, max heap MiB, input bytes,
            // result.
            Files.writeString(
                    report.sibling("one"),
                    String.join(
                                    " ",
                                    label,
                                    Measure.fmt(uploaded),
                                    String.valueOf(heapPeak >> 20),
                                    String.valueOf(rss >> 10),
                                    String.valueOf(Runtime.getRuntime().maxMemory() >> 20),
                                    String.valueOf(Files.size(csv)),
                                    result.replace(' ', '_'))
                            + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    /** A file of KSD, authority 0561, for {@code period}, put complete into the drop folder ({@code .done} next to it). */
    private static void drop(Path work, String period, Path file) throws IOException {
        Path dropped = link(work, period, file);
        Files.createFile(dropped.resolveSibling(dropped.getFileName() + ".done"));
    }

    private static Path link(Path work, String period, Path file) throws IOException {
        Path folder = Files.createDirectories(
                work.resolve(DROP).resolve("KSD").resolve("0561").resolve(period));
        return Files.createLink(folder.resolve(file.getFileName()), file);
    }

    /** Waits until the machine's CPUs were less than a quarter busy over one second (from /proc/stat). */
    private static void awaitIdleMachine(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        long[] before = cpuTicks();
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            long[] now = cpuTicks();
            double busy = (double) (now[0] - before[0]) / Math.max(1, now[1] - before[1]);
            if (busy < 0.25) {
                return;
            }
            before = now;
        }
        System.err.println("bench: the machine did not become idle within " + timeout + "; measuring anyway");
    }

    /** Busy and total jiffies of all CPUs: {@code cpu user nice system idle iowait irq softirq steal}. */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    private static void add(
            Map<String, List<Double>> stages, String name, Map<String, Instant> t, String from, String to) {
        stages.computeIfAbsent(name, k -> new ArrayList<>()).add(millis(t, from, to));
    }

    private static double millis(Map<String, Instant> t, String from, String to) {
        return Duration.between(t.get(from), t.get(to)).toNanos() / 1e6;
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one moment. */
    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
    }

    private static long rssPeakKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** Reads the stage topics from the beginning and keeps each transfer's step times. */
    private static final class EventLog implements AutoCloseable {

        private final KafkaConsumer<String, SpecificRecordBase> consumer;
        private final Map<String, Map<String, Instant>> byTransfer = new HashMap<>();
        private long succeeded;

        EventLog(String brokers) {
            consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            brokers,
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed",
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                            false),
                    new StringDeserializer(),
                    new EventDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : STAGE_TOPICS) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        Map<String, Map<String, Instant>> awaitOutcomes(int count, Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            while (outcomes() < count) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "only " + outcomes() + " of " + count + " outcomes within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    SpecificRecordBase event = record.value();
                    String step = step(event);
                    if (step != null) {
                        byTransfer
                                .computeIfAbsent(record.key(), k -> new HashMap<>())
                                .putIfAbsent(step, (Instant) event.get("occurredAt"));
                        succeeded += event instanceof DeliverySucceeded ? 1 : 0;
                    }
                });
            }
            return byTransfer;
        }

        long succeeded() {
            return succeeded;
        }

        private long outcomes() {
            return byTransfer.values().stream()
                    .filter(t -> t.containsKey("outcome"))
                    .count();
        }

        private static String step(SpecificRecordBase event) {
            if (event instanceof ExtractReady) {
                return "extract";
            }
            if (event instanceof PackageReady) {
                return "package";
            }
            if (event instanceof TransferUploaded) {
                return "uploaded";
            }
            if (event instanceof ReceiptReceived) {
                return "receipt";
            }
            String type = event.getSchema().getName();
            return type.startsWith("Delivery") ? "outcome" : null;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
