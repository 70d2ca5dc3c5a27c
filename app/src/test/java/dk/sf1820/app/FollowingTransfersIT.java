package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ByteProgress;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.testsupport.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Issue 14, following transfers from the command line. {@code ./sf1820 submit --wait} follows its transfer through a running pipeline
 * (a real broker, the emulator) to the outcome, showing packaging and upload as bars with bytes, percent
 * and rate from the stages' own {@code ByteProgress} events, then the receipt, and exits by outcome:
 * 0 delivered, 1 rejected by the platform, 5 no receipt in time. Standard output holds only the transferId.
 * The platform scans on demand here, so each test decides what the platform does and when.
 * {@code ./sf1820 status --watch} shows the table again and again, with a transfer submitted meanwhile,
 * until interrupted.
 */
class FollowingTransfersIT {

    static final EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1)
            .brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "group.initial.rebalance.delay.ms", "0"));
    static final Pattern TRANSFER_ID = Pattern.compile("(?m)^([0-9a-f-]{36})$");

    @TempDir
    static Path work;

    static ConfigurableApplicationContext pipeline;
    static ServiceplatformEmulator platform;

    @BeforeAll
    static void startPipeline() {
        kafka.afterPropertiesSet();
        pipeline = Sf1820Application.start(
                List.of(
                        "--sf1820.work-dir=" + work,
                        "--sf1820.embedded.kafka=false",
                        "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                        "--sf1820.embedded.scan-interval=0s",
                        "--sf1820.receipt-tracker.poll-interval=300ms",
                        "--sf1820.receipt-tracker.timeout=8s",
                        "--sf1820.receipt-tracker.punctuate-interval=500ms",
                        "--sf1820.dst-receiver.poll-interval=300ms"),
                Map.of());
        platform = pipeline.getBean(ServiceplatformEmulator.class);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        kafka.destroy();
    }

    @Test
    void followsADeliveredTransferWithProgressBarsAndExitsZero() throws Exception {
        Path extract = extract("ksd.csv", 3_000_000);
        Waiting submit = Waiting.submit("KSD", extract);

        // When the platform scans once the trigger is there
        String transferId = submit.transferId();
        awaitEvent(Topics.TRANSFER_UPLOADED.name(), transferId);
        platform.scanNow();

        // Then
        assertThat(submit.exitCode()).isZero();
        System.out.println("submit --wait showed:" + System.lineSeparator() + submit.err()); // for the report
        assertThat(submit.out()).isEqualTo(transferId + System.lineSeparator());
        long packageBytes = ((PackageReady) awaitEvent(Topics.PACKAGE_READY.name(), transferId)).getSizeBytes();
        String extractBytes = SubmitProgress.Bytes.of(Files.size(extract));
        assertThat(submit.err())
                .containsPattern("(?m)^following +" + transferId + ": waiting for the packager")
                .containsPattern("(?m)^packaging +\\[#{24}\\] 100%  "
                        + Pattern.quote(extractBytes + " of " + extractBytes) + "  [0-9.]+ [kMG]?B/s$")
                .containsPattern(
                        "(?m)^packaged +" + Pattern.quote(extractBytes + " → " + SubmitProgress.Bytes.of(packageBytes))
                                + " zip KSD_DST_0561_M03_\\d{14}\\.zip in [0-9.]+ s$")
                .containsPattern("(?m)^uploading +\\[#{24}\\] 100%  "
                        + Pattern.quote(
                                SubmitProgress.Bytes.of(packageBytes) + " of " + SubmitProgress.Bytes.of(packageBytes))
                        + "  [0-9.]+ [kMG]?B/s$")
                .containsPattern(
                        "(?m)^uploaded +.* to 127\\.0\\.0\\.1:\\d+:/OUT/KSD_DST_0561_M03_\\d{14}\\.zip, trigger written; [0-9.]+ s in all$")
                .containsPattern("(?m)^awaiting receipt")
                .containsPattern("(?m)^receipt +positive .*\\.sftpreceipt after [0-9.]+ s$")
                .containsPattern(
                        "(?m)^outcome +DELIVERED KSD_DST_0561_M03_\\d{14}\\.zip \\([0-9.]+ s after submit\\)$");
        // the bars come from the stages' own events: every byte of the package, counted as it was uploaded
        List<ConsumerRecord<String, SpecificRecordBase>> uploads = progress(Topics.UPLOAD_PROGRESS.name(), transferId);
        ByteProgress last = (ByteProgress) uploads.get(uploads.size() - 1).value();
        assertThat(last.getBytesDone()).isEqualTo(packageBytes).isEqualTo(last.getBytesTotal());
        assertThat(progress(Topics.PACKAGING_PROGRESS.name(), transferId))
                .isNotEmpty()
                .allSatisfy(r ->
                        assertThat(((ByteProgress) r.value()).getBytesTotal()).isEqualTo(Files.size(extract)));
    }

    @Test
    void aTransferThePlatformRejectsExitsOne() throws Exception {
        Waiting submit = Waiting.submit("DUBU", extract("dubu.csv", 10_000));
        String transferId = submit.transferId();
        String fileName = ((TransferUploaded) awaitEvent(Topics.TRANSFER_UPLOADED.name(), transferId)).getFileName();
        // an earlier file of the same name that DST has not fetched: the platform refuses (400)
        String dst = pipeline.getBean(FagsystemRegistry.class)
                .requireExtract("DUBU")
                .recipients()
                .get(0);
        Files.writeString(
                work.resolve("serviceplatform")
                        .resolve("users")
                        .resolve(dst)
                        .resolve("IN")
                        .resolve(fileName),
                "earlier");

        platform.scanNow();

        assertThat(submit.exitCode()).isEqualTo(1);
        assertThat(submit.err())
                .containsPattern("(?m)^receipt +negative ")
                .containsPattern("(?m)^outcome +FAILED " + Pattern.quote(fileName) + ": .*400");
    }

    @Test
    void aTransferWithoutReceiptInTimeExitsFive() throws Exception {
        // no scan: the platform never answers
        Waiting submit = Waiting.submit("KY", extract("ky.csv", 10_000));

        assertThat(submit.exitCode()).isEqualTo(5);
        assertThat(submit.err())
                .containsPattern("(?m)^outcome +TIMED OUT KY_DST_0561_M03_\\d{14}\\.zip: no receipt after ");
    }

    @Test
    void statusWatchShowsTheTableAgainWithWhatHappenedMeanwhileUntilInterrupted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread watch = new Thread(
                () -> exit.set(Cli.run(
                        new String[] {
                            "status",
                            "--watch=1",
                            "--fagsystem",
                            "FBS",
                            "--bootstrap-servers",
                            kafka.getBrokersAsString(),
                            "--work-dir",
                            work.toString()
                        },
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        System.err)),
                "status-watch");
        watch.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> out.toString(StandardCharsets.UTF_8).contains("transfer(s)"));

            // When a transfer arrives while it watches
            String transferId = pipeline.getBean(ExtractSubmitter.class)
                    .submit(new ExtractRequest("FBS", "0561", "M03", extract("fbs.csv", 10_000)));

            // Then a later table shows it, and the first did not
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> out.toString(StandardCharsets.UTF_8).contains(transferId));
            String[] tables = out.toString(StandardCharsets.UTF_8).split("(?m)^sf1820 status at ");
            assertThat(tables[1])
                    .contains("every 1 s; Ctrl-C stops", "0 transfer(s)")
                    .doesNotContain(transferId);
            assertThat(List.of(tables).subList(2, tables.length))
                    .anySatisfy(t -> assertThat(t).contains(transferId, "FBS"));
        } finally {
            watch.interrupt();
            watch.join(Duration.ofSeconds(60).toMillis());
        }
        assertThat(watch.isAlive()).as("stopped by the interrupt").isFalse();
        assertThat(exit.get()).isZero();
    }

    private static Path extract(String name, int bytes) throws Exception {
        StringBuilder rows = new StringBuilder("sagsnummer;beloeb\n");
        for (int i = 0; rows.length() < bytes; i++) {
            rows.append("SAG-")
                    .append(i)
                    .append(';')
                    .append(i % 997)
                    .append(",")
                    .append(i % 100)
                    .append('\n');
        }
        return Files.writeString(work.resolve(name), rows);
    }

    private static SpecificRecordBase awaitEvent(String topic, String transferId) {
        try (TopicReader<SpecificRecordBase> reader = TopicReader.events(kafka.getBrokersAsString(), topic)) {
            return reader.await(transferId).value();
        }
    }

    private static List<ConsumerRecord<String, SpecificRecordBase>> progress(String topic, String transferId) {
        return TopicReader.readAll(kafka.getBrokersAsString(), topic).stream()
                .filter(r -> transferId.equals(r.key()))
                .toList();
    }

    /** {@code ./sf1820 submit --wait} running in-process, as an operator's terminal would run it. */
    record Waiting(CompletableFuture<Integer> exit, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr) {

        static Waiting submit(String fagsystem, Path file) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                    new String[] {
                        "submit",
                        "--wait",
                        "--fagsystem",
                        fagsystem,
                        "--authority",
                        "0561",
                        "--period",
                        "M03",
                        "--bootstrap-servers",
                        kafka.getBrokersAsString(),
                        "--work-dir",
                        work.toString(),
                        file.toString()
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
            return new Waiting(exit, out, err);
        }

        String transferId() {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> TRANSFER_ID.matcher(out()).find() || exit.isDone());
            Matcher id = TRANSFER_ID.matcher(out());
            assertThat(id.find()).as("transferId printed; stderr: %s", err()).isTrue();
            return id.group(1);
        }

        int exitCode() throws Exception {
            return exit.get(90, TimeUnit.SECONDS);
        }

        String out() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }
}
