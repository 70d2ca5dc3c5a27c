package dk.sf1820.transporter;

import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.sftp.SftpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one package to the Serviceplatform (EP_FS1 Dataudtraek_Aflever): the data file into the
 * sender's OUT, verified by size, then the trigger, which appears under its final name only once
 * it is complete.
 *
 * <p>Every step first looks at what is already on the server, so the same {@link PackageReady}
 * delivered again (after a crash, a rebalance, a retry) finishes the transfer instead of repeating
 * it, and never writes a second trigger for the same file.
 */
public class SftpTransporter {

    private static final Logger log = LoggerFactory.getLogger(SftpTransporter.class);

    private final SftpAccounts accounts;
    private final SftpConnector connector;
    private final TransporterProperties properties;
    private final TransferObserver observer;
    private final Clock clock;

    public SftpTransporter(SftpAccounts accounts, SftpConnector connector, TransporterProperties properties,
            TransferObserver observer, Clock clock) {
        this.accounts = accounts;
        this.connector = connector;
        this.properties = properties;
        this.observer = observer;
        this.clock = clock;
    }

    /**
     * Transfers the package, or confirms an earlier delivery of this event already did.
     *
     * @return {@link TransferOutcome.Uploaded}, or {@link TransferOutcome.Failed} when only an operator
     *         can help (host key not trusted, key refused)
     * @throws dk.sf1820.kafka.NonRetryableEventException when the event itself is unusable (package
     *         missing or of another size, no account for the sender, a trigger the contract refuses)
     * @throws RetryableTransferException when the server is away or a step failed transiently
     */
    public TransferOutcome transfer(PackageReady event) {
        long started = System.nanoTime();
        StagedPackage staged = StagedPackage.of(event);
        byte[] trigger = TriggerFile.content(event);
        SftpAccount account = SenderAccount.of(accounts, event);
        RemoteFiles files = RemoteFiles.of(properties, event.getFileName());
        try (SftpConnection sftp = connector.open(account)) {
            String evidence = triggeredAlready(sftp, files);
            if (evidence != null) {
                log.info("transfer already triggered transferId={} file={} evidence={}",
                        event.getTransferId(), event.getFileName(), evidence);
                observer.alreadyTriggered(event, files, evidence);
            } else {
                uploadData(sftp, event, staged, files);
                writeTrigger(sftp, event, trigger, files);
            }
            return uploaded(event, files, account, staged.size(), started);
        } catch (SftpException e) {
            if (e.retryable()) {
                throw new RetryableTransferException("transferId=" + event.getTransferId() + ": " + e.getMessage(), e);
            }
            log.error("transfer failed transferId={} file={} sender={} cause={}", event.getTransferId(),
                    event.getFileName(), event.getSender(), e.getMessage());
            return failed(event, e.getMessage());
        }
    }

    /**
     * The remote file proving the platform has (or had) the trigger. A receipt means the platform
     * processed it; a trigger means it will. The receipt tracker deletes handled receipts, so this check
     * alone covers redeliveries within a scan or two; recorded progress (see {@link TransferObserver})
     * is what covers a replay after that.
     */
    private String triggeredAlready(SftpConnection sftp, RemoteFiles files) throws SftpException {
        if (sftp.exists(files.receipt())) {
            return files.receipt();
        }
        if (sftp.exists(files.trigger())) {
            return files.trigger();
        }
        return null;
    }

    private void uploadData(SftpConnection sftp, PackageReady event, StagedPackage staged, RemoteFiles files)
            throws SftpException {
        OptionalLong present = sftp.size(files.data());
        if (present.isPresent() && present.getAsLong() == staged.size()) {
            log.info("data file already uploaded transferId={} path={} bytes={}", event.getTransferId(),
                    files.data(), staged.size());
            observer.uploaded(event, files, staged.size());
            return;
        }
        observer.uploading(event, files);
        try (InputStream in = Files.newInputStream(staged.path())) {
            sftp.upload(in, files.data());
        } catch (IOException e) {
            throw new UncheckedIOException("transferId=" + event.getTransferId() + ": cannot read package "
                    + staged.path(), e);
        }
        long remote = sftp.size(files.data()).orElse(-1);
        if (remote != staged.size()) {
            throw new RetryableTransferException("transferId=" + event.getTransferId() + ": " + files.data()
                    + " has " + remote + " bytes on the server after upload, expected " + staged.size(), null);
        }
        log.info("data file uploaded transferId={} path={} bytes={}", event.getTransferId(), files.data(), remote);
        observer.uploaded(event, files, remote);
    }

    private void writeTrigger(SftpConnection sftp, PackageReady event, byte[] trigger, RemoteFiles files)
            throws SftpException {
        observer.triggering(event, files);
        // A leftover from an interrupted attempt is simply overwritten: it never had the final name.
        sftp.upload(trigger, files.triggerInProgress());
        sftp.rename(files.triggerInProgress(), files.trigger());
        log.info("trigger written transferId={} path={}", event.getTransferId(), files.trigger());
        observer.triggered(event, files);
    }

    private TransferOutcome uploaded(PackageReady event, RemoteFiles files, SftpAccount account, long size,
            long started) {
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

    private TransferOutcome failed(PackageReady event, String cause) {
        TransferFailed failed = TransferRef.of(event).stamp(new TransferFailed(), clock);
        failed.setSender(event.getSender());
        failed.setFileName(event.getFileName());
        failed.setCause(cause);
        // Only failures no retry can cure end here, at the first attempt; the others are retried.
        failed.setAttempts(1);
        return new TransferOutcome.Failed(failed);
    }
}
