package dk.sf1820.receipts.housekeeping;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Reads {@code sf1820.housekeeping} as the stage that writes it. No stage acts on these events (the audit
 * and the notifier read them), so without a reader of its own a record nobody can read would lie there
 * unreported; read here, it goes to {@code sf1820.housekeeping.dlt} with its reason, as on every other
 * topic, through the error handler every listener shares.
 */
public class HousekeepingGuardListener {

    private static final Logger log = LoggerFactory.getLogger(HousekeepingGuardListener.class);

    @KafkaListener(
            id = "sf1820-housekeeping-guard",
            groupId = "sf1820-housekeeping-guard",
            topics = "#{T(dk.sf1820.schemas.Topics).HOUSEKEEPING.name()}")
    void onHousekeepingPerformed(SpecificRecordBase event) {
        // the deserializer lets through only the topic's own type; anything else never reaches this method
        if (event instanceof HousekeepingPerformed housekeeping) {
            try (var ignored = MDC.putCloseable("transferId", housekeeping.getTransferId())) {
                log.debug(
                        "housekeeping read transferId={} action={} topic={}",
                        housekeeping.getTransferId(),
                        housekeeping.getAction(),
                        Topics.HOUSEKEEPING);
            }
        }
    }
}
