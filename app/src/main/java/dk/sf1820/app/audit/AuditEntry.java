package dk.sf1820.app.audit;

import dk.sf1820.schemas.events.TransferRef;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One record of the audit trail: an event of a transfer as a stage wrote it, or what a stage could
 * not process and sent to a dead-letter topic.
 *
 * @param at when it happened: the event's {@code occurredAt}, or the record's timestamp where the
 *        record cannot be read
 * @param stage the stage that wrote it ({@code extractor}, {@code packager}, {@code transporter},
 *        {@code receipt-tracker}), or {@code dead-letter}
 * @param type the event's type, e.g. {@code PackageReady}, or {@code DeadLetter}
 * @param topic where it lies, with {@code partition} and {@code offset}, so it can be found again
 * @param transferId the record's key: the transfer's SendersFileId
 * @param ref the transfer's identity as the event names it; null for unreadable records
 * @param details the event's own fields by name (file name, size, sha256, remote paths,
 *        FileTransferUUID, receipt errors ...), or a dead letter's reason and original topic
 * @param event the event itself; null for unreadable records
 */
public record AuditEntry(
        Instant at,
        String stage,
        String type,
        String topic,
        int partition,
        long offset,
        String transferId,
        TransferRef ref,
        Map<String, String> details,
        SpecificRecordBase event) {

    public boolean deadLetter() {
        return AuditTrail.DEAD_LETTER.equals(stage);
    }

    /** A detail by name, or null. */
    public String detail(String name) {
        return details.get(name);
    }
}
