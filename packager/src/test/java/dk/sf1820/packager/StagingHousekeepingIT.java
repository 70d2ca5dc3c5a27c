package dk.sf1820.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.testsupport.MutableClock;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** Issue 12, "Personal data in the staging area": what the packager deletes, when, and that the audit says so. */
@TestPropertySource(properties = "sf1820.packager.housekeeping-interval=0s")
@Import(StagingHousekeepingIT.Clocks.class)
class StagingHousekeepingIT extends PackagerOnABroker {

    /** The clock housekeeping reads, moved on by the test instead of waiting out the retention. */
    static class Clocks {

        @Bean
        MutableClock clock() {
            return new MutableClock(Instant.now());
        }
    }

    @Autowired
    StagingHousekeeping housekeeping;

    @Autowired
    MutableClock clock;

    @Test
    void stagedExtractIsDeletedOnceItsPackageIsAnnouncedAndTheAuditSaysSo() throws Exception {
        ExtractReady extract = stage("KSD", "sygedage.csv", "2026-04-01T06:00:00Z");

        publisher.publish(Topics.EXTRACT_READY, extract);

        PackageReady ready = (PackageReady)
                events(Topics.PACKAGE_READY.name(), extract.getTransferId(), 1).get(0);
        HousekeepingPerformed deleted = housekeeping(extract.getTransferId(), 1).get(0);
        assertThat(deleted.getAction()).isEqualTo(HousekeepingAction.EXTRACT_DELETED.name());
        assertThat(deleted.getPath()).isEqualTo(extractDir(extract).toString());
        assertThat(deleted.getFagsystem()).isEqualTo("KSD");
        assertThat(deleted.getDetail()).contains("PackageReady announced");
        await().untilAsserted(() -> assertThat(extractDir(extract)).doesNotExist());
        assertThat(Path.of(URI.create(ready.getPackageRef()))).isRegularFile();
    }

    @Test
    void packageNameClaimAndTheirFoldersAreTheServiceUsersAlone() throws Exception {
        ExtractReady extract = stage("KP", "pension.csv", "2026-04-01T06:00:01Z");

        publisher.publish(Topics.EXTRACT_READY, extract);

        PackageReady ready = (PackageReady)
                events(Topics.PACKAGE_READY.name(), extract.getTransferId(), 1).get(0);
        Path zip = Path.of(URI.create(ready.getPackageRef()));
        assertThat(permissions(zip)).isEqualTo("rw-------");
        assertThat(permissions(zip.getParent())).isEqualTo("rwx------");
        assertThat(permissions(staging.resolve("packages"))).isEqualTo("rwx------");
        assertThat(permissions(staging.resolve("names"))).isEqualTo("rwx------");
        assertThat(permissions(staging.resolve("names").resolve(ready.getFileName())))
                .isEqualTo("rw-------");
    }

    @Test
    void extractReadyReplayedAfterItsExtractWasDeletedAnnouncesTheSamePackageWithoutADeadLetter() throws Exception {
        // Given an extract packaged, announced and its staged copy deleted
        ExtractReady extract = stage("KSD", "replay.csv", "2026-04-01T06:00:02Z");
        publisher.publish(Topics.EXTRACT_READY, extract);
        PackageReady first = (PackageReady)
                events(Topics.PACKAGE_READY.name(), extract.getTransferId(), 1).get(0);
        housekeeping(extract.getTransferId(), 1);
        await().untilAsserted(() -> assertThat(extractDir(extract)).doesNotExist());

        // When the ExtractReady is delivered again (a rebalance, a replay of the topic)
        publisher.publish(Topics.EXTRACT_READY, extract);

        // Then the package written before is announced again, and nothing is dead-lettered
        PackageReady again = (PackageReady)
                events(Topics.PACKAGE_READY.name(), extract.getTransferId(), 2).get(1);
        assertThat(again.getPackageRef()).isEqualTo(first.getPackageRef());
        assertThat(again.getFileName()).isEqualTo(first.getFileName());
        assertThat(again.getSizeBytes()).isEqualTo(first.getSizeBytes());
        assertThat(again.getSha256()).isEqualTo(first.getSha256());
        assertProcessedAfter(extract);
        assertNoDeadLetter(extract.getTransferId());
    }

