package dk.sf1820.transporter;

import dk.sf1820.kafka.ByteProgressPublisher;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferProgress;
import dk.sf1820.schemas.avro.TransferStep;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.sftp.SftpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one package to the Serviceplatform (EP_FS1 Dataudtraek_Aflever): the data file into the
 * sender's OUT, verified by size, then the trigger, which appears under its final name only once
 * it is complete.
 *
 * <p>Every step first consults the transfer's recorded progress ({@link TransferProgressLedger}) and
 * what is already on the server, so the same {@link PackageReady} delivered again (after a crash, a
 * rebalance, a retry, a replay months later) finishes the transfer instead of repeating it, and never
 * writes a second trigger for the same transferId.
 */
public class SftpTransporter {

    private static final Logger log = LoggerFactory.getLogger(SftpTransporter.class);

    private final FagsystemRegistry registry;
    private final SftpAccounts accounts;
    private final SftpConnector connector;
    private final TransporterProperties properties;
    private final TransferObserver observer;
    private final Clock clock;
    private final TransferProgressLedger ledger;
    private final ByteProgressPublisher progress;
    private final PauseWatch pauses;

    /**
     * @param progress where each upload's bytes are reported, for {@code submit --wait}
     * @param registry the fagsystems: a package goes with its own fagsystem's account and name only
     * @param pauses tells whether this process stood still long enough to lose its partitions
     */
    public SftpTransporter(
            SftpAccounts accounts,
            SftpConnector connector,
            TransporterProperties properties,
            TransferObserver observer,
            Clock clock,
            TransferProgressLedger ledger,
            ByteProgressPublisher progress,
            FagsystemRegistry registry,
            PauseWatch pauses) {
        this.pauses = pauses;
        this.progress = progress;
        this.registry = registry;
        this.ledger = ledger;
        this.accounts = accounts;
        this.connector = connector;
        this.properties = properties;
        this.observer = observer;
        this.clock = clock;
    }

    /**
     * Transfers the package, or confirms an earlier delivery of this event already did.
     *
     * @param attempt the how-manieth attempt this is (1 for the first delivery), for the record
     * @return {@link TransferOutcome.Uploaded}, or {@link TransferOutcome.Failed} when only an operator
     *         can help (host key not trusted, key refused, another transfer's trigger or receipt under
     *         this name) or the transfer already ended so
     * @throws dk.sf1820.kafka.NonRetryableEventException when the event itself is unusable (package
     *         missing, outside the staging area, or of another size or SHA-256, no account for the
     *         sender, a trigger the contract refuses)
     * @throws RetryableTransferException when the server is away or a step failed transiently
     */
    public TransferOutcome transfer(PackageReady event, int attempt) {
        long started = System.nanoTime();
        long attemptStart = pauses.now();
        RemoteFiles files = RemoteFiles.of(properties, event.getFileName());
        TransferProgress recorded = ledger.lookup(event.getTransferId()).orElse(null);
        TransferStep step = recorded == null ? null : recorded.getStep();
        if (step == TransferStep.FAILED) {
            log.info(
                    "transfer already ended failed transferId={} file={} cause={}",
                    event.getTransferId(),
                    event.getFileName(),
                    recorded.getDetail());
            return failed(event, String.valueOf(recorded.getDetail()), recorded.getAttempts());
        }
        SftpAccount account = SenderAccount.of(accounts, event);
        if (step == TransferStep.TRIGGERED || step == TransferStep.PUBLISHED) {
            // The platform has (or had) the trigger; OUT and IN may be empty by now, so only the record knows.
            String evidence = "progress " + step + " at " + recorded.getOccurredAt();
            log.info(
                    "transfer already triggered transferId={} file={} evidence={}",
                    event.getTransferId(),
                    event.getFileName(),
                    evidence);
            observer.alreadyTriggered(event, files, evidence);
            return uploaded(event, files, account, recorded.getSizeBytes(), started);
        }
        StagedPackage staged = StagedPackage.of(event, properties.stagingDir(), registry);
        byte[] trigger = TriggerFile.content(event);
        try (SftpConnection sftp = connector.open(account)) {
            Optional<RemoteEvidence.Found> found = RemoteEvidence.find(sftp, files);
            if (found.isPresent() && !found.get().belongsTo(event.getTransferId())) {
                return nameCollision(event, found.get(), attempt);
            }
            String evidence = found.isPresent() ? found.get().path() : dataGoneAfterTriggering(sftp, files, step);
            if (evidence != null) {
                log.info(
                        "transfer already triggered transferId={} file={} evidence={}",
                        event.getTransferId(),
                        event.getFileName(),
                        evidence);
                ledger.record(event, TransferStep.TRIGGERED, staged.size(), attempt, evidence);
                observer.alreadyTriggered(event, files, evidence);
            } else {
                uploadData(sftp, event, staged, files, step);
                requireNoOtherProgress(event, recorded);
                requireNoPause(event, attemptStart, "recording TRIGGERING");
                ledger.note(event, TransferStep.DATA_UPLOADED, staged.size(), attempt, null);
                // Intent before the act: from here on the platform may have the trigger, whatever happens next.
                ledger.record(event, TransferStep.TRIGGERING, staged.size(), attempt, null);
                writeTrigger(sftp, event, trigger, files, attemptStart);
                ledger.record(event, TransferStep.TRIGGERED, staged.size(), attempt, null);
            }
            return uploaded(event, files, account, staged.size(), started);
        } catch (SftpException e) {
            if (e.retryable()) {
                throw new RetryableTransferException("transferId=" + event.getTransferId() + ": " + e.getMessage(), e);
            }
            log.error(
                    "transfer failed transferId={} file={} sender={} cause={}",
                    event.getTransferId(),
                    event.getFileName(),
                    event.getSender(),
                    e.getMessage());
            return giveUp(event, e.getMessage(), attempt);
        }
    }

