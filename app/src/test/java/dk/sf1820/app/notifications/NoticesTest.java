package dk.sf1820.app.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.events.EventSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Which records call for a mail, what it says, and that a record's content cannot forge a mail header. */
class NoticesTest {

    static final String TRANSFER = "0b6c3f0e-4d3b-4c1e-9a39-6f2f1d1c2b3a";
    static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    private final Notices notices = new Notices();

    @Test
    void aTimeoutSaysHowLongItWaited() {
        DeliveryTimedOut timedOut = DeliveryTimedOut.newBuilder()
                .setEventId("e")
                .setTransferId(TRANSFER)
                .setFagsystem("KY")
                .setAuthority("0561")
                .setPeriod("K1")
                .setOccurredAt(AT)
                .setFileName("KY_DST_0561_K1_20260301120000.zip")
                .setUploadedAt(AT.minusSeconds(1800))
                .setWaitedMillis(1_800_000)
                .build();
        Notice notice = notices.of(record("sf1820.delivery.outcome", TRANSFER, bytes(timedOut)))
                .orElseThrow();
        assertThat(notice.kind()).isEqualTo(NoticeKind.DELIVERY_TIMED_OUT);
        assertThat(notice.key()).isEqualTo(TRANSFER + "|DELIVERY_TIMED_OUT");
        assertThat(notice.subject())
                .isEqualTo(
                        "[sf1820] No receipt in time: KY_DST_0561_K1_20260301120000.zip (transferId " + TRANSFER + ")");
        assertThat(notice.body())
                .contains("cause:      no receipt within PT30M after the upload at 2026-03-01T11:30:00Z")
                .contains("./sf1820 audit " + TRANSFER);
    }

    @Test
    void theTwentyDayDeadlineIsANoticeOtherHousekeepingIsNot() {
        Notice notice = notices.of(record("sf1820.housekeeping", TRANSFER, bytes(housekeeping("DEADLINE_NEAR"))))
                .orElseThrow();
        assertThat(notice.kind()).isEqualTo(NoticeKind.DEADLINE_NEAR);
        assertThat(notice.fileName()).isEqualTo("KSD_DST_0561_M03_20260301120000.zip");
        assertThat(notice.cause()).startsWith("KSD_SFTP:/OUT/KSD_DST_0561_M03_20260301120000.zip, unmodified since");
        assertThat(notices.of(record("sf1820.housekeeping", TRANSFER, bytes(housekeeping("ORPHAN_DELETED")))))
                .isEmpty();
    }

    @Test
    void aBusinessReceiptThatDoesNotAcceptTheFileIsANoticePerRecipient() {
        Notice rejected = notices.of(record(
                        "sf1820.receipt.received",
                        TRANSFER,
                        bytes(businessReceipt("DST-CEMOS", "REJECTED", "column 7 is not a CPR number"))))
                .orElseThrow();
        assertThat(rejected.kind()).isEqualTo(NoticeKind.BUSINESS_RECEIPT_REJECTED);
        assertThat(rejected.key()).isEqualTo(TRANSFER + "|BUSINESS_RECEIPT_REJECTED|DST-CEMOS");
        assertThat(rejected.subject())
                .isEqualTo("[sf1820] Rejected by the recipient: " + "KSD_DST_0561_M03_20260301120000.zip (transferId "
                        + TRANSFER + ")");
        assertThat(rejected.body())
                .contains("cause:      DST-CEMOS answered REJECTED: column 7 is not a CPR number")
                .contains("./sf1820 audit " + TRANSFER);
        assertThat(notices.of(record(
                                "sf1820.receipt.received",
                                TRANSFER,
                                bytes(businessReceipt("DST-OTHER", "COULD_NOT_NOTIFY_RECIPIENT", null))))
                        .orElseThrow()
                        .key())
                .isEqualTo(TRANSFER + "|BUSINESS_RECEIPT_REJECTED|DST-OTHER");
        assertThat(notices.of(record(
                        "sf1820.receipt.received", TRANSFER, bytes(businessReceipt("DST-CEMOS", "ACCEPTED", null)))))
                .isEmpty();
    }