    @Test
    void deliveredTransfersPackageIsDeletedAndAReplayOfItsExtractReadyEndsQuietly() throws Exception {
        ExtractReady extract = stage("KSD", "delivered.csv", "2026-04-01T06:00:03Z");
        publisher.publish(Topics.EXTRACT_READY, extract);
        PackageReady ready = (PackageReady)
                events(Topics.PACKAGE_READY.name(), extract.getTransferId(), 1).get(0);
        Path packageDir = Path.of(URI.create(ready.getPackageRef())).getParent();

        // When the receipt tracker reports the transfer delivered
        DeliverySucceeded succeeded = TransferRef.of(extract).stamp(new DeliverySucceeded(), clock);
        succeeded.setFileName(ready.getFileName());
        publisher.publish(Topics.DELIVERY_OUTCOME, succeeded);

        // Then its package is deleted, and the audit says when and why
        HousekeepingPerformed deleted = housekeeping(extract.getTransferId(), 2).get(1);
        assertThat(deleted.getAction()).isEqualTo(HousekeepingAction.PACKAGE_DELETED.name());
        assertThat(deleted.getPath()).isEqualTo(packageDir.toString());
        assertThat(deleted.getDetail()).contains("transfer succeeded").contains(ready.getFileName());
        await().untilAsserted(() -> assertThat(packageDir).doesNotExist());

        // And a replay of its ExtractReady packs nothing, announces nothing and dead-letters nothing
        publisher.publish(Topics.EXTRACT_READY, extract);
        assertProcessedAfter(extract);
        assertThat(TopicReader.readAll(brokers, Topics.PACKAGE_READY.name()))
                .filteredOn(r -> extract.getTransferId().equals(r.key()))
                .hasSize(1);
        assertNoDeadLetter(extract.getTransferId());
        assertThat(staging.resolve("packages").resolve(extract.getTransferId())).doesNotExist();
    }

    @Test
    void failedTransfersPackageIsKeptUntilTheRetentionPasses() throws Exception {
        ExtractReady extract = stage("KSD", "failed.csv", "2026-04-01T06:00:04Z");
        publisher.publish(Topics.EXTRACT_READY, extract);
        PackageReady ready = (PackageReady)
                events(Topics.PACKAGE_READY.name(), extract.getTransferId(), 1).get(0);
        Path zip = Path.of(URI.create(ready.getPackageRef()));
        DeliveryFailed failed = TransferRef.of(extract).stamp(new DeliveryFailed(), clock);
        failed.setFileName(ready.getFileName());
        failed.setErrors(List.of());
        publisher.publish(Topics.DELIVERY_OUTCOME, failed);
        assertOutcomesProcessed();
        Instant packaged = Files.getLastModifiedTime(zip.getParent()).toInstant();
        clock.advance(Duration.between(clock.instant(), packaged)); // the clock at the time it was packaged

        // A day later, and on the last day of the retention, the package is still there for a resend
        clock.advance(Duration.ofDays(1));
        housekeeping.sweep();
        clock.advance(Duration.ofDays(28));
        housekeeping.sweep();
        assertThat(zip).isRegularFile();

        // Once 30 days have passed it is deleted, with its event
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        housekeeping.sweep();
        assertThat(zip.getParent()).doesNotExist();
        HousekeepingPerformed deleted = housekeeping(extract.getTransferId(), 2).get(1);
        assertThat(deleted.getAction()).isEqualTo(HousekeepingAction.PACKAGE_DELETED.name());
        assertThat(deleted.getDetail()).contains("retention of PT720H passed");
    }

    /** A later extract's PackageReady on the same (single) partition: everything before it was handled. */
    private void assertProcessedAfter(ExtractReady earlier) throws IOException {
        ExtractReady marker = stage("KSD", "marker.csv", "2026-04-02T06:00:00Z");
        publisher.publish(Topics.EXTRACT_READY, marker);
        events(Topics.PACKAGE_READY.name(), marker.getTransferId(), 1);
    }

    /** A later DeliverySucceeded's package deletion: every outcome before it was handled. */
    private void assertOutcomesProcessed() throws IOException {
        ExtractReady marker = stage("KSD", "outcome-marker.csv", "2026-04-03T06:00:00Z");
        publisher.publish(Topics.EXTRACT_READY, marker);
        PackageReady ready = (PackageReady)
                events(Topics.PACKAGE_READY.name(), marker.getTransferId(), 1).get(0);
        DeliverySucceeded succeeded = TransferRef.of(marker).stamp(new DeliverySucceeded(), clock);
        succeeded.setFileName(ready.getFileName());
        publisher.publish(Topics.DELIVERY_OUTCOME, succeeded);
        housekeeping(marker.getTransferId(), 2);
    }

    private void assertNoDeadLetter(String transferId) {
        List<ConsumerRecord<String, byte[]>> dead =
                TopicReader.readAll(brokers, Topics.EXTRACT_READY.deadLetter(), new ByteArrayDeserializer());
        assertThat(dead).noneMatch(r -> transferId.equals(r.key()));
    }

    private List<HousekeepingPerformed> housekeeping(String transferId, int count) {
        return events(Topics.HOUSEKEEPING.name(), transferId, count).stream()
                .map(HousekeepingPerformed.class::cast)
                .toList();
    }

    private List<SpecificRecordBase> events(String topic, String key, int count) {
        try (var reader = new TopicReader<>(brokers, topic, new EventDeserializer())) {
            return reader.await(key, count).stream().map(ConsumerRecord::value).toList();
        }
    }

    private ExtractReady stage(String fagsystem, String name, String occurredAt) throws IOException {
        return StagedExtracts.stage(
                staging, fagsystem, name, (name + ";1\n").getBytes(StandardCharsets.UTF_8), Instant.parse(occurredAt));
    }

    private static Path extractDir(ExtractReady extract) {
        return Path.of(URI.create(extract.getStagedFile())).getParent();
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