    /**
     * Another transfer's trigger or receipt has this transfer's data file name. Uploading would replace
     * that transfer's data file or deliver a second file of one name to the recipient, and the file is
     * no proof this transfer was sent; so nothing is sent and the transfer ends failed, naming the other.
     * A retry would not help: the name is this event's, and only a new package (a new name) can be sent.
     */
    private TransferOutcome nameCollision(PackageReady event, RemoteEvidence.Found other, int attempt) {
        String cause = "data file name " + event.getFileName() + " is taken by another transfer: " + other.path()
                + " has " + other.owner() + ", not transferId=" + event.getTransferId()
                + "; nothing was uploaded and no trigger written (resubmit the extract for a new name)";
        log.error(
                "data file name collision transferId={} file={} evidence={} owner=\"{}\"",
                event.getTransferId(),
                event.getFileName(),
                other.path(),
                other.owner());
        return giveUp(event, cause, attempt);
    }

    /**
     * A process paused longer than the group's session timeout (a VM pause, a long GC, a stuck disk)
     * has lost this transfer's partition to another instance, which redid the transfer from its start;
     * the platform may have routed that instance's trigger and data file already. Resumed, this process
     * would write a second trigger for a data file gone from OUT (the platform answers it with an error
     * receipt) or one the other is still writing. So before recording {@code TRIGGERING}, which only this
     * transfer's owner may do, the ledger is read again: a record this attempt did not write means another
     * instance has it, and this attempt stops without a trigger; a retry finds that instance's steps.
     * (The upload before this check may have written into the same file as the other instance: the same
     * bytes at the same offsets.)
     */
    private void requireNoOtherProgress(PackageReady event, TransferProgress recorded) {
        TransferProgress now = ledger.lookup(event.getTransferId()).orElse(null);
        if (!Objects.equals(now, recorded)) {
            log.warn(
                    "transfer progressed elsewhere while this instance uploaded, no trigger written transferId={}"
                            + " file={} stepAtStart={} stepNow={} recordedAt={}",
                    event.getTransferId(),
                    event.getFileName(),
                    recorded == null ? null : recorded.getStep(),
                    now == null ? null : now.getStep(),
                    now == null ? null : now.getOccurredAt());
            throw new RetryableTransferException(
                    "transferId=" + event.getTransferId() + ": another instance recorded "
                            + (now == null ? "progress" : now.getStep()) + " for this transfer while this one"
                            + " uploaded (this process was paused or lost its partition); no trigger written",
                    null);
        }
    }

