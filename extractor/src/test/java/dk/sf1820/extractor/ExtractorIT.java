package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dk.sf1820.extractor.SubmissionLedger.Unannounced;
import dk.sf1820.extractor.query.QueryExtractor;
import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.ResendRequested;
import dk.sf1820.testsupport.TopicReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
        classes = ExtractorIT.Stage.class,
        properties = {"spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "sf1820.kafka.partitions=1"})
@EmbeddedKafka
// The context's pollers write into the static @TempDir folders: close it before JUnit deletes them.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ExtractorIT {

    static final Instant NOW = Instant.parse("2026-03-31T22:30:00Z");

    @TempDir
    static Path staging;

    @TempDir
    Path exports;

    @TempDir
    static Path drop;

    static final String H2_URL = "jdbc:h2:mem:extractor-it;DB_CLOSE_DELAY=-1";

    @DynamicPropertySource
    static void stagingDir(DynamicPropertyRegistry registry) {
        registry.add("sf1820.extractor.staging-dir", staging::toString);
        registry.add("sf1820.extractor.drop-folder.dir", drop::toString);
        registry.add("sf1820.extractor.drop-folder.poll-interval", () -> "200ms");
        registry.add("sf1820.extractor.drop-folder.instance", () -> "it");
        String dataset = "sf1820.extractor.datasets.ksd-sygedage.";
        registry.add(dataset + "fagsystem", () -> "KSD");
        registry.add(dataset + "authority", () -> "561");
        registry.add(
                dataset + "sql",
                () -> "select cpr, navn, dage, fra from sygedage"
                        + " where fra >= :period_start and fra < :period_end order by cpr");
        registry.add(dataset + "columns", () -> "cpr,navn,dage,fra");
        registry.add(dataset + "encoding", () -> "ISO-8859-1");
        registry.add(dataset + "date-format", () -> "dd.MM.yyyy");
        registry.add(dataset + "jdbc.url", () -> H2_URL);
        registry.add(dataset + "jdbc.username", () -> "sa");
    }

    /** The stage as the app runs it, with what the app would provide. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ExtractorConfiguration.class)
    static class Stage {

        @Bean
        Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Autowired
    ExtractSubmitter submitter;

    @Autowired
    QueryExtractor queryExtractor;

    @Autowired
    ExtractStager stager;

    @Autowired
    SubmissionLedger ledger;

    @Autowired
    EventPublisher publisher;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    TopicReader<SpecificRecordBase> extractReady;

    @BeforeEach
    void openTopic() {
        extractReady = TopicReader.events(brokers, Topics.EXTRACT_READY.name());
    }

    @AfterEach
    void closeTopic() {
        extractReady.close();
    }

    @Test
    void submittedExtractIsStagedAndAnnouncedOnTheExtractTopic() throws Exception {
        Path file = Files.writeString(exports.resolve("ksd-2026-03.csv"), "cpr;dage\n0101010101;12\n");

        String transferId = submitter.submit(new ExtractRequest("KSD", "561", "M03", file));

        ConsumerRecord<String, SpecificRecordBase> record =
                extractReady.await(transferId, 1).get(0);
        assertThat(record.value()).isInstanceOf(ExtractReady.class);
        ExtractReady event = (ExtractReady) record.value();
        assertThat(event.getTransferId()).isEqualTo(transferId);
        assertThat(event.getFagsystem()).isEqualTo("KSD");
        assertThat(event.getAuthority()).isEqualTo("0561");
        assertThat(event.getPeriod()).isEqualTo("M03");
        assertThat(event.getOccurredAt()).isEqualTo(NOW);
        assertThat(event.getOriginalFileName()).isEqualTo("ksd-2026-03.csv");
        assertThat(event.getSource()).isEqualTo("submit");
        assertThat(event.getSizeBytes()).isEqualTo(Files.size(file));
        Path staged = Path.of(URI.create(event.getStagedFile()));
        assertThat(staged).startsWith(staging).hasSameBinaryContentAs(file);
    }

    @Test
    void theSameExtractSubmittedTwiceIsRecognisedAndAnnouncedOnce() throws Exception {
        Path file = Files.writeString(exports.resolve("ky.csv"), "ydelse;beloeb\n1;100\n");
        String first = submitter.submit(new ExtractRequest("KY", "0101", "K1", file));

        // The same extract again, also when the authority is written without its leading zero
        assertThatThrownBy(() -> submitter.submit(new ExtractRequest("KY", "101", "K1", file)))
                .isInstanceOfSatisfying(
                        DuplicateExtractException.class,
                        e -> assertThat(e.earlierTransferId()).isEqualTo(first))
                .hasMessageContaining("was submitted before, at " + NOW)
                .hasMessageContaining("as transferId " + first)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("resend");

        assertThat(eventsFor(first)).hasSize(1);
    }

    @Test
    void aResendIsANewDeliveryOfTheSameExtractOnPurpose() throws Exception {
        Path file = Files.writeString(exports.resolve("kp.csv"), "pension;beloeb\n1;200\n");
        String first = submitter.submit(new ExtractRequest("KP", "0561", "M02", file));

        String resent = submitter.submit(new ExtractRequest("KP", "0561", "M02", file, true));
        String resentAgain = submitter.submit(new ExtractRequest("KP", "0561", "M02", file, true));

        assertThat(List.of(first, resent, resentAgain)).doesNotHaveDuplicates();
        ExtractReady original = (ExtractReady) extractReady.await(first).value();
        ExtractReady again = (ExtractReady) extractReady.await(resent).value();
        assertThat(again.getSha256()).isEqualTo(original.getSha256());
        assertThat(again.getStagedFile()).isNotEqualTo(original.getStagedFile());
        assertThat(eventsFor(resent)).hasSize(1);
    }

    @Test
    void anOperatorsResendDeliveredTwiceIsCarriedOutOnce() throws Exception {
        ResendRequested action = resendOf("kp-resend.csv", "pension;beloeb\n7;700\n");
        ResendRequested nextAction = resendOf("kp-resend-next.csv", "pension;beloeb\n8;800\n");

        // The same action twice, as after a crash between staging its resend and committing its offset
        publisher.publish(Topics.OPERATOR_ACTIONS, action);
        publisher.publish(Topics.OPERATOR_ACTIONS, action);
        publisher.publish(Topics.OPERATOR_ACTIONS, nextAction);

        // One partition, read in order: once the next action is carried out, both deliveries were handled
        await().atMost(Duration.ofSeconds(30)).until(() -> announced("kp-resend-next.csv"), Optional::isPresent);
        List<ExtractReady> resends = TopicReader.readAll(brokers, Topics.EXTRACT_READY.name()).stream()
                .map(r -> (ExtractReady) r.value())
                .filter(e -> e.getOriginalFileName().equals("kp-resend.csv"))
                .toList();
        assertThat(resends)
                .singleElement()
                .satisfies(
                        e -> assertThat(e.getTransferId()).isEqualTo(TransferIds.ofResendAction(action.getEventId())))
                .satisfies(
                        e -> assertThat(Path.of(URI.create(e.getStagedFile()))).hasContent("pension;beloeb\n7;700\n"));
    }

    /** An operator's resend of a failed transfer whose package holds {@code content} as {@code name}. */
    private ResendRequested resendOf(String name, String content) throws Exception {
        Path zip = exports.resolve(name + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(name));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return ResendRequested.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTransferId(UUID.randomUUID().toString())
                .setFagsystem("KP")
                .setAuthority("0561")
                .setPeriod("M08")
                .setOccurredAt(NOW)
                .setRequestedBy("local@127.0.0.1")
                .setReason("DST's IN folder is back")
                .setPackageRef(zip.toUri().toString())
                .setOriginalFileName(name)
                .setSource("submit")
                .build();
    }

    @Test
    void aFileDroppedWithItsDoneMarkerIsTakenOnceAndAnnounced() throws Exception {
        Path folder =
                Files.createDirectories(drop.resolve("DUBU").resolve("0561").resolve("K2"));
        Path file = Files.writeString(folder.resolve("dubu-k2.csv"), "sag;foranstaltning\n1;2\n");
        Files.createFile(folder.resolve("dubu-k2.csv.done"));

        ConsumerRecord<String, SpecificRecordBase> record = await().atMost(Duration.ofSeconds(20))
                .until(() -> announced("dubu-k2.csv"), Optional::isPresent)
                .get();

        ExtractReady event = (ExtractReady) record.value();
        assertThat(event.getSource()).isEqualTo("drop-folder");
        assertThat(event.getFagsystem()).isEqualTo("DUBU");
        assertThat(event.getPeriod()).isEqualTo("K2");
        assertThat(Path.of(URI.create(event.getStagedFile()))).hasContent("sag;foranstaltning\n1;2\n");
        assertThat(file).doesNotExist();
        assertThat(folder.resolve("dubu-k2.csv.done")).doesNotExist();
        assertThat(eventsFor(event.getTransferId())).hasSize(1);
    }

    @Test
    void aDatasetQueryStreamsItsRowsIntoTheStagingAreaAndCountsThem() throws Exception {
        try (Connection db = DriverManager.getConnection(H2_URL, "sa", "");
                Statement sql = db.createStatement()) {
            sql.execute("create table sygedage (cpr varchar(10), navn varchar(40), dage decimal(5,1), fra date)");
            sql.execute(
                    "insert into sygedage values ('0101010101', 'Søren Ærø', 12.5, date '2026-03-02'),"
                            + " ('0202020202', 'Åse; \"Ø\"', 3.0, date '2026-03-30'), ('0303030303', 'April', 1, date '2026-04-01')");
        }

        String transferId = queryExtractor.run("ksd-sygedage", "2026M03", false);

        ExtractReady event = (ExtractReady) extractReady.await(transferId).value();
        assertThat(event.getSource()).isEqualTo("query");
        assertThat(event.getDataset()).isEqualTo("ksd-sygedage");
        assertThat(event.getRowCount()).isEqualTo(2L);
        assertThat(event.getEncoding()).isEqualTo("ISO-8859-1");
        assertThat(event.getPeriod()).isEqualTo("2026M03");
        assertThat(event.getOriginalFileName()).isEqualTo("ksd-sygedage.csv");
        assertThat(Files.readString(Path.of(URI.create(event.getStagedFile())), StandardCharsets.ISO_8859_1))
                .isEqualTo("cpr;navn;dage;fra\n0101010101;Søren Ærø;12,5;02.03.2026\n"
                        + "0202020202;\"Åse; \"\"Ø\"\"\";3,0;30.03.2026\n");
    }

    @Test
    void anExtractKafkaDidNotAcknowledgeStaysRecordedAndTheAnnouncerPublishesItsRecordedEventOnce() throws Exception {
        Path file = Files.writeString(exports.resolve("ksd-outage.csv"), "cpr;dage\n0404040404;7\n");
        // Given Kafka is unreachable when the extract is submitted
        ExtractNotAnnouncedException notAnnounced;
        try (UnreachableKafka kafka = new UnreachableKafka()) {
            notAnnounced = catchThrowableOfType(
                    ExtractNotAnnouncedException.class,
                    () -> new ExtractSubmitter(stager, kafka.publisher())
                            .submit(new ExtractRequest("KSD", "0561", "M05", file)));
        }
        // Then the submission is not given up: it stays recorded, with the event that will announce it
        assertThat(notAnnounced).hasMessageContaining("will be announced when Kafka is reachable");
        String transferId = notAnnounced.transferId();
        Unannounced recorded = ledger.unannounced().stream()
                .filter(r -> r.transferId().equals(transferId))
                .findFirst()
                .orElseThrow();

        // When the announcer looks within its grace (the submission may still be publishing), it leaves the record
        announcer(Duration.ofSeconds(29)).announceOverdue();
        assertThat(ledger.isPublished(transferId)).isFalse();
        // and when it looks after the grace, Kafka reachable again
        announcer(Duration.ofSeconds(30)).announceOverdue();

        // Then the recorded event is on the topic, and only once however often the announcer looks
        ExtractReady event = (ExtractReady) extractReady.await(transferId).value();
        assertThat(event).isEqualTo(recorded.announcement());
        assertThat(Path.of(URI.create(event.getStagedFile()))).hasSameBinaryContentAs(file);
        assertThat(ledger.isPublished(transferId)).isTrue();
        announcer(Duration.ofMinutes(5)).announceOverdue();
        assertThat(eventsFor(transferId)).hasSize(1);
    }

    @Test
    void theAnnouncerLeavesARecordWhoseStagedCopyIsNotTheRecordedOne() throws Exception {
        Path file = Files.writeString(exports.resolve("ky-outage.csv"), "ydelse;beloeb\n9;900\n");
        ExtractNotAnnouncedException notAnnounced;
        try (UnreachableKafka kafka = new UnreachableKafka()) {
            notAnnounced = catchThrowableOfType(
                    ExtractNotAnnouncedException.class,
                    () -> new ExtractSubmitter(stager, kafka.publisher())
                            .submit(new ExtractRequest("KY", "0561", "M05", file)));
        }
        String transferId = notAnnounced.transferId();
        Path staged = Path.of(URI.create(ledger.unannounced().stream()
                .filter(r -> r.transferId().equals(transferId))
                .findFirst()
                .orElseThrow()
                .announcement()
                .getStagedFile()));
        Files.writeString(staged, "ydelse;beloeb\n9;999\n"); // same size, other bytes

        announcer(Duration.ofMinutes(5)).announceOverdue();

        assertThat(ledger.isPublished(transferId)).isFalse();
        assertThat(eventsFor(transferId)).isEmpty();
    }

    /** The announcer with its default grace of 30 s, looking when {@code elapsed} has passed since NOW. */
    private ExtractAnnouncer announcer(Duration elapsed) {
        return new ExtractAnnouncer(
                ledger, submitter, staging, Duration.ofSeconds(30), Clock.fixed(NOW.plus(elapsed), ZoneOffset.UTC));
    }

    private Optional<ConsumerRecord<String, SpecificRecordBase>> announced(String originalName) {
        return TopicReader.readAll(brokers, Topics.EXTRACT_READY.name()).stream()
                .filter(r -> r.value() instanceof ExtractReady e
                        && e.getOriginalFileName().equals(originalName))
                .findFirst();
    }

    private List<ConsumerRecord<String, SpecificRecordBase>> eventsFor(String transferId) {
        return TopicReader.readAll(brokers, Topics.EXTRACT_READY.name()).stream()
                .filter(r -> r.key().equals(transferId))
                .toList();
    }
}
