package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.testsupport.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Issue 5: what became of a transfer can be told afterwards from Kafka alone. Two extracts go through
 * the whole pipeline on a real broker and the emulator; the platform delivers one and rejects the
 * other (a file of that name still waits in DST's IN, code 400). Then {@code audit} shows each
 * transfer's every stage in order, {@code status} counts what the topics hold, the HTTP interface
 * says the same, and all of it again from fresh processes after the pipeline has stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditCommandIT {

    static final EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1)
            .brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "group.initial.rebalance.delay.ms", "0"));
    /** The packager's deletion of a staged extract or package, as the timeline names it. */
    static final String STAGING_DELETION = "packager HousekeepingPerformed";
    /** A line of the printed timeline: time, stage, event type, topic@partition:offset. */
    static final Pattern TIMELINE_LINE = Pattern.compile("(?m)^  \\S+\\s+(\\S+)\\s+(\\S+)\\s+sf1820\\.\\S+@\\d+:\\d+$");

    @TempDir
    static Path work;

    static ConfigurableApplicationContext pipeline;
    static String delivered;
    static String rejected;
    static String deliveredFileName;
    static String rejectedFileName;

    @BeforeAll
    static void deliverOneAndHaveOneRejected() throws Exception {
        kafka.afterPropertiesSet();
        pipeline = Sf1820Application.start(
                true,
                List.of(
                        "--sf1820.work-dir=" + work,
                        "--sf1820.embedded.kafka=false",
                        "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                        "--server.port=0",
                        "--sf1820.embedded.scan-interval=0s",
                        "--sf1820.receipt-tracker.poll-interval=300ms",
                        "--sf1820.dst-receiver.poll-interval=300ms"),
                Map.of());
        FagsystemRegistry registry = pipeline.getBean(FagsystemRegistry.class);
        Fagsystem dubu = registry.requireExtract("DUBU");
        ExtractSubmitter submitter = pipeline.getBean(ExtractSubmitter.class);
        delivered = submitter.submit(new ExtractRequest(
                "KSD", "0561", "M03", Files.writeString(work.resolve("ksd.csv"), "sagsnummer;beloeb\nKSD-1;12,50\n")));
        rejected = submitter.submit(new ExtractRequest(
                "DUBU",
                "0561",
                "M03",
                Files.writeString(work.resolve("dubu.csv"), "sagsnummer;beloeb\nDUBU-1;7,25\n")));
        try (TopicReader<SpecificRecordBase> uploads =
                TopicReader.events(kafka.getBrokersAsString(), Topics.TRANSFER_UPLOADED.name())) {
            deliveredFileName = ((TransferUploaded) uploads.await(delivered).value()).getFileName();
            rejectedFileName = ((TransferUploaded) uploads.await(rejected).value()).getFileName();
        }
        // an earlier file of the same name that DST has not fetched: the platform must refuse (400)
        Path users = work.resolve("serviceplatform").resolve("users");
        Files.writeString(users.resolve(dubu.recipients().get(0)).resolve("IN").resolve(rejectedFileName), "earlier");

        ScanReport scan = pipeline.getBean(ServiceplatformEmulator.class).scanNow();

        assertThat(scan.trigger(deliveredFileName + ".trigger").orElseThrow().succeeded())
                .isTrue();
        assertThat(scan.trigger(rejectedFileName + ".trigger").orElseThrow().errorCodes())
                .containsExactly(400);
        try (TopicReader<SpecificRecordBase> outcomes =
                TopicReader.events(kafka.getBrokersAsString(), Topics.DELIVERY_OUTCOME.name())) {
            outcomes.await(delivered);
            outcomes.await(rejected);
        }
        // the sender's duty after a failure: the rejected data file leaves OUT
        Path rejectedInOut = users.resolve(dubu.sftpUser()).resolve("OUT").resolve(rejectedFileName);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(rejectedInOut));
        try (TopicReader<SpecificRecordBase> housekeeping =
                TopicReader.events(kafka.getBrokersAsString(), Topics.HOUSEKEEPING.name())) {
            // the receipt tracker's FAILED_DATA_FILE_DELETED and the packager's EXTRACT_DELETED
            housekeeping.await(rejected, 2);
            // the packager's EXTRACT_DELETED and, once delivered, PACKAGE_DELETED (issue 12)
            housekeeping.await(delivered, 2);
        }
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        kafka.destroy();
    }

    @Test
    void auditShowsEveryStageOfADeliveredAndARejectedTransferInOrder() {
        String deliveredAudit = cli("audit", delivered);
        assertThat(steps(deliveredAudit))
                .filteredOn(step -> !step.equals(STAGING_DELETION))
                .containsExactly(
                        "extractor ExtractReady",
                        "packager PackageReady",
                        "transporter TransferUploaded",
                        "receipt-tracker ReceiptReceived",
                        "receipt-tracker DeliverySucceeded");
        // the staged extract leaves once packaged (its moment races the upload), the package once delivered
        assertThat(steps(deliveredAudit)).filteredOn(STAGING_DELETION::equals).hasSize(2);
        assertThat(steps(deliveredAudit)).last().isEqualTo(STAGING_DELETION);
        assertThat(deliveredAudit).contains("EXTRACT_DELETED").contains("PACKAGE_DELETED");
        assertThat(deliveredAudit)
                .contains("transfer " + delivered + "  fagsystem=KSD authority=0561 period=M03")
                .containsPattern("sha256 +[0-9a-f]{64}")
                .containsPattern("remoteDataPath +/OUT/" + Pattern.quote(deliveredFileName))
                .containsPattern("fileTransferUUID +[0-9a-f-]{36}")
                .containsPattern("receiptPath +/IN/" + Pattern.quote(deliveredFileName) + ".sftpreceipt");
        assertThat(cli("audit", deliveredFileName))
                .as("found by data file name too")
                .isEqualTo(deliveredAudit);

        String rejectedAudit = cli("audit", rejected);
        assertThat(steps(rejectedAudit))
                .filteredOn(step -> !step.equals(STAGING_DELETION))
                .containsExactly(
                        "extractor ExtractReady",
                        "packager PackageReady",
                        "transporter TransferUploaded",
                        "receipt-tracker ReceiptReceived",
                        "receipt-tracker DeliveryFailed",
                        "receipt-tracker HousekeepingPerformed");
        assertThat(rejectedAudit)
                .contains("400 A file of that name still waits in a recipient's IN folder")
                .contains("FAILED_DATA_FILE_DELETED");
        // a failed transfer's package stays for the retention: only its staged extract was deleted
        assertThat(steps(rejectedAudit)).filteredOn(STAGING_DELETION::equals).hasSize(1);
        assertThat(rejectedAudit).contains("EXTRACT_DELETED").doesNotContain("PACKAGE_DELETED");
    }

    @Test
    void statusCountsWhatTheTopicsHoldAndNamesTheFailure() {
        String status = cli("status");

        assertThat(status)
                .contains("2 transfer(s): SUCCEEDED=1 FAILED=1")
                .contains("1 need(s) attention:")
                .containsPattern("(?m)^  " + rejected + "  DUBU 0561 M03  FAILED: \\[400 ");
        assertThat(status.lines().filter(l -> l.startsWith(delivered)))
                .singleElement()
                .asString()
                .contains("SUCCEEDED")
                .contains(deliveredFileName);
        assertThat(cli("status", "--fagsystem", "ksd"))
                .contains("1 transfer(s): SUCCEEDED=1")
                .contains("nothing needs attention")
                .doesNotContain(rejected);
        assertThat(cli("status", "--authority", "0101")).contains("0 transfer(s):");
    }

    @Test
    void httpInterfaceOfTheRunningProcessServesTheSame() throws Exception {
        String base = "http://127.0.0.1:" + pipeline.getEnvironment().getRequiredProperty("local.server.port");

        HttpResponse<String> audit = get(base + "/transfers/" + rejected + "/audit");
        HttpResponse<String> transfers = get(base + "/transfers?fagsystem=DUBU");
        HttpResponse<String> unknown = get(base + "/transfers/no-such-transfer/audit");

        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.body())
                .contains("\"transferId\":\"" + rejected + "\"")
                .containsSubsequence(
                        "\"ExtractReady\"",
                        "\"PackageReady\"",
                        "\"TransferUploaded\"",
                        "\"ReceiptReceived\"",
                        "\"DeliveryFailed\"",
                        "\"HousekeepingPerformed\"");
        assertThat(transfers.statusCode()).isEqualTo(200);
        assertThat(transfers.body()).contains(rejected).contains("\"FAILED\":1").doesNotContain(delivered);
        assertThat(unknown.statusCode()).isEqualTo(404);
        // the reason reaches the client, not only "Not Found"
        assertThat(unknown.body()).contains("no transfer with id or data file name 'no-such-transfer'");
        HttpResponse<String> badState = get(base + "/transfers?state=DELIVERD");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(badState.body()).contains("unknown state 'DELIVERD'");
        HttpResponse<String> health = get(base + "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    @Test
    @Order(Integer.MAX_VALUE) // stops the pipeline
    void freshProcessesAfterThePipelineStoppedTellTheSame() {
        String audit = cli("audit", rejected);
        String status = cli("status");

        pipeline.close();
        pipeline = null;

        assertThat(cli("audit", rejected)).isEqualTo(audit);
        assertThat(cli("status")).isEqualTo(status);
        assertThat(cli("audit", "no-such-transfer"))
                .contains("no transfer with id or data file name 'no-such-transfer'");
    }

    @Test
    void everyTopicOfTheAuditTrailKeepsItsEventsForever() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()))) {
            List<ConfigResource> topics = Topics.ALL.stream()
                    .flatMap(t -> Stream.of(t.name(), t.deadLetter()))
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                    .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(topics).all().get();
            assertThat(configs).hasSize(topics.size());
            configs.forEach((topic, config) -> assertThat(
                            config.get(TopicConfig.RETENTION_MS_CONFIG).value())
                    .as("retention.ms of %s", topic.name())
                    .isEqualTo("-1"));
        }
    }

    /** Runs the command line as {@code ./sf1820} would, in a fresh Spring context against the test broker. */
    private static String cli(String... args) {
        return CliAgainstBroker.run(kafka.getBrokersAsString(), work, args);
    }

    /** "stage EventType" for every line of the printed timeline(s), in order. */
    private static List<String> steps(String printed) {
        Matcher line = TIMELINE_LINE.matcher(printed);
        List<String> steps = new java.util.ArrayList<>();
        while (line.find()) {
            steps.add(line.group(1) + " " + line.group(2));
        }
        return steps;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
