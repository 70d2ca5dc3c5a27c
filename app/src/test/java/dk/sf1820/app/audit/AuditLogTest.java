package dk.sf1820.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.Outcome;
import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.ReceiptError;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** How a transfer's current state and its need for attention follow from its events. */
class AuditLogTest {

    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final Clock NOW = Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC);
    private static final Clock THREE_WEEKS_LATER = Clock.fixed(T0.plus(Duration.ofDays(21)), ZoneOffset.UTC);

    private final List<AuditEntry> entries = new ArrayList<>();

    @Test
    void theOutcomeStaysTheStateWhateverFollowsIt() {
        TransferRef ref = ref("a", "KSD");
        add(ref, 0, "packager", pkg());
        add(ref, 1, "transporter", uploaded());
        add(ref, 2, "receipt-tracker", failed());
        add(ref, 3, "receipt-tracker", housekeeping("FAILED_DATA_FILE_DELETED"));

        TransferStatus status = single(NOW);

        assertThat(status.state()).isEqualTo(TransferState.FAILED);
        assertThat(status.since()).isEqualTo(T0.plusSeconds(2));
        assertThat(status.fileName()).isEqualTo("KSD_DST_0561_M03_20260302080000.zip");
        assertThat(status.attention()).startsWith("[301 SIZE_MISMATCH: 4 is not 3]");
        assertThat(single(THREE_WEEKS_LATER).attention())
                .as("its file was deleted: no deadline")
                .doesNotContain("30-day");
    }

    /** Issue 13: a recipient's refusal does not change the one outcome, but an operator must act on it. */
    @Test
    void aBusinessReceiptOtherThanAcceptedNeedsAttentionAndLeavesTheOutcome() {
        TransferRef accepted = ref("accepted", "KSD");
        add(accepted, 1, "transporter", uploaded());
        add(accepted, 2, "receipt-tracker", succeeded());
        add(accepted, 3, "receipt-tracker", business("ACCEPTED", null));
        TransferRef rejected = ref("rejected", "KSD");
        add(rejected, 1, "transporter", uploaded());
        add(rejected, 2, "receipt-tracker", succeeded());
        add(rejected, 3, "receipt-tracker", business("REJECTED", "unreadable zip"));
        TransferRef unnotified = ref("unnotified", "KSD");
        add(unnotified, 1, "transporter", uploaded());
        add(unnotified, 2, "receipt-tracker", succeeded());
        add(unnotified, 3, "receipt-tracker", business("COULD_NOT_NOTIFY_RECIPIENT", null));

        List<TransferStatus> statuses = new AuditLog(entries).statuses(TransferFilter.ALL, NOW);

        assertThat(statuses).allSatisfy(s -> assertThat(s.state()).isEqualTo(TransferState.SUCCEEDED));
        assertThat(statuses)
                .filteredOn(s -> s.transferId().equals("accepted"))
                .singleElement()
                .satisfies(s -> assertThat(s.needsAttention()).isFalse());
        assertThat(statuses)
                .filteredOn(s -> s.transferId().equals("rejected"))
                .singleElement()
                .satisfies(s -> assertThat(s.attention())
                        .isEqualTo("business receipt REJECTED from DST-CEMOS-SFTPUsername: unreadable zip"));
        assertThat(statuses)
                .filteredOn(s -> s.transferId().equals("unnotified"))
                .singleElement()
                .satisfies(s -> assertThat(s.attention())
                        .isEqualTo("business receipt COULD_NOT_NOTIFY_RECIPIENT from DST-CEMOS-SFTPUsername"));
    }

    @Test
    void aTransferWhoseFilesMayStillLieOnThePlatformForTwentyDaysNeedsAttention() {
        TransferRef ref = ref("b", "KSD");
        add(ref, 1, "transporter", uploaded());
        add(ref, 2, "receipt-tracker", timedOut());

        assertThat(single(NOW).attention()).doesNotContain("30-day");
        assertThat(single(THREE_WEEKS_LATER).attention()).contains("near the platform's 30-day deletion");
    }

    /** Issue 11: the audit warns when the tracker is configured to, not at a fixed 20 days of its own. */
    @Test
    void theDeadlineWarningFollowsTheTrackersSetting() {
        TransferRef ref = ref("b2", "KSD");
        add(ref, 1, "transporter", uploaded());
        add(ref, 2, "receipt-tracker", timedOut());
        Clock twoWeeksLater = Clock.fixed(T0.plus(Duration.ofDays(14)), ZoneOffset.UTC);

        TransferStatus warnedAtTen = new AuditLog(entries, Duration.ofDays(10))
                .statuses(TransferFilter.ALL, twoWeeksLater)
                .get(0);
        TransferStatus warnedAtTwenty = new AuditLog(entries)
                .statuses(TransferFilter.ALL, twoWeeksLater)
                .get(0);

        assertThat(warnedAtTen.attention()).contains("near the platform's 30-day deletion");
        assertThat(warnedAtTwenty.attention()).doesNotContain("30-day");
    }

    @Test
    void everyOutcomeSettlesATransferUnderItsOwnName() {
        for (Outcome outcome : Outcome.values()) {
            assertThat(TransferState.of(outcome).settled()).isTrue();
            assertThat(TransferState.of(outcome).name()).isEqualTo(outcome.name());
        }
        assertThat(TransferState.RECEIPT_RECEIVED.settled()).isFalse();
    }

    @Test
    void aDeliveredTransferNeedsNoAttentionEvenWhenOld() {
        TransferRef ref = ref("c", "KSD");
        add(ref, 1, "transporter", uploaded());
        add(ref, 2, "receipt-tracker", succeeded());

        assertThat(single(THREE_WEEKS_LATER).needsAttention()).isFalse();
        assertThat(single(THREE_WEEKS_LATER).state()).isEqualTo(TransferState.SUCCEEDED);
    }

    @Test
    void aDeadLetterAfterProgressStopsTheTransferThere() {
        TransferRef ref = ref("d", "KSD");
        add(ref, 0, "extractor", extract());
        add(ref, 0, "packager", pkg());
        entries.add(new AuditEntry(
                T0.plusSeconds(1),
                AuditTrail.DEAD_LETTER,
                "DeadLetter",
                "sf1820.package.ready.dlt",
                0,
                0,
                ref.transferId(),
                null,
                Map.of("reason", "boom"),
                null));

        assertThat(single(NOW).state()).isEqualTo(TransferState.DEAD_LETTERED);
        assertThat(single(NOW).attention()).contains("could not process");
    }

    @Test
    void statusFiltersByFagsystemAuthorityAndPeriod() {
        add(ref("e", "KSD"), 0, "packager", pkg());
        add(ref("f", "DUBU"), 0, "packager", pkg());

        AuditLog log = new AuditLog(entries);

        assertThat(log.statuses(new TransferFilter("dubu", null, null), NOW))
                .extracting(TransferStatus::transferId)
                .containsExactly("f");
        assertThat(log.statuses(new TransferFilter(null, "0561", "m03"), NOW)).hasSize(2);
        assertThat(log.statuses(new TransferFilter(null, "0101", null), NOW)).isEmpty();
    }

    @Test
    void timelinesAreFoundByTransferIdOrDataFileName() {
        add(ref("g", "KSD"), 0, "packager", pkg());

        AuditLog log = new AuditLog(entries);

        assertThat(log.timelines("g")).containsOnlyKeys("g");
        assertThat(log.timelines("KSD_DST_0561_M03_20260302080000.zip")).containsOnlyKeys("g");
        assertThat(log.timelines("nothing")).isEmpty();
    }

    @Test
    void anUnreadableRecordNeverCountsAsProgressAndNeedsAttention() {
        TransferRef ref = ref("h", "KSD");
        add(ref, 1, "transporter", uploaded());
        add(ref, 2, "receipt-tracker", succeeded());
        unreadable("h", 3, "DeliverySucceeded is not an event of sf1820.extract.ready, which carries ExtractReady");
        unreadable(
                "forged", 4, "DeliverySucceeded is not an event of sf1820.extract.ready, which carries ExtractReady");

        AuditLog log = new AuditLog(entries);
        List<TransferStatus> statuses = log.statuses(r -> true, NOW);

        // "forged" is named by no readable event: a record that belongs to no transfer, not a transfer
        assertThat(statuses).extracting(TransferStatus::transferId).containsExactly("h");
        assertThat(statuses.get(0).state()).isEqualTo(TransferState.SUCCEEDED);
        assertThat(statuses.get(0).attention())
                .contains("record sf1820.extract.ready@0:3 cannot be read: "
                        + "DeliverySucceeded is not an event of sf1820.extract.ready");
        assertThat(log.strayRecords())
                .singleElement()
                .asString()
                .contains("record sf1820.extract.ready@0:4 (key forged) cannot be read");
    }

    @Test
    void aForgedEventNoExtractorAnnouncedThatAStageRefusedIsNoTransfer() {
        TransferRef forged = ref("forged-package", "KSD");
        add(forged, 0, "packager", pkg());
        entries.add(new AuditEntry(
                T0.plusSeconds(1),
                AuditTrail.DEAD_LETTER,
                "DeadLetter",
                "sf1820.package.ready.dlt",
                0,
                0,
                forged.transferId(),
                null,
                Map.of("reason", "packageRef lies outside the staging area"),
                null));
        add(ref("in-flight", "KSD"), 2, "packager", pkg());

        AuditLog log = new AuditLog(entries);

        // a transfer whose ExtractReady is not (yet) read, but that nobody refused, still counts
        assertThat(log.statuses(TransferFilter.ALL, NOW))
                .extracting(TransferStatus::transferId)
                .containsExactly("in-flight");
        assertThat(log.strayRecords())
                .containsExactly(
                        "PackageReady topic@0:0 (key forged-package) names no transfer the extractor announced, and a stage"
                                + " refused it",
                        "dead letter sf1820.package.ready.dlt@0:0 (key forged-package): packageRef lies outside the staging area");
    }

    /** poison.sh's mis-keyed record: a copy of a real ExtractReady under another key, dead-lettered there. */
    @Test
    void aRealEventCopiedUnderAnotherKeyIsNoTransferThoughItLooksAnnounced() {
        TransferRef real = ref("real", "KSD");
        add(real, 0, "extractor", extract());
        ExtractReady copy = real.stamp(extract(), Clock.fixed(T0, ZoneOffset.UTC));
        entries.add(new AuditEntry(
                T0.plusSeconds(5),
                "extractor",
                "ExtractReady",
                "sf1820.extract.ready",
                1,
                9,
                "chaos-mis-keyed",
                real,
                AuditTrail.fields(copy),
                copy));
        entries.add(new AuditEntry(
                T0.plusSeconds(6),
                AuditTrail.DEAD_LETTER,
                "DeadLetter",
                "sf1820.extract.ready.dlt",
                1,
                3,
                "chaos-mis-keyed",
                real,
                Map.of("reason", "keyed 'chaos-mis-keyed' holds ExtractReady of transferId 'real'"),
                copy));

        AuditLog log = new AuditLog(entries);

        assertThat(log.statuses(TransferFilter.ALL, NOW))
                .extracting(TransferStatus::transferId)
                .containsExactly("real");
        assertThat(log.strayRecords())
                .containsExactly(
                        "ExtractReady sf1820.extract.ready@1:9 (key chaos-mis-keyed) holds transferId real under"
                                + " another key, which every stage refuses",
                        "dead letter sf1820.extract.ready.dlt@1:3 (key chaos-mis-keyed): keyed 'chaos-mis-keyed' holds"
                                + " ExtractReady of transferId 'real'");
    }

    @Test
    void deadLettersUnderAKeyNoEventNamesAreStrayRecordsNotTransfers() {
        add(ref("real", "KSD"), 0, "packager", pkg());
        entries.add(new AuditEntry(
                T0.plusSeconds(1),
                AuditTrail.DEAD_LETTER,
                "DeadLetter",
                "sf1820.housekeeping.dlt",
                0,
                7,
                "junk",
                null,
                Map.of("reason", "not Avro"),
                null));

        AuditLog log = new AuditLog(entries);

        assertThat(log.statuses(TransferFilter.ALL, NOW))
                .extracting(TransferStatus::transferId)
                .containsExactly("real");
        assertThat(log.strayRecords()).containsExactly("dead letter sf1820.housekeeping.dlt@0:7 (key junk): not Avro");
    }

    private void unreadable(String key, int second, String reason) {
        entries.add(new AuditEntry(
                T0.plusSeconds(second),
                "extractor",
                "Unreadable",
                "sf1820.extract.ready",
                0,
                second,
                key,
                null,
                Map.of("unreadable", reason),
                null));
    }

    private TransferStatus single(Clock clock) {
        return new AuditLog(entries).statuses(TransferFilter.ALL, clock).get(0);
    }

    private void add(TransferRef ref, int second, String stage, SpecificRecordBase event) {
        Instant at = T0.plusSeconds(second);
        ref.stamp(event, Clock.fixed(at, ZoneOffset.UTC));
        entries.add(new AuditEntry(
                at,
                stage,
                event.getSchema().getName(),
                "topic",
                0,
                second,
                ref.transferId(),
                ref,
                AuditTrail.fields(event),
                event));
    }

    private static TransferRef ref(String id, String fagsystem) {
        return new TransferRef(id, fagsystem, "0561", "M03");
    }

    private static ExtractReady extract() {
        ExtractReady e = new ExtractReady();
        e.setStagedFile("file:///staging/extracts/x/a.csv");
        e.setOriginalFileName("a.csv");
        e.setSizeBytes(3);
        e.setSha256("ab".repeat(32));
        e.setSource("submit");
        return e;
    }

    private static PackageReady pkg() {
        PackageReady p = new PackageReady();
        p.setPackageRef("file:///staging/x.zip");
        p.setFileName("KSD_DST_0561_M03_20260302080000.zip");
        p.setSizeBytes(3L);
        p.setSha256("00");
        p.setSender("KSD_SFTPSIMPEL");
        p.setRecipients(List.of("DST-CEMOS-SFTPUsername"));
        p.setContentType("SF1820_KSD");
        return p;
    }

    private static TransferUploaded uploaded() {
        TransferUploaded u = new TransferUploaded();
        u.setSender("KSD_SFTPSIMPEL");
        u.setFileName("KSD_DST_0561_M03_20260302080000.zip");
        u.setRemoteDataPath("/OUT/KSD_DST_0561_M03_20260302080000.zip");
        u.setRemoteTriggerPath("/OUT/KSD_DST_0561_M03_20260302080000.zip.trigger");
        u.setSizeBytes(3L);
        u.setDurationMillis(1L);
        u.setServer("127.0.0.1:22");
        return u;
    }

    private static DeliveryFailed failed() {
        DeliveryFailed f = new DeliveryFailed();
        f.setFileName("KSD_DST_0561_M03_20260302080000.zip");
        f.setFileTransferUUID("u");
        f.setErrors(List.of(new ReceiptError(301, "SIZE_MISMATCH", "4 is not 3")));
        return f;
    }

    private static DeliveryTimedOut timedOut() {
        DeliveryTimedOut t = new DeliveryTimedOut();
        t.setFileName("KSD_DST_0561_M03_20260302080000.zip");
        t.setUploadedAt(T0);
        t.setWaitedMillis(1L);
        return t;
    }

    private static BusinessReceiptReceived business(String acceptance, String reason) {
        BusinessReceiptReceived b = new BusinessReceiptReceived();
        b.setSender("KSD_SFTPSIMPEL");
        b.setFileName("KSD_DST_0561_M03_20260302080000.zip");
        b.setReceiptPath("/IN/KSD_DST_0561_M03_20260302080000.zip.businessreceipt");
        b.setFileTransferUUID("u");
        b.setRecipient("DST-CEMOS-SFTPUsername");
        b.setFileAcceptance(acceptance);
        b.setReason(reason);
        return b;
    }

    private static DeliverySucceeded succeeded() {
        DeliverySucceeded s = new DeliverySucceeded();
        s.setFileName("KSD_DST_0561_M03_20260302080000.zip");
        s.setFileTransferUUID("u");
        return s;
    }

    private static HousekeepingPerformed housekeeping(String action) {
        HousekeepingPerformed h = new HousekeepingPerformed();
        h.setAction(action);
        h.setSender("KSD_SFTPSIMPEL");
        h.setPath("/OUT/KSD_DST_0561_M03_20260302080000.zip");
        h.setDetail("");
        return h;
    }
}
