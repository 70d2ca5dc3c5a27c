package dk.sf1820.app;

import dk.sf1820.app.config.ProcessProperties;
import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.extractor.query.QueryExtractor;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./sf1820 demo}: one sample extract for each fagsystem with an extract, through the whole
 * pipeline on the embedded broker and emulator, until DST holds the file and the outcome is known.
 * KSD's comes from a dataset query against a sample H2 database ({@link DemoDatabase}), the others
 * are submitted files.
 * Prints one row per transfer and shows VALG refused. Exit status 0 only if every delivery succeeded.
 */
final class DemoCommand {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final PrintStream out;

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> springArgs) {
        Map<String, Object> defaults = new HashMap<>(Map.of(
                "sf1820.embedded.scan-interval", "2s",
                "sf1820.receipt-tracker.poll-interval", "1s",
                "sf1820.dst-receiver.poll-interval", "1s",
                "logging.threshold.console", "WARN"));
        defaults.putAll(DemoDatabase.datasetProperties());
        Instant runAt = Instant.now();
        DemoDatabase.fill(runAt);
        out.println("sf1820 demo: starting the embedded Kafka broker, the Serviceplatform emulator and all stages ...");
        try (ConfigurableApplicationContext context = Sf1820Application.start(springArgs, defaults)) {
            Path workDir = context.getBean(ProcessProperties.class).workDir().toAbsolutePath();
            FagsystemRegistry registry = context.getBean(FagsystemRegistry.class);
            ExtractSubmitter submitter = context.getBean(ExtractSubmitter.class);
            QueryExtractor queries = context.getBean(QueryExtractor.class);

            Map<String, DemoTransfer> transfers = new LinkedHashMap<>();
            for (Fagsystem fagsystem : registry.withExtract()) {
                String transferId;
                String source;
                if (fagsystem.code().equals("KSD")) {
                    // KSD's extract comes from its (sample) database: March of this year, queried and streamed.
                    transferId = queries.run(
                            DemoDatabase.DATASET, runAt.atZone(ZoneOffset.UTC).getYear() + "M03", false);
                    source = "query";
                } else {
                    Path extract = SampleExtract.write(workDir.resolve("demo"), fagsystem.code(), runAt);
                    transferId = submitter.submit(new ExtractRequest(fagsystem.code(), "0561", "M03", extract));
                    source = "file";
                }
                transfers.put(transferId, new DemoTransfer(fagsystem, source, transferId, Instant.now()));
            }
            String valg = refusal(submitter, workDir, runAt);

            try (OutcomeWatcher watcher =
                    new OutcomeWatcher(context.getBean(KafkaProperties.class).buildConsumerProperties())) {
                watcher.await(transfers, TIMEOUT);
            }
            Path received = Path.of(context.getEnvironment().getRequiredProperty("sf1820.dst-receiver.store-dir"))
                    .toAbsolutePath();
            awaitDst(transfers.values(), received);
            print(transfers.values(), valg, received);
            return transfers.values().stream().allMatch(DemoTransfer::delivered) ? 0 : 1;
        }
    }

    private static String refusal(ExtractSubmitter submitter, Path workDir, Instant runAt) {
        try {
            Path extract = SampleExtract.write(workDir.resolve("demo"), "VALG", runAt);
            submitter.submit(new ExtractRequest("VALG", "0561", "M03", extract));
            return "VALG was NOT refused";
        } catch (ExtractRefusedException e) {
            return e.getMessage();
        }
    }

    /** The DST side polls on its own schedule: give it a moment after the outcome to store the file. */
    private static void awaitDst(Iterable<DemoTransfer> transfers, Path received) {
        Instant deadline = Instant.now().plusSeconds(30);
        for (DemoTransfer t : transfers) {
            while (t.succeeded() && !t.storedAt(received) && Instant.now().isBefore(deadline)) {
                sleep();
            }
        }
    }

    private void print(Iterable<DemoTransfer> transfers, String valg, Path received) {
        String format = "%-9s %-6s %-44s %-36s %-17s %7s  %s%n";
        out.println();
        out.printf(format, "FAGSYSTEM", "SOURCE", "FILE NAME", "SENDERSFILEID", "OUTCOME", "SECONDS", "AT DST");
        int ok = 0;
        int total = 0;
        for (DemoTransfer t : transfers) {
            total++;
            boolean stored = t.storedAt(received);
            if (t.delivered()) {
                ok++;
            }
            out.printf(
                    format,
                    t.fagsystem().code(),
                    t.source(),
                    t.fileName() == null ? "-" : t.fileName(),
                    t.transferId(),
                    t.outcomeName(),
                    t.seconds(),
                    stored ? "stored" : "missing");
        }
        out.println();
        out.println("VALG: refused: " + valg);
        out.printf("%d of %d extracts delivered to DST; audit trail in Kafka, files under %s%n", ok, total, received);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One demo transfer and what became of it. */
    static final class DemoTransfer {
        private final Fagsystem fagsystem;
        private final String source;
        private final String transferId;
        private final Instant submittedAt;
        private SpecificRecordBase outcome;
        private Instant outcomeAt;

        DemoTransfer(Fagsystem fagsystem, String source, String transferId, Instant submittedAt) {
            this.fagsystem = fagsystem;
            this.source = source;
            this.transferId = transferId;
            this.submittedAt = submittedAt;
        }

        Fagsystem fagsystem() {
            return fagsystem;
        }

        /** Where the extract came from: {@code file} (submitted) or {@code query} (a dataset). */
        String source() {
            return source;
        }

        String transferId() {
            return transferId;
        }

        synchronized void outcome(SpecificRecordBase event) {
            if (outcome == null) {
                outcome = event;
                outcomeAt = Instant.now();
            }
        }

        synchronized boolean done() {
            return outcome != null;
        }

        synchronized boolean succeeded() {
            return outcome instanceof DeliverySucceeded;
        }

        synchronized String fileName() {
            if (outcome instanceof DeliverySucceeded s) {
                return s.getFileName();
            }
            if (outcome instanceof DeliveryFailed f) {
                return f.getFileName();
            }
            return outcome instanceof DeliveryTimedOut t ? t.getFileName() : null;
        }

        synchronized String outcomeName() {
            return outcome == null ? "no outcome" : outcome.getSchema().getName();
        }

        synchronized String seconds() {
            return outcomeAt == null
                    ? "-"
                    : String.format(
                            "%.1f", Duration.between(submittedAt, outcomeAt).toMillis() / 1000.0);
        }

        boolean storedAt(Path received) {
            String name = fileName();
            return name != null
                    && Files.exists(received.resolve(fagsystem.sftpUser()).resolve(name));
        }

        boolean delivered() {
            return succeeded();
        }
    }

    /** Deterministic, realistic sample rows: semicolon-delimited, as a fagsystem's extract. */
    static final class SampleExtract {
        private SampleExtract() {}

        static Path write(Path dir, String code, Instant runAt) {
            try {
                Files.createDirectories(dir);
                Path file = dir.resolve(code.toLowerCase() + "_udtraek.csv");
                java.util.Random random = new java.util.Random(code.hashCode());
                StringBuilder rows = new StringBuilder("koersel;kommune;periode;sagsnummer;beloeb;status\n");
                for (int i = 0; i < 500; i++) {
                    rows.append(runAt)
                            .append(";0561;M03;")
                            .append(code)
                            .append('-')
                            .append(100000 + i)
                            .append(';')
                            .append(random.nextInt(100_000))
                            .append(',')
                            .append(random.nextInt(100))
                            .append(';')
                            .append(random.nextBoolean() ? "aktiv" : "afsluttet")
                            .append('\n');
                }
                Files.writeString(file, rows);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
