package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.events.tools.FixtureValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Issue 12: the topics are the audit trail for years, and the schemas change meanwhile. A transfer
 * whose first events were written before ExtractReady gained its encoding (the committed bytes of
 * schema v1, produced raw) and finished after, and a transfer wholly of today, are both told by
 * {@code ./sf1820 audit}: old events with every field they carried, the new field where it exists.
 */
@EmbeddedKafka(
        partitions = 1,
        topics = {"sf1820.extract.ready", "sf1820.package.ready", "sf1820.delivery.outcome"})
class AuditOfOldEventsIT {

    /** After the fixtures' time: the pipeline was upgraded meanwhile. */
    private final Clock today = Clock.fixed(Instant.parse("2026-03-02T11:00:00Z"), ZoneOffset.UTC);

    private final EventSerializer serializer = new EventSerializer();

    @TempDir
    Path work;

    @Test
    void auditPrintsEventsOfTheFirstSchemaVersionBesideTodaysEvents(EmbeddedKafkaBroker broker) throws Exception {
        String old = FixtureValues.TRANSFER_ID;
        String current = "5d1c1b0e-6a1f-4bb4-9f0e-2c2f5b7e0a01";
        // Given a transfer extracted and packaged by the first released version
        // and, after the upgrade, its outcome and a second transfer written by today's code
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.EXTRACT_READY.name(), old, fixture("v1/ExtractReady")))
                    .get();
            producer.send(new ProducerRecord<>(Topics.PACKAGE_READY.name(), old, fixture("v1/PackageReady")))
                    .get();
            producer.send(record(Topics.DELIVERY_OUTCOME.name(), old, succeeded(old)))
                    .get();
            producer.send(record(Topics.EXTRACT_READY.name(), current, extract(current)))
                    .get();
        }

        // When the operator audits both
        String oldAudit = cli(broker, "audit", old);
        String currentAudit = cli(broker, "audit", current);

        // Then the old transfer's whole timeline shows, v1 events with the fields they carried
        assertThat(oldAudit)
                .containsPattern("extractor +ExtractReady +sf1820\\.extract\\.ready@0:0")
                .containsPattern("packager +PackageReady +sf1820\\.package\\.ready@0:0")
                .containsPattern("receipt-tracker +DeliverySucceeded +sf1820\\.delivery\\.outcome@0:0")
                .containsPattern("sha256 +" + FixtureValues.SHA256)
                .containsPattern("rowCount +" + FixtureValues.ROW_COUNT)
                .containsPattern("fileName +" + FixtureValues.FILE_NAME)
                .contains("fagsystem=KSD authority=0561 period=M03")
                .doesNotContain("encoding")
                .doesNotContain("nreadable");
        // and today's events carry the field added since
        assertThat(currentAudit)
                .containsPattern("extractor +ExtractReady +sf1820\\.extract\\.ready@0:1")
                .containsPattern("encoding +UTF-8")
                .doesNotContain("nreadable");
    }

    private ProducerRecord<String, byte[]> record(String topic, String key, SpecificRecordBase event) {
        return new ProducerRecord<>(topic, key, serializer.serialize(topic, event));
    }

    private ExtractReady extract(String transferId) {
        ExtractReady event = new TransferRef(transferId, "KSD", "0561", "M04").stamp(new ExtractReady(), today);
        event.setStagedFile("file:///staging/extracts/" + transferId + "/sygedage.csv");
        event.setOriginalFileName("sygedage.csv");
        event.setSizeBytes(2048);
        event.setSha256("ab".repeat(32));
        event.setSource("query");
        event.setEncoding("UTF-8");
        return event;
    }

    private DeliverySucceeded succeeded(String transferId) {
        DeliverySucceeded event = new TransferRef(
                        transferId, FixtureValues.FAGSYSTEM, FixtureValues.AUTHORITY, FixtureValues.PERIOD)
                .stamp(new DeliverySucceeded(), today);
        event.setFileName(FixtureValues.FILE_NAME);
        return event;
    }

    /** The committed bytes of an event as a released version wrote them (the schemas module's test-jar). */
    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = AuditOfOldEventsIT.class.getResourceAsStream("/fixtures/" + name + ".bin")) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** Runs the command line as {@code ./sf1820} would, in a fresh Spring context against the test broker. */
    private String cli(EmbeddedKafkaBroker broker, String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--bootstrap-servers";
        all[args.length + 1] = broker.getBrokersAsString();
        all[args.length + 2] = "--work-dir";
        all[args.length + 3] = work.toString();
        int status = Cli.run(all, out, out);
        String printed = captured.toString(StandardCharsets.UTF_8);
        System.out.println("$ ./sf1820 " + String.join(" ", args) + " (exit " + status + ")\n" + printed);
        assertThat(status).as(printed).isZero();
        return printed;
    }
}
