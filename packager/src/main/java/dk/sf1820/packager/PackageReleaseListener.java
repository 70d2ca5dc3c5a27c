package dk.sf1820.packager;

import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.TransferRef;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Deletes a transfer's package once the receipt tracker reports it delivered. A failed or timed-out
 * transfer keeps its package for the retention ({@link StagingHousekeeping#sweep()}), so it can be
 * looked at or sent again; a replayed outcome finds nothing left to delete.
 */
class PackageReleaseListener {

    private static final Logger log = LoggerFactory.getLogger(PackageReleaseListener.class);

    private final StagingHousekeeping housekeeping;

    PackageReleaseListener(StagingHousekeeping housekeeping) {
        this.housekeeping = housekeeping;
    }

    @KafkaListener(
            id = "sf1820-packager-housekeeping",
            groupId = "sf1820-packager-housekeeping",
            topics = "#{T(dk.sf1820.schemas.Topics).DELIVERY_OUTCOME.name()}")
    void onDeliveryOutcome(SpecificRecordBase event) {
        if (!(event instanceof DeliverySucceeded succeeded)) {
            log.debug(
                    "package kept event={} transferId={}",
                    Events.typeOf(event),
                    TransferRef.of(event).transferId());
            return;
        }
        try (var ignored = MDC.putCloseable("transferId", succeeded.getTransferId())) {
            housekeeping.transferSucceeded(
                    TransferRef.of(succeeded),
                    "DeliverySucceeded fileName=" + succeeded.getFileName() + " at " + succeeded.getOccurredAt());
        }
    }
}
