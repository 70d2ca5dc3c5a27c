package dk.sf1820.extractor;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Accepts an extract handed over explicitly (the {@code submit} command): stages it and announces it
 * with an {@code ExtractReady}. The event is published only once the staged copy is complete on disk.
 */
public class ExtractSubmitter {

    /** The {@code source} the ExtractReady names. */
    public static final String SOURCE = "submit";

    private static final Logger log = LoggerFactory.getLogger(ExtractSubmitter.class);

    private final ExtractStager stager;
    private final EventPublisher publisher;
    private final Clock clock;

    public ExtractSubmitter(ExtractStager stager, EventPublisher publisher, Clock clock) {
        this.stager = stager;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Stages the request's file and publishes its ExtractReady.
     *
     * @return the transferId; the same extract submitted twice returns the same id
     * @throws ExtractRefusedException when the fagsystem, authority, period or file is refused
     */
    public String submit(ExtractRequest request) {
        StagedExtract staged;
        try {
            staged = stager.stage(request);
        } catch (ExtractRefusedException e) {
            log.warn("extract refused file={} fagsystem={} authority={} period={} reason=\"{}\"", request.file(),
                    request.fagsystem(), request.authority(), request.period(), e.getMessage());
            throw e;
        }
        String transferId = staged.ref().transferId();
        try (var ignored = MDC.putCloseable("transferId", transferId)) {
            log.info("extract staged transferId={} fagsystem={} authority={} period={} file={} sizeBytes={} sha256={}",
                    transferId, staged.ref().fagsystem(), staged.ref().authority(), staged.ref().period(),
                    staged.file(), staged.sizeBytes(), staged.sha256());
            publisher.publish(Topics.EXTRACT_READY, staged.toExtractReady(SOURCE, clock));
        }
        return transferId;
    }
}