    /**
     * The ledger check above has a window: a pause after it and before the trigger. A process that stood
     * still since this attempt began (longer than its partitions are sure to stay its own) stops before
     * the next step the platform cannot take back; the retry's ledger lookup sees what another instance
     * did meanwhile, or, if none took over, finishes the transfer from its own record.
     */
    private void requireNoPause(PackageReady event, long attemptStart, String before) {
        if (pauses.pausedSince(attemptStart)) {
            log.warn(
                    "transfer stopped after this process stood still transferId={} file={} before=\"{}\"",
                    event.getTransferId(),
                    event.getFileName(),
                    before);
            throw new RetryableTransferException(
                    "transferId=" + event.getTransferId() + ": this process stood still during the attempt (its"
                            + " partitions may have moved to another instance); stopped before " + before,
                    null);
        }
    }

    /**
     * Ends a transfer that cannot succeed: records it as failed, final for this transferId, unless the
     * record says the trigger went out, in which case the platform has the file and the receipt decides.
     */
    public TransferOutcome giveUp(PackageReady event, String cause, int attempts) {
        TransferProgress recorded = ledger.lookup(event.getTransferId()).orElse(null);
        if (recorded != null
                && (recorded.getStep() == TransferStep.TRIGGERED || recorded.getStep() == TransferStep.PUBLISHED)) {
            log.warn(
                    "not giving up a triggered transfer transferId={} file={} step={} cause={}",
                    event.getTransferId(),
                    event.getFileName(),
                    recorded.getStep(),
                    cause);
            return uploaded(
                    event,
                    RemoteFiles.of(properties, event.getFileName()),
                    SenderAccount.of(accounts, event),
                    recorded.getSizeBytes(),
                    System.nanoTime());
        }
        if (recorded != null && recorded.getStep() == TransferStep.FAILED) {
            return failed(event, String.valueOf(recorded.getDetail()), recorded.getAttempts());
        }
        if (recorded != null && recorded.getStep() == TransferStep.TRIGGERING) {
            log.warn(
                    "giving up a transfer whose trigger may have been written transferId={} file={}; "
                            + "a receipt, if one comes, settles it",
                    event.getTransferId(),
                    event.getFileName());
        }
        // Recorded before TransferFailed is published: a redelivery then repeats the failure, never the upload.
        ledger.record(event, TransferStep.FAILED, event.getSizeBytes(), attempts, cause);
        return failed(event, cause, attempts);
    }

    /**
     * The outcome is on the transfer topic: recorded so an audit shows the transfer fully handed on. Not
     * awaited: a redelivery or replay acts on {@code TRIGGERED} exactly as on {@code PUBLISHED}.
     */
    void published(PackageReady event, TransferOutcome outcome, int attempt) {
        if (outcome instanceof TransferOutcome.Uploaded uploaded) {
            ledger.note(event, TransferStep.PUBLISHED, uploaded.event().getSizeBytes(), attempt, null);
        }
    }

    /**
     * After a crash between recording {@code TRIGGERING} and {@code TRIGGERED}, a data file gone from
     * OUT proves the platform has the trigger (only its routing moves the file away) even when the
     * receipt tracker already deleted the receipt. (A receipt or trigger of this transfer, checked
     * before this, proves it directly; the progress record covers a replay long after delivery.)
     */
    private static String dataGoneAfterTriggering(SftpConnection sftp, RemoteFiles files, TransferStep step)
            throws SftpException {
        if (step == TransferStep.TRIGGERING && !sftp.exists(files.data())) {
            return "progress TRIGGERING and " + files.data() + " gone from OUT";
        }
        return null;
    }

