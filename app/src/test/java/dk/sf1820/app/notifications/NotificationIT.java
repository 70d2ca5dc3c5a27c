package dk.sf1820.app.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dk.sf1820.app.Sf1820Application;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.avro.ReceiptError;
import dk.sf1820.schemas.events.EventSerializer;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Issue 14, notifications: the operator gets one mail each for a failed delivery, a timed-out one, a
 * file near the platform's 30-day deletion and a dead letter (a real one: the packager refuses an
 * ExtractReady whose staged file is missing), from a real broker to a real SMTP server; none for a
 * success or an event older than max-event-age; and none again when the same events come a second
 * time: re-published, and redelivered to a restarted notifier whose offsets went back to the beginning.
 */
class NotificationIT {

    static final EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1)
            .brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "group.initial.rebalance.delay.ms", "0"));

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @TempDir
    static Path work;

    static KafkaProducer<String, SpecificRecordBase> producer;
    static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        // the staging area exists (a missing one is an unmounted volume, retried); the extract's file in it does not
        Files.createDirectories(work.resolve("staging"));
        kafka.afterPropertiesSet();
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.getBrokersAsString(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new EventSerializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()));
    }

    @AfterAll
    static void stopBroker() {
        producer.close();
        admin.close();
        kafka.destroy();
    }

    @Test
    void mailsOncePerTransferAndEventThroughRepublishingAndRestart() throws Exception {
        // Given the packager and the notifier, mail on
        ConfigurableApplicationContext app = start();
        String failedTransfer = UUID.randomUUID().toString();
        String refusedTransfer = UUID.randomUUID().toString();
        DeliveryFailed failed = deliveryFailed(failedTransfer);
        ExtractReady missingFile = extractWithoutStagedFile(refusedTransfer);

        String timedOutTransfer = UUID.randomUUID().toString();
        String lingeringTransfer = UUID.randomUUID().toString();

        // When a delivery fails, one times out, a file nears the 30-day deletion, another delivery succeeds,
        // a failure from long ago is read, and the packager dead-letters an extract
        publish(Topics.DELIVERY_OUTCOME.name(), failedTransfer, failed);
        publish(Topics.DELIVERY_OUTCOME.name(), timedOutTransfer, deliveryTimedOut(timedOutTransfer));
        publish(Topics.HOUSEKEEPING.name(), lingeringTransfer, deadlineNear(lingeringTransfer));
        DeliverySucceeded succeeded = deliverySucceeded();
        publish(Topics.DELIVERY_OUTCOME.name(), succeeded.getTransferId(), succeeded);
        DeliveryFailed longAgo = deliveryFailed(UUID.randomUUID().toString());
        longAgo.setOccurredAt(Instant.now().minus(Duration.ofDays(30)));
        publish(Topics.DELIVERY_OUTCOME.name(), longAgo.getTransferId(), longAgo);
        publish(Topics.EXTRACT_READY.name(), refusedTransfer, missingFile);
        String rejectedTransfer = UUID.randomUUID().toString();
        publish(Topics.RECEIPT_RECEIVED.name(), rejectedTransfer, businessReceipt(rejectedTransfer, "REJECTED"));
        publish(
                Topics.RECEIPT_RECEIVED.name(),
                succeeded.getTransferId(),
                businessReceipt(succeeded.getTransferId(), "ACCEPTED"));

        // Then exactly five mails arrive: failure, timeout, deadline, dead letter and the recipient's rejection,
        // each saying what to do
        assertThat(smtp.waitForIncomingEmail(60_000, 5)).as("five mails").isTrue();
        awaitNotifierCaughtUp();
        Map<String, MimeMessage> mails = mailsBySubject();
        assertThat(mails).hasSize(5);
        assertThat(text(mail(mails, "Rejected by the recipient")))
                .contains("transferId: " + rejectedTransfer)
                .contains("cause:      DST-CEMOS-SFTPUsername answered REJECTED: the rows of M03 are missing")
                .contains("./sf1820 audit " + rejectedTransfer);
        assertThat(mail(mails, "No receipt in time").getSubject())
                .isEqualTo("[sf1820] No receipt in time: " + "KY_DST_0561_K1_20260301120000.zip (transferId "
                        + timedOutTransfer + ")");
        assertThat(text(mail(mails, "No receipt in time"))).contains("./sf1820 audit " + timedOutTransfer);
        assertThat(mail(mails, "File near the platform's 30-day deletion").getSubject())
                .isEqualTo(
                        "[sf1820] File near the platform's 30-day deletion: FBS_DST_0561_M02_20260201120000.zip (transferId "
                                + lingeringTransfer + ")");
        assertThat(text(mail(mails, "File near the platform's 30-day deletion")))
                .contains("cause:      FBS_SFTP:/OUT/FBS_DST_0561_M02")
                .contains("./sf1820 audit " + lingeringTransfer);

        MimeMessage failure = mail(mails, "Delivery failed");
        assertThat(failure.getSubject())
                .isEqualTo("[sf1820] Delivery failed: KSD_DST_0561_M03_20260301120000.zip (transferId " + failedTransfer
                        + ")");
        assertThat(failure.getFrom()[0].toString()).isEqualTo("sf1820@kommune.example");
        assertThat(failure.getAllRecipients()[0].toString()).isEqualTo("drift@kommune.example");
        assertThat(text(failure))
                .contains("transferId: " + failedTransfer)
                .contains("file:       KSD_DST_0561_M03_20260301120000.zip")
                .contains("transfer:   KSD 0561 M03")
                .contains("cause:      104 FILE_UNREADABLE: The data file could not be read")
                .contains("./sf1820 audit " + failedTransfer);

        MimeMessage deadLetter = mail(mails, "Dead letter");
        assertThat(deadLetter.getSubject())
                .isEqualTo("[sf1820] Dead letter: extract.csv (transferId " + refusedTransfer + ")");
        assertThat(text(deadLetter))
                .contains("transferId: " + refusedTransfer)
                .contains("file:       extract.csv")
                .contains("on sf1820.extract.ready.dlt (from sf1820.extract.ready/")
                .contains("does not exist")
                .contains("./sf1820 audit " + refusedTransfer);

        // When the same events come again: re-published
        publish(Topics.DELIVERY_OUTCOME.name(), failedTransfer, failed);
        publish(Topics.EXTRACT_READY.name(), refusedTransfer, missingFile);
        awaitNotifierCaughtUp();
        // Then nothing more is sent
        assertThat(smtp.getReceivedMessages()).hasSize(5);

        // When the notifier restarts and, its offsets gone back to the beginning, reads everything again
        app.close();
        resetNotifierOffsetsToBeginning();
        app = start();
        try {
            awaitNotifierCaughtUp();
            // Then nothing more is sent either
            assertThat(smtp.getReceivedMessages()).hasSize(5);
        } finally {
            app.close();
        }
    }

    private static ConfigurableApplicationContext start() {
        return Sf1820Application.start(
                List.of(
                        "--sf1820.work-dir=" + work,
                        "--sf1820.embedded.kafka=false",
                        "--sf1820.embedded.serviceplatform=false",
                        "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                        "--sf1820.stages=packager,notifier",
                        "--sf1820.kafka.partitions=2",
                        "--sf1820.notifications.enabled=true",
                        "--sf1820.notifications.smtp.host=127.0.0.1",
                        "--sf1820.notifications.smtp.port=" + smtp.getSmtp().getPort(),
                        "--sf1820.notifications.from=sf1820@kommune.example",
                        "--sf1820.notifications.to=drift@kommune.example"),
                Map.of());
    }

    private static void publish(String topic, String key, SpecificRecordBase event) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, event)).get();
    }

    /** The notifier has committed past the end of every topic it reads, so whatever it would send is sent. */
    private static void awaitNotifierCaughtUp() {
        List<String> topics =
                List.of(Topics.DELIVERY_OUTCOME.name(), Topics.HOUSEKEEPING.name(), Topics.EXTRACT_READY.deadLetter());
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                    OperatorNotifier.GROUP)
                            .partitionsToOffsetAndMetadata()
                            .get();
                    Map<TopicPartition, OffsetSpec> latest =
                            admin.describeTopics(topics).allTopicNames().get().values().stream()
                                    .flatMap(t -> t.partitions().stream()
                                            .map(p -> new TopicPartition(t.name(), p.partition())))
                                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
                    return admin.listOffsets(latest).all().get().entrySet().stream()
                            .allMatch(end -> end.getValue().offset() == 0
                                    || committed.containsKey(end.getKey())
                                            && committed.get(end.getKey()).offset()
                                                    >= end.getValue().offset());
                });
    }

    /** The group is empty once the stopped static member's session ended; until then Kafka refuses. */
    private static void resetNotifierOffsetsToBeginning() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                    OperatorNotifier.GROUP)
                            .partitionsToOffsetAndMetadata()
                            .get();
                    admin.alterConsumerGroupOffsets(
                                    OperatorNotifier.GROUP,
                                    committed.keySet().stream()
                                            .collect(Collectors.toMap(p -> p, p -> new OffsetAndMetadata(0))))
                            .all()
                            .get();
                    return true;
                });
    }

    private static Map<String, MimeMessage> mailsBySubject() {
        return Arrays.stream(smtp.getReceivedMessages()).collect(Collectors.toMap(NotificationIT::subject, m -> m));
    }

    private static MimeMessage mail(Map<String, MimeMessage> mails, String headline) {
        return mails.entrySet().stream()
                .filter(e -> e.getKey().startsWith("[sf1820] " + headline + ":"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mail '" + headline + "' among " + mails.keySet()));
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MimeMessage message) throws Exception {
        return message.getContent().toString();
    }

    private static DeliveryFailed deliveryFailed(String transferId) {
        return DeliveryFailed.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTransferId(transferId)
                .setFagsystem("KSD")
                .setAuthority("0561")
                .setPeriod("M03")
                .setOccurredAt(Instant.now())
                .setFileName("KSD_DST_0561_M03_20260301120000.zip")
                .setFileTransferUUID(UUID.randomUUID().toString())
                .setErrors(List.of(new ReceiptError(104, "FILE_UNREADABLE", "The data file could not be read")))
                .build();
    }

    private static BusinessReceiptReceived businessReceipt(String transferId, String acceptance) {
        return BusinessReceiptReceived.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTransferId(transferId)
                .setFagsystem("KSD")
                .setAuthority("0561")
                .setPeriod("M03")
                .setOccurredAt(Instant.now())
                .setSender("KSD_SFTPSIMPEL")
                .setFileName("KSD_DST_0561_M03_20260301120000.zip")
                .setReceiptPath("/IN/KSD_DST_0561_M03_20260301120000.zip.businessreceipt")
                .setFileTransferUUID(null)
                .setRecipient("DST-CEMOS-SFTPUsername")
                .setFileAcceptance(acceptance)
                .setReason("REJECTED".equals(acceptance) ? "the rows of M03 are missing" : null)
                .setCorrelatedBy("FileName")
                .build();
    }

    private static DeliverySucceeded deliverySucceeded() {
        return DeliverySucceeded.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTransferId(UUID.randomUUID().toString())
                .setFagsystem("DUBU")
                .setAuthority("0561")
                .setPeriod("M03")
                .setOccurredAt(Instant.now())
                .setFileName("DUBU_DST_0561_M03_20260301120000.zip")
                .build();
    }

    private static DeliveryTimedOut deliveryTimedOut(String transferId) {
        Instant now = Instant.now();
        return DeliveryTimedOut.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTransferId(transferId)
                .setFagsystem("KY")
                .setAuthority("0561")
                .setPeriod("K1")
                .setOccurredAt(now)
                .setFileName("KY_DST_0561_K1_20260301120000.zip")
                .setUploadedAt(now.minus(Duration.ofMinutes(30)))
                .setWaitedMillis(Duration.ofMinutes(30).toMillis())
                .build();
    }

    private static HousekeepingPerformed deadlineNear(String transferId) {
        Instant now = Instant.now();
        return HousekeepingPerformed.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTransferId(transferId)
                .setFagsystem("FBS")
                .setAuthority("0561")
                .setPeriod("M02")
                .setOccurredAt(now)
                .setAction("DEADLINE_NEAR")
                .setSender("FBS_SFTP")
                .setPath("/OUT/FBS_DST_0561_M02_20260201120000.zip")
                .setLastModified(now.minus(Duration.ofDays(21)))
                .setDetail("unmodified for 21 days")
                .build();
    }

    private static ExtractReady extractWithoutStagedFile(String transferId) {
        return ExtractReady.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTransferId(transferId)
                .setFagsystem("KSD")
                .setAuthority("0561")
                .setPeriod("M03")
                .setOccurredAt(Instant.now())
                .setStagedFile(work.resolve("staging/extracts/" + transferId + "/extract.csv")
                        .toUri()
                        .toString())
                .setOriginalFileName("extract.csv")
                .setSizeBytes(10)
                .setSha256("0".repeat(64))
                .setSource("submit")
                .build();
    }
}