    private static BusinessReceiptReceived businessReceipt(String recipient, String acceptance, String reason) {
        return BusinessReceiptReceived.newBuilder()
                .setEventId("e")
                .setTransferId(TRANSFER)
                .setFagsystem("KSD")
                .setAuthority("0561")
                .setPeriod("M03")
                .setOccurredAt(AT)
                .setSender("KSD_SFTPSIMPEL")
                .setFileName("KSD_DST_0561_M03_20260301120000.zip")
                .setReceiptPath("/IN/KSD_DST_0561_M03_20260301120000.zip." + recipient + ".businessreceipt")
                .setFileTransferUUID(null)
                .setRecipient(recipient)
                .setFileAcceptance(acceptance)
                .setReason(reason)
                .setCorrelatedBy("FileName")
                .build();
    }

    @Test
    void aSuccessIsNoNotice() {
        DeliverySucceeded succeeded = DeliverySucceeded.newBuilder()
                .setEventId("e")
                .setTransferId(TRANSFER)
                .setFagsystem("KSD")
                .setAuthority("0561")
                .setPeriod("M03")
                .setOccurredAt(AT)
                .setFileName("f.zip")
                .build();
        assertThat(notices.of(record("sf1820.delivery.outcome", TRANSFER, bytes(succeeded))))
                .isEmpty();
    }

    @Test
    void anUnreadableEventIsLeftToTheStageThatOwnsTheTopic() {
        assertThatThrownBy(() -> notices.of(record("sf1820.delivery.outcome", TRANSFER, "junk".getBytes())))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void aDeadLetterWithoutATransferIdCannotForgeHeaders() {
        ConsumerRecord<String, byte[]> record =
                record("sf1820.receipt.received.dlt", "x\r\nBcc: someone@else.example", "junk".getBytes());
        record.headers()
                .add(
                        DeadLetterReason.HEADER,
                        "SerializationException: bad\r\nSubject: forged".getBytes(StandardCharsets.UTF_8));
        Notice notice = notices.of(record).orElseThrow();
        assertThat(notice.transferId()).isNull();
        assertThat(notice.key())
                .isEqualTo("record sf1820.receipt.received.dlt/0@7|DEAD_LETTER|sf1820.receipt.received.dlt");
        assertThat(notice.subject())
                .isEqualTo("[sf1820] Dead letter: sf1820.receipt.received.dlt/0@7")
                .doesNotContain("\r", "\n");
        // the body may keep the reason's lines (a body line is no header), but no carriage return
        assertThat(notice.body())
                .contains("transferId: unknown")
                .doesNotContain("./sf1820 audit", "\r")
                .contains("cause:      on sf1820.receipt.received.dlt: SerializationException: bad");
    }

    @Test
    void aLongCauseIsCut() {
        ConsumerRecord<String, byte[]> record = record("sf1820.extract.ready.dlt", TRANSFER, null);
        record.headers().add(DeadLetterReason.HEADER, "x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
        Notice notice = notices.of(record).orElseThrow();
        assertThat(notice.body())
                .hasSizeLessThan(Notice.MAX_CAUSE + 1_000)
                .contains("(cut; the full text is in the record)");
    }

    private static HousekeepingPerformed housekeeping(String action) {
        return HousekeepingPerformed.newBuilder()
                .setEventId("e")
                .setTransferId(TRANSFER)
                .setFagsystem("KSD")
                .setAuthority("0561")
                .setPeriod("M03")
                .setOccurredAt(AT)
                .setAction(action)
                .setSender("KSD_SFTP")
                .setPath("/OUT/KSD_DST_0561_M03_20260301120000.zip")
                .setLastModified(AT.minusSeconds(21 * 86_400L))
                .setDetail("")
                .build();
    }

    private static byte[] bytes(SpecificRecordBase event) {
        try (EventSerializer serializer = new EventSerializer()) {
            return serializer.serialize("t", event);
        }
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 7, key, value);
    }
}
