package dk.sf1820.app.notifications;

import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.avro.ReceiptError;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.TransferRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Decides which records the operator hears about and what the mail says. Records are untrusted
 * input: a value that cannot be read is no notice here (the stage that owns the topic dead-letters
 * it, and that dead letter is one), and a dead letter's key counts as a transferId only when it is one.
 */
final class Notices {

    static final String DEADLINE_NEAR = "DEADLINE_NEAR";
    /** The one business-receipt answer that is no notice; any other (REJECTED, COULD_NOT_NOTIFY_RECIPIENT, ...) is. */
    static final String ACCEPTED = "ACCEPTED";

    private static final Pattern TRANSFER_ID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final EventDeserializer events = new EventDeserializer();

    /**
     * The notice a record calls for: every dead letter; on {@code sf1820.delivery.outcome} and
     * {@code sf1820.housekeeping} a failure, a timeout or a deadline; on {@code sf1820.receipt.received} a
     * business receipt that does not accept the file.
     *
     * @throws org.apache.kafka.common.errors.SerializationException for a value that is no event this version reads
     */
    Optional<Notice> of(ConsumerRecord<String, byte[]> record) {
        if (isDeadLetterTopic(record.topic())) {
            return Optional.of(ofDeadLetter(record));
        }
        return ofEvent(events.deserialize(record.topic(), record.value()), source(record));
    }

    private Optional<Notice> ofEvent(SpecificRecordBase value, String source) {
        if (value instanceof DeliveryFailed failed) {
            return Optional.of(notice(
                    NoticeKind.DELIVERY_FAILED,
                    failed,
                    failed.getFileName(),
                    failed.getOccurredAt(),
                    errors(failed),
                    source));
        }
        if (value instanceof DeliveryTimedOut timedOut) {
            return Optional.of(notice(
                    NoticeKind.DELIVERY_TIMED_OUT,
                    timedOut,
                    timedOut.getFileName(),
                    timedOut.getOccurredAt(),
                    "no receipt within " + Duration.ofMillis(timedOut.getWaitedMillis()) + " after the upload at "
                            + timedOut.getUploadedAt(),
                    source));
        }
        if (value instanceof HousekeepingPerformed housekeeping && DEADLINE_NEAR.equals(housekeeping.getAction())) {
            String lastModified = housekeeping.getLastModified() == null
                    ? ""
                    : ", unmodified since " + housekeeping.getLastModified();
            return Optional.of(notice(
                    NoticeKind.DEADLINE_NEAR,
                    housekeeping,
                    lastSegment(housekeeping.getPath()),
                    housekeeping.getOccurredAt(),
                    housekeeping.getSender() + ":" + housekeeping.getPath() + lastModified
                            + (housekeeping.getDetail().isBlank() ? "" : "; " + housekeeping.getDetail()),
                    source));
        }
        if (value instanceof BusinessReceiptReceived business && !ACCEPTED.equals(business.getFileAcceptance())) {
            TransferRef ref = TransferRef.of(business);
            NoticeKind kind = NoticeKind.BUSINESS_RECEIPT_REJECTED;
            // one notice per recipient's answer: two recipients rejecting the file are two mails
            return Optional.of(new Notice(
                    kind,
                    ref.transferId() + "|" + kind + "|" + business.getRecipient(),
                    ref.transferId(),
                    business.getFileName(),
                    ref.fagsystem() + " " + ref.authority() + " " + ref.period(),
                    business.getOccurredAt(),
                    business.getRecipient() + " answered " + business.getFileAcceptance()
                            + (business.getReason() == null ? "" : ": " + business.getReason()),
                    source));
        }
        return Optional.empty();
    }

    /** Every record of a dead-letter topic is a notice; the original bytes may be any or none of our events. */
    private Notice ofDeadLetter(ConsumerRecord<String, byte[]> record) {
        String transferId =
                record.key() != null && TRANSFER_ID.matcher(record.key()).matches() ? record.key() : null;
        SpecificRecordBase event = readable(record);
        String fileName = event == null ? null : fileName(event);
        String about = null;
        if (event != null) {
            try {
                TransferRef ref = TransferRef.of(event);
                about = ref.fagsystem() + " " + ref.authority() + " " + ref.period();
            } catch (RuntimeException e) {
                // an event without the common fields: the mail says less, nothing else changes
            }
        }
        String original = original(record.headers());
        String identity = transferId != null ? transferId : "record " + (original != null ? original : source(record));
        String cause = "on " + record.topic() + (original == null ? "" : " (from " + original + ")") + ": "
                + reason(record.headers());
        return new Notice(
                NoticeKind.DEAD_LETTER,
                identity + "|" + NoticeKind.DEAD_LETTER + "|" + record.topic(),
                transferId,
                fileName,
                about,
                Instant.ofEpochMilli(record.timestamp()),
                cause,
                source(record));
    }

    static boolean isDeadLetterTopic(String topic) {
        return topic.endsWith(Topic.DLT_SUFFIX);
    }

    private static Notice notice(
            NoticeKind kind,
            SpecificRecordBase event,
            String fileName,
            Instant occurredAt,
            String cause,
            String source) {
        TransferRef ref = TransferRef.of(event);
        return new Notice(
                kind,
                ref.transferId() + "|" + kind,
                ref.transferId(),
                fileName,
                ref.fagsystem() + " " + ref.authority() + " " + ref.period(),
                occurredAt,
                cause,
                source);
    }

    private static String errors(DeliveryFailed failed) {
        if (failed.getErrors().isEmpty()) {
            return "no error given";
        }
        return failed.getErrors().stream().map(Notices::error).collect(Collectors.joining("\n            "));
    }

    private static String error(ReceiptError error) {
        return error.getCode() + " " + error.getCodeDescription() + ": " + error.getDescription();
    }

    private SpecificRecordBase readable(ConsumerRecord<String, byte[]> record) {
        try {
            return events.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            return null; // what made it a dead letter, often: the reason header says so
        }
    }

    private static String fileName(SpecificRecordBase event) {
        for (String field : new String[] {"fileName", "path", "originalFileName"}) {
            Schema.Field known = event.getSchema().getField(field);
            if (known != null && event.get(known.pos()) != null) {
                return lastSegment(event.get(known.pos()).toString());
            }
        }
        return null;
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String reason(Headers headers) {
        String reason = text(headers.lastHeader(DeadLetterReason.HEADER));
        if (reason == null) {
            reason = text(headers.lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE));
        }
        return reason == null ? "no reason recorded" : reason;
    }

    /** The record before it was dead-lettered, {@code topic/partition@offset}, where Spring's headers tell. */
    private static String original(Headers headers) {
        String topic = text(headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC));
        Header partition = headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
        Header offset = headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
        if (topic == null
                || partition == null
                || partition.value().length != Integer.BYTES
                || offset == null
                || offset.value().length != Long.BYTES) {
            return null;
        }
        return topic + "/" + ByteBuffer.wrap(partition.value()).getInt() + "@"
                + ByteBuffer.wrap(offset.value()).getLong();
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String source(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }
}
