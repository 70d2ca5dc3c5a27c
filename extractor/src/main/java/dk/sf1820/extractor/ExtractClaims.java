package dk.sf1820.extractor;

import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.ExtractSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * Claims the transferId of an extract about to be staged, together with the ExtractReady that will
 * announce it, in the {@link SubmissionLedger}: an extract announced before is refused, one recorded
 * but not announced is adopted. Without a ledger the transferId is derived from the content alone, so
 * the same extract staged twice lands under the same transferId again.
 */
final class ExtractClaims {

    private final SubmissionLedger ledger;
    private final Clock clock;

    /** @param ledger the submission record, or null to stage without one */
    ExtractClaims(SubmissionLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * @param resendAs the transferId a resend was asked under, or null to derive it (first delivery, next resend)
     * @throws DuplicateExtractException when the extract was announced before and no resend is asked, or the resend
     *     asked under {@code resendAs} was announced before
     */
    <R> SubmissionLedger.Claim claim(
            ExtractValidation.Key key,
            String name,
            HashingCopy.Written<R> written,
            boolean resend,
            String resendAs,
            ExtractSource source,
            String origin,
            Path extracts,
            ExtractStager.Details<R> details) {
        Function<String, ExtractReady> announcementFor = transferId -> {
            ExtractReady event = new TransferRef(
                            transferId,
                            key.fagsystem().code(),
                            key.authority(),
                            key.period().value())
                    .stamp(new ExtractReady(), clock);
            // The wire keeps milliseconds: the recorded event is then the very event a re-announcement publishes.
            event.setOccurredAt(event.getOccurredAt().truncatedTo(ChronoUnit.MILLIS));
            event.setStagedFile(
                    extracts.resolve(transferId).resolve(name).toUri().toString());
            event.setOriginalFileName(name);
            event.setSizeBytes(written.sizeBytes());
            event.setSha256(written.sha256());
            event.setSource(source.value());
            details.addTo(event, written.result());
            return event;
        };
        if (ledger == null) {
            String transferId = resendAs != null
                    ? resendAs
                    : TransferIds.of(
                            key.fagsystem().code(),
                            key.authority(),
                            key.period().value(),
                            written.sha256());
            return new SubmissionLedger.Claim(transferId, announcementFor.apply(transferId), false);
        }
        SubmissionLedger.Submission submission = new SubmissionLedger.Submission(
                key.fagsystem().code(),
                key.authority(),
                key.period().value(),
                written.sha256(),
                source.value(),
                origin);
        return resendAs != null
                ? ledger.claimResend(submission, resendAs, announcementFor)
                : ledger.claim(submission, resend, announcementFor);
    }

    /**
     * Where the claim's copy belongs: {@code <staging>/extracts/<transferId>/<name>}. An adopted record names
     * it; a record is read, so it must name that place and the bytes just written.
     */
    static Path stagedFile(SubmissionLedger.Claim claim, Path extracts, HashingCopy.Written<?> written) {
        ExtractReady announcement = claim.announcement();
        Path dir = extracts.resolve(claim.transferId());
        Path staged = dir.resolve(announcement.getOriginalFileName()).normalize();
        boolean inPlace = staged.getParent().equals(dir)
                && Path.of(URI.create(announcement.getStagedFile())).equals(staged.toAbsolutePath());
        if (!inPlace
                || announcement.getSizeBytes() != written.sizeBytes()
                || !announcement.getSha256().equals(written.sha256())) {
            throw new IllegalStateException("submission record of transferId " + claim.transferId()
                    + " does not describe this extract (staged file " + announcement.getStagedFile() + ", "
                    + announcement.getSizeBytes() + " bytes, sha256 " + announcement.getSha256() + "; expected under "
                    + dir + ", " + written.sizeBytes() + " bytes, sha256 " + written.sha256() + ")");
        }
        return staged;
    }

    /** Whether the transferId's ExtractReady is confirmed published (never, without a ledger). */
    boolean isPublished(String transferId) {
        return ledger != null && ledger.isPublished(transferId);
    }

    /** Gives up the transferId of an extract that could not be staged, so that it may be submitted again. */
    void release(String transferId) {
        if (ledger != null) {
            ledger.release(transferId);
        }
    }

    /** Records that the extract's ExtractReady is published. */
    void published(String transferId) {
        if (ledger != null) {
            ledger.published(transferId);
        }
    }
}
