package dk.sf1820.receipts.housekeeping;

import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Clock;
import java.time.Instant;

/** Builds the {@code HousekeepingPerformed} events of the sender's duties (SF1820 section 4). */
final class HousekeepingEvents {

    private HousekeepingEvents() {}

    static HousekeepingPerformed of(
            TransferRef ref,
            HousekeepingAction action,
            String sender,
            String path,
            Instant lastModified,
            String detail,
            Clock clock) {
        HousekeepingPerformed event = ref.stamp(new HousekeepingPerformed(), clock);
        event.setAction(action.name());
        event.setSender(sender);
        event.setPath(path);
        event.setLastModified(lastModified);
        event.setDetail(detail);
        return event;
    }
}
