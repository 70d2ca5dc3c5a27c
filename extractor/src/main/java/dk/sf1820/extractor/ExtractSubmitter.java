package dk.sf1820.extractor;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.ExtractSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Accepts an extract (submitted, dropped or queried): stages it and announces it with an
 * {@code ExtractReady}. The event is published only once the staged copy is complete on disk and
 * recorded, with the event itself, in the submission ledger; the record is marked published once
 * Kafka acknowledged it. An extract whose event could not be published keeps its record: the
 * {@link ExtractAnnouncer}, or the same extract submitted again, publishes the recorded event later.
 */
public class ExtractSubmitter {

    /** The {@code source} the ExtractReady of a submitted extract names. */
    public static final String SOURCE = ExtractSource.SUBMIT.value();

    private static final Logger log = LoggerFactory.getLogger(ExtractSubmitter.class);

    /*
     * One transfer is announced by one thread at a time in this process (a re-submission and the announcer
     * may meet on the same record after a restart); striped so the locks stay few however many transfers pass.
     */
    private static final int STRIPES = 64;
    private final Object[] announcing = new Object[STRIPES];

    private final ExtractStager stager;
    private final EventPublisher publisher;

    public ExtractSubmitter(ExtractStager stager, EventPublisher publisher) {
        this.stager = stager;
        this.publisher = publisher;
        for (int i = 0; i < STRIPES; i++) {
            announcing[i] = new Object();
        }
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
     * @throws DuplicateExtractException when the same extract was announced before and no resend is asked
     * @throws ExtractNotAnnouncedException when the extract is recorded but Kafka did not acknowledge its event
     */
    public String submit(ExtractRequest request, ExtractSource source) {
        StagedExtract staged;
        try {
            staged = stager.stage(request, source);
        } catch (ExtractRefusedException e) {
            log.warn(
                    "extract refused file={} fagsystem={} authority={} period={} source={} reason=\"{}\"",
                    request.file(),
                    request.fagsystem(),
                    request.authority(),
                    request.period(),
                    source.value(),
                    e.getMessage());
            throw e;
        }
        announce(staged);
        return staged.ref().transferId();
    }

    /**
     * Publishes the recorded ExtractReady of an extract just staged.
     *
     * @throws ExtractNotAnnouncedException when Kafka did not acknowledge it
     */
    public void announce(StagedExtract staged) {
        String transferId = staged.ref().transferId();
        try (var ignored = MDC.putCloseable("transferId", transferId)) {
            log.info(
                    "extract staged transferId={} fagsystem={} authority={} period={} source={} file={} sizeBytes={}"
                            + " sha256={} adoptedUnannouncedRecord={}",
                    transferId,
                    staged.ref().fagsystem(),
                    staged.ref().authority(),
                    staged.ref().period(),
                    staged.announcement().getSource(),
                    staged.file(),
                    staged.sizeBytes(),
                    staged.sha256(),
                    staged.adopted());
            announce(staged.announcement());
        }
    }

    /**
     * Publishes a recorded ExtractReady, unless it is marked published already, and marks it published.
     *
     * @throws ExtractNotAnnouncedException when Kafka did not acknowledge it; the record stays unpublished
     */
    void announce(ExtractReady announcement) {
        String transferId = announcement.getTransferId();
        try (var ignored = MDC.putCloseable("transferId", transferId)) {
            synchronized (announcing[Math.floorMod(transferId.hashCode(), STRIPES)]) {
                if (stager.isPublished(transferId)) {
                    log.info(
                            "extract announced already transferId={} eventId={}",
                            transferId,
                            announcement.getEventId());
                    return;
                }
                try {
                    publisher.publish(Topics.EXTRACT_READY, announcement);
                } catch (RuntimeException e) {
                    log.warn(
                            "extract recorded but not announced, announced when Kafka is reachable transferId={}"
                                    + " reason=\"{}\"",
                            transferId,
                            e.getMessage());
                    throw new ExtractNotAnnouncedException(transferId, e);
                }
                // A crash here publishes the same event (same eventId) once more after the restart: harmless, as
                // every later stage is idempotent per transferId; a lost event would not be.
                stager.published(transferId);
            }
        }
    }
}
