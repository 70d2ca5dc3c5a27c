package dk.sf1820.packager;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Packs each ExtractReady and publishes its PackageReady. The zip is on disk before the event is
 * published, and the event is acknowledged before this method returns and the offset is committed;
 * a crash in between redelivers the ExtractReady, which re-packs to the same zip. Then the staged
 * extract is deleted; an ExtractReady redelivered after that announces the package written before again,
 * or nothing once that package is gone too (see {@link Packager#packUnlessDelivered}).
 *
 * <p>Extracts are packed in parallel by {@link #concurrency()} consumers of one group, each owning some
 * partitions and committing each record after its side effect; a transferId is the record key, so one
 * transfer's events stay on one thread, in order.
 */
class PackagingListener {

    private static final Logger log = LoggerFactory.getLogger(PackagingListener.class);

    private final Packager packager;
    private final EventPublisher publisher;
    private final StagingHousekeeping housekeeping;
    private final int concurrency;
    private final PipelineMetrics metrics;

    PackagingListener(
            Packager packager,
            EventPublisher publisher,
            StagingHousekeeping housekeeping,
            int concurrency,
            PipelineMetrics metrics) {
        this.packager = packager;
        this.publisher = publisher;
        this.housekeeping = housekeeping;
        this.concurrency = concurrency;
        this.metrics = metrics;
    }

    /** Consumers of the ExtractReady topic in this instance: extracts packed at once. */
    public int concurrency() {
        return concurrency;
    }

    @KafkaListener(
            id = "sf1820-packager",
            groupId = "sf1820-packager",
            topics = "#{T(dk.sf1820.schemas.Topics).EXTRACT_READY.name()}",
            concurrency = "#{__listener.concurrency()}")
    void onExtractReady(SpecificRecordBase event) {
        if (!(event instanceof ExtractReady extract)) {
            log.debug("ignored event={} on topic={}", Events.typeOf(event), Topics.EXTRACT_READY);
            return;
        }
        try (var ignored = MDC.putCloseable("transferId", extract.getTransferId())) {
            log.info(
                    "packaging transferId={} stagedFile={} sizeBytes={}",
                    extract.getTransferId(),
                    extract.getStagedFile(),
                    extract.getSizeBytes());
            long started = System.nanoTime();
            Optional<PackageReady> ready = packager.packUnlessDelivered(extract);
            if (ready.isPresent()) {
                metrics.packaged(
                        extract.getFagsystem(),
                        extract.getAuthority(),
                        ready.get().getSizeBytes(),
                        Duration.ofNanos(System.nanoTime() - started));
                publisher.publish(Topics.PACKAGE_READY, ready.get());
            }
            // Only once PackageReady is acknowledged: a redelivery before that finds the extract and re-packs it.
            housekeeping.extractPackaged(TransferRef.of(extract));
        }
    }
}
