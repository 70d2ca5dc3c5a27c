package dk.sf1820.schemas.events;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The fields every event carries about its transfer. A stage reads them from the event it consumed
 * and stamps them on the event it produces, so a transfer keeps one identity from extract to outcome.
 *
 * @param transferId the SendersFileId
 * @param fagsystem fagsystem code, e.g. KSD
 * @param authority the municipality code, four digits
 * @param period the extract period, e.g. M03
 */
public record TransferRef(String transferId, String fagsystem, String authority, String period) {

    public TransferRef {
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(fagsystem, "fagsystem");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(period, "period");
    }

    /** Reads the common fields of any pipeline event. */
    public static TransferRef of(SpecificRecordBase event) {
        return new TransferRef(
                text(event, "transferId"), text(event, "fagsystem"), text(event, "authority"), text(event, "period"));
    }

    /**
     * Fills the common fields of a new event: a fresh eventId, this transfer's identity and the
     * clock's time. Returns the event for chaining.
     */
    public <T extends SpecificRecordBase> T stamp(T event, Clock clock) {
        event.put("eventId", UUID.randomUUID().toString());
        event.put("transferId", transferId);
        event.put("fagsystem", fagsystem);
        event.put("authority", authority);
        event.put("period", period);
        event.put("occurredAt", clock.instant());
        return event;
    }

    private static String text(SpecificRecordBase event, String field) {
        Object value = event.get(field);
        if (value == null) {
            throw new IllegalArgumentException(event.getSchema().getName() + " lacks " + field);
        }
        return value.toString();
    }
}
