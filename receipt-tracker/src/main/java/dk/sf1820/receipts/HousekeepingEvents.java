package dk.sf1820.receipts;

import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Clock;
import java.time.Instant;

/** Builds the {@code HousekeepingPerformed} events of the sender's duties (SF1820 section 4). */
final class HousekeepingEvents {

    /** After a failure receipt the platform leaves the data file in OUT; the sender deleted it. */
    static final String FAILED_DATA_FILE_DELETED = "FAILED_DATA_FILE_DELETED";
    /** A data file lay in OUT without a trigger for longer than {@code orphan-age}; deleted. */
    static final String ORPHAN_DELETED = "ORPHAN_DELETED";
    /** A file of ours has lain on the platform {@code deadline-warning-after}; the platform deletes it at 30 days. */
    static final String DEADLINE_NEAR = "DEADLINE_NEAR";

    private HousekeepingEvents() {
    }

    static HousekeepingPerformed of(TransferRef ref, String action, String sender, String path, Instant lastModified,
            String detail, Clock clock) {
        HousekeepingPerformed event = ref.stamp(new HousekeepingPerformed(), clock);
        event.setAction(action);
        event.setSender(sender);
        event.setPath(path);
        event.setLastModified(lastModified);
        event.setDetail(detail);
        return event;
    }
}
