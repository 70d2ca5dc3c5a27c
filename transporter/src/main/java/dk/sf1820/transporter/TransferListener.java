package dk.sf1820.transporter;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.events.Events;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Consumes {@code PackageReady}, transfers the package and publishes the outcome. The offset is
 * committed after this method returns, i.e. after the files are on the server and the outcome is
 * acknowledged by Kafka; a crash before that redelivers the event, which the transporter tolerates.
 */
class TransferListener {

    private static final Logger log = LoggerFactory.getLogger(TransferListener.class);

    private final SftpTransporter transporter;
    private final EventPublisher publisher;

    TransferListener(SftpTransporter transporter, EventPublisher publisher) {
        this.transporter = transporter;
        this.publisher = publisher;
    }

    @KafkaListener(id = "sf1820-transporter", groupId = "sf1820-transporter",
            topics = "#{T(dk.sf1820.schemas.Topics).PACKAGE_READY.name()}")
    void on(SpecificRecordBase event) {
        if (!(event instanceof PackageReady packageReady)) {
            log.debug("ignored event={} on {}", Events.typeOf(event), Topics.PACKAGE_READY);
            return;
        }
        try (var ignored = MDC.putCloseable("transferId", packageReady.getTransferId())) {
            TransferOutcome outcome = transporter.transfer(packageReady);
            publisher.publish(Topics.TRANSFER_UPLOADED, outcome.event());
        }
    }
}
