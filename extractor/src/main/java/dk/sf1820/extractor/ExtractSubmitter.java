package dk.sf1820.extractor;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.ExtractSource;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Accepts an extract (submitted, dropped or queried): stages it and announces it with an
 * {@code ExtractReady}. The event is published only once the staged copy is complete on disk; an
 * extract whose event cannot be published gives up its transferId, so that it can be submitted again.
 */
public class ExtractSubmitter {

    /** The {@code source} the ExtractReady of a submitted extract names. */
    public static final String SOURCE = ExtractSource.SUBMIT.value();

    private static final Logger log = LoggerFactory.getLogger(ExtractSubmitter.class);

    private final ExtractStager stager;
    private final EventPublisher publisher;
    private final Clock clock;

    public ExtractSubmitter(ExtractStager stager, EventPublisher publisher, Clock clock) {
        this.stager = stager;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Submits a file handed over explicitly; see {@link #submit(ExtractRequest, ExtractSource)}. */
    public String submit(ExtractRequest request) {
        return submit(request, ExtractSource.SUBMIT);
    }

    /**
     * Stages the request's file and publishes its ExtractReady.
     *
     * @return the transferId
     * @throws ExtractRefusedException when the fagsystem, authority, period, source or file is refused
     * @throws DuplicateExtractException when the same extract was submitted before and no resend is asked
     */
    public String submit(ExtractRequest request, ExtractSource source) {
        StagedExtract staged;
        try {
            staged = stager.stage(request, source);
        } catch (ExtractRefusedException e) {
            log.warn("extract refused file={} fagsystem={} authority={} period={} source={} reason=\"{}\"",
                    request.file(), request.fagsystem(), request.authority(), request.period(), source.value(),
                    e.getMessage());
            throw e;
        }
        announce(staged, staged.toExtractReady(source.value(), clock));
        return staged.ref().transferId();
    }

    /**
     * Publishes the ExtractReady of an extract staged by the caller (a query, which adds its row count
     * and dataset to the event).
     */
    public void announce(StagedExtract staged, ExtractReady event) {
        String transferId = staged.ref().transferId();
        try (var ignored = MDC.putCloseable("transferId", transferId)) {
            log.info("extract staged transferId={} fagsystem={} authority={} period={} source={} file={} sizeBytes={}"
                    + " sha256={}", transferId, staged.ref().fagsystem(), staged.ref().authority(),
                    staged.ref().period(), event.getSource(), staged.file(), staged.sizeBytes(), staged.sha256());
            try {
                publisher.publish(Topics.EXTRACT_READY, event);
            } catch (RuntimeException e) {
                stager.release(transferId);
                log.warn("extract not announced, its transferId is released transferId={} reason=\"{}\"", transferId,
                        e.getMessage());
                throw e;
            }
            stager.published(transferId);
        }
    }
}