    /**
     * Uploads the package, hashing it as it is read, and verifies size and SHA-256. A data file already
     * in OUT is trusted only when this transfer's own record says it uploaded it whole; anything else
     * under the name (a partial upload, another's file) is overwritten. On a SHA-256 other than the
     * event's, the uploaded file is deleted before the event is refused, so no trigger can follow.
     */
    private void uploadData(
            SftpConnection sftp, PackageReady event, StagedPackage staged, RemoteFiles files, TransferStep step)
            throws SftpException {
        boolean ownUpload = step == TransferStep.DATA_UPLOADED || step == TransferStep.TRIGGERING;
        OptionalLong present = sftp.size(files.data());
        if (ownUpload && present.isPresent() && present.getAsLong() == staged.size()) {
            log.info(
                    "data file already uploaded transferId={} path={} bytes={}",
                    event.getTransferId(),
                    files.data(),
                    staged.size());
            observer.uploaded(event, files, staged.size());
            return;
        }
        observer.uploading(event, files);
        MessageDigest sha256 = sha256();
        ByteProgressPublisher.Counter uploading =
                progress.start(TransferRef.of(event), event.getFileName(), staged.size());
        try (InputStream in = uploading.counting(new DigestInputStream(staged.open(), sha256))) {
            sftp.upload(in, files.data());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "transferId=" + event.getTransferId() + ": cannot read package " + staged.path(), e);
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(staged.sha256())) {
            sftp.delete(files.data());
            log.error(
                    "package does not match its event, uploaded data file deleted transferId={} package={} "
                            + "path={} expectedSha256={} actualSha256={}",
                    event.getTransferId(),
                    staged.path(),
                    files.data(),
                    staged.sha256(),
                    actual);
            throw StagedPackage.refused(
                    event,
                    "package " + staged.path() + " does not match the event: its SHA-256 is "
                            + actual + ", the event's sha256 says " + staged.sha256() + "; the uploaded " + files.data()
                            + " was deleted and no trigger written");
        }
        long remote = sftp.size(files.data()).orElse(-1);
        if (remote != staged.size()) {
            throw new RetryableTransferException(
                    "transferId=" + event.getTransferId() + ": " + files.data() + " has " + remote
                            + " bytes on the server after upload, expected " + staged.size(),
                    null);
        }
        log.info(
                "data file uploaded transferId={} path={} bytes={} sha256={}",
                event.getTransferId(),
                files.data(),
                remote,
                actual);
        observer.uploaded(event, files, remote);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private void writeTrigger(
            SftpConnection sftp, PackageReady event, byte[] trigger, RemoteFiles files, long attemptStart)
            throws SftpException {
        observer.triggering(event, files);
        // A leftover from an interrupted attempt is simply overwritten: it never had the final name.
        sftp.upload(trigger, files.triggerInProgress());
        if (pauses.pausedSince(attemptStart)) {
            sftp.delete(files.triggerInProgress());
            requireNoPause(event, attemptStart, "renaming the trigger");
        }
        sftp.rename(files.triggerInProgress(), files.trigger());
        log.info("trigger written transferId={} path={}", event.getTransferId(), files.trigger());
        observer.triggered(event, files);
    }

    private TransferOutcome uploaded(
            PackageReady event, RemoteFiles files, SftpAccount account, long size, long started) {
        TransferUploaded uploaded = TransferRef.of(event).stamp(new TransferUploaded(), clock);
        uploaded.setSender(event.getSender());
        uploaded.setFileName(event.getFileName());
        uploaded.setRemoteDataPath(files.data());
        uploaded.setRemoteTriggerPath(files.trigger());
        uploaded.setSizeBytes(size);
        uploaded.setDurationMillis((System.nanoTime() - started) / 1_000_000);
        uploaded.setServer(account.server());
        return new TransferOutcome.Uploaded(uploaded);
    }

    private TransferOutcome failed(PackageReady event, String cause, int attempts) {
        TransferFailed failed = TransferRef.of(event).stamp(new TransferFailed(), clock);
        failed.setSender(event.getSender());
        failed.setFileName(event.getFileName());
        failed.setCause(cause);
        failed.setAttempts(attempts);
        return new TransferOutcome.Failed(failed);
    }
}
