package dk.sf1820.packager;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.events.Events;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Packs each ExtractReady and publishes its PackageReady. The zip is on disk before the event is
 * published, and the event is acknowledged before this method returns and the offset is committed;
 * a crash in between redelivers the ExtractReady, which re-packs to the same zip.
 */
class PackagingListener {

    private static final Logger log = LoggerFactory.getLogger(PackagingListener.class);

    private final Packager packager;
    private final EventPublisher publisher;

    PackagingListener(Packager packager, EventPublisher publisher) {
        this.packager = packager;
        this.publisher = publisher;
    }

    @KafkaListener(id = "sf1820-packager", groupId = "sf1820-packager",
            topics = "#{T(dk.sf1820.schemas.Topics).EXTRACT_READY.name()}")
    void onEvent(SpecificRecordBase event) {
        if (!(event instanceof ExtractReady extract)) {
            log.debug("ignored event={} on topic={}", Events.typeOf(event), Topics.EXTRACT_READY);
            return;
        }
        try (var ignored = MDC.putCloseable("transferId", extract.getTransferId())) {
            log.info("packaging transferId={} stagedFile={} sizeBytes={}", extract.getTransferId(),
                    extract.getStagedFile(), extract.getSizeBytes());
            PackageReady ready = packager.pack(extract);
            publisher.publish(Topics.PACKAGE_READY, ready);
        }
    }
}
